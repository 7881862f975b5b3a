/** Adapts the EVTX reader (src/events/evtx) to the batch interface of the other readers. */
import type { EventRecord, ProblemSink } from './types.js';
import { readEvtxFile } from './evtx/index.js';

const BATCH = 128;

export interface ChunkRange {
  first: number;
  count: number;
}

export async function* readEvtxBatches(file: string, onProblem: ProblemSink, chunkRange?: ChunkRange, recover = false): AsyncGenerator<EventRecord[]> {
  let batch: EventRecord[] = [];
  for await (const rec of readEvtxFile(file, onProblem, { chunkRange, recover })) {
    batch.push(rec);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
