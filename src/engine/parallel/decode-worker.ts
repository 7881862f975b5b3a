/**
 * The decoding thread of a 2-stage scan (see decode-thread.ts): reads the scan's tasks in order,
 * flattens their events as a one-thread scan would, and sends them to the matching thread in
 * batches (event-wire.ts), with the reader's problems in their place. At most IN_FLIGHT batches
 * are on their way at once: the reader waits for the matcher, memory stays flat.
 */
import { parentPort } from 'node:worker_threads';
import { flattenEvent } from '../../events/normalize.js';
import { readEventFile } from '../../events/read.js';
import { setValuesOnly } from '../../events/evtx/record-plan.js';
import { setSyncReads } from '../../events/evtx/reader.js';
import type { EventRecord, ReadProblem } from '../../events/types.js';
import { SCAN_BATCH_CHUNKS } from '../batch-size.js';
import { markThreadCpu } from './timeline.js';
import { WireEncoder } from './event-wire.js';
import type { FromDecoder, ToDecoder } from './decode-thread.js';
import type { ScanTask } from './tasks.js';

/**
 * Batches sent and not yet taken by the matching thread, at most (each up to SCAN_BATCH_CHUNKS chunks
 * of events, ~90 from the bench file). The decoding thread starts while the matching thread loads
 * the rules: with room for 32 batches it reads ahead meanwhile (and warms up) instead of stopping
 * after 8. 2-thread scans of the 256 MiB bench file with all SigmaHQ rules, alternated: 32 against 8,
 * 2.59-2.76 s against 2.67-2.90 (6 of 6 pairs faster, median -0.15 s); 32 against 96, 2.62-2.70
 * against 2.63-2.78 (median 2.66 against 2.74); 32 against 16, medians 2.71 and 2.76 (mixed).
 */
const IN_FLIGHT = 32;
/** Events per message at most (a JSON file is read as one batch). */
const MAX_BATCH_EVENTS = 2048;

// Events read here are only sent on: their field maps are built by the receiver.
setValuesOnly(true);
// This thread only decodes, and the matching thread keeps the other core busy: its reads need no pool thread.
setSyncReads(true);

const port = parentPort!;
const send = (m: FromDecoder): void => port.postMessage(m);
let inFlight = 0;
let wake: (() => void) | undefined;

const flat = (r: EventRecord) => r.flat ?? flattenEvent(r);

async function decode(tasks: ScanTask[]): Promise<void> {
  const wire = new WireEncoder();
  for (const t of tasks) {
    let problems: ReadProblem[] = [];
    const onProblem = (p: ReadProblem): void => {
      problems.push(p);
    };
    const post = async (records: EventRecord[]): Promise<void> => {
      while (inFlight >= IN_FLIGHT) await new Promise<void>((r) => (wake = r));
      inFlight++;
      const b = wire.batch(t.id, records, flat, problems);
      problems = [];
      port.postMessage({ type: 'batch', batch: b } satisfies FromDecoder, [b.meta.buffer as ArrayBuffer, b.same.buffer as ArrayBuffer]);
    };
    try {
      for await (const batch of readEventFile(t.file, onProblem, t.range, t.recover, true, SCAN_BATCH_CHUNKS)) {
        for (let i = 0; i < batch.length; i += MAX_BATCH_EVENTS) await post(batch.length <= MAX_BATCH_EVENTS ? batch : batch.slice(i, i + MAX_BATCH_EVENTS));
      }
    } catch (e) {
      // A reader must not throw; if one does, the file is reported and the run goes on (as file-scan.ts does).
      onProblem({ file: t.file, reason: 'read-error', message: (e as Error).message });
    }
    send({ type: 'end', task: t.id, problems });
    markThreadCpu(`decoded task ${t.id}`);
  }
}

port.on('message', (m: ToDecoder) => {
  if (m.type === 'taken') {
    inFlight--;
    const w = wake;
    wake = undefined;
    w?.();
  } else if (m.type === 'tasks') {
    decode(m.tasks).catch((e: unknown) => send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) }));
  } else port.close();
});
