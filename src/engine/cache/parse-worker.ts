/**
 * A rule parser thread (see parse-pool.ts): parses chunks taken from the shared counter, posts each
 * one's results. Its work comes as workerData, or (a thread started early) as its first message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NEXT, POSTED, parseChunk, type ChunkMessage, type ParseWork } from './parse-pool.js';
import { mark } from '../parallel/timeline.js';

function run(work: ParseWork): void {
  const chunks = Math.ceil(work.files.length / work.chunk);
  mark('parser ready');
  for (let c = Atomics.add(work.counters, NEXT, 1); c < chunks; c = Atomics.add(work.counters, NEXT, 1)) {
    const message: ChunkMessage = { chunk: c, results: parseChunk(work, c) };
    work.port.postMessage(message);
    Atomics.add(work.counters, POSTED, 1);
    Atomics.notify(work.counters, POSTED);
  }
  mark('parser done');
  work.port.close();
}

if (workerData) run(workerData as ParseWork);
else parentPort?.once('message', (work: ParseWork) => run(work));
