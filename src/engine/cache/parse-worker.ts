/** A rule parser thread (see parse-pool.ts): parses chunks taken from the shared counter, posts each one's results. */
import { workerData } from 'node:worker_threads';
import { NEXT, POSTED, parseChunk, type ChunkMessage, type ParseWork } from './parse-pool.js';

const work = workerData as ParseWork;
const chunks = Math.ceil(work.files.length / work.chunk);
for (let c = Atomics.add(work.counters, NEXT, 1); c < chunks; c = Atomics.add(work.counters, NEXT, 1)) {
  const message: ChunkMessage = { chunk: c, results: parseChunk(work, c) };
  work.port.postMessage(message);
  Atomics.add(work.counters, POSTED, 1);
  Atomics.notify(work.counters, POSTED);
}
work.port.close();
