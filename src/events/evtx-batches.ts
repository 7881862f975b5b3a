/** Adapts the EVTX reader (src/events/evtx) to the batch interface of the other readers. */
import type { EventRecord, ProblemSink } from './types.js';

const BATCH = 512;

export async function* readEvtxBatches(file: string, onProblem: ProblemSink): AsyncGenerator<EventRecord[]> {
  // Loaded on first use: the binary reader is only needed when .evtx files are given.
  const mod = (await import(EVTX_MODULE)) as { readEvtxFile(path: string, onProblem: ProblemSink): AsyncGenerator<EventRecord> };
  let batch: EventRecord[] = [];
  for await (const rec of mod.readEvtxFile(file, onProblem)) {
    batch.push(rec);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const EVTX_MODULE = './evtx/index.js';
