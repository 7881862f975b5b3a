/** Adapts the EVTX reader (src/events/evtx) to the batch interface of the other readers. */
import type { EventRecord, ProblemSink } from './types.js';
import { readEvtxRecordLists } from './evtx/index.js';

export interface ChunkRange {
  first: number;
  count: number;
}

export async function* readEvtxBatches(file: string, onProblem: ProblemSink, chunkRange?: ChunkRange, recover = false, flat = false, batchChunks?: number): AsyncGenerator<EventRecord[]> {
  // One chunk's records at a time (a few dozen): a scan then holds few records when the young
  // generation is collected, so fewer are copied or promoted.
  yield* readEvtxRecordLists(file, onProblem, { chunkRange, recover, flat, batchChunks });
}
