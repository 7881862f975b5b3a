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
import type { EventRecord, ReadProblem } from '../../events/types.js';
import { SCAN_BATCH_CHUNKS } from '../file-scan.js';
import { WireEncoder } from './event-wire.js';
import type { FromDecoder, ToDecoder } from './decode-thread.js';
import type { ScanTask } from './tasks.js';

/** Batches sent and not yet taken by the matching thread, at most (each up to SCAN_BATCH_CHUNKS chunks of events). */
const IN_FLIGHT = 8;
/** Events per message at most (a JSON file is read as one batch). */
const MAX_BATCH_EVENTS = 2048;

// Events read here are only sent on: their field maps are built by the receiver.
setValuesOnly(true);

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
