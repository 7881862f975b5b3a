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

const data = workerData as ParseWork | { idleMs: number };
if ('files' in data) run(data);
else {
  // Started early (parse-threads.ts): a thread never given work (its run ended another way, an error)
  // ends by itself, so that a long-lived process does not keep idle threads.
  const idle = setTimeout(() => process.exit(0), data.idleMs);
  parentPort?.once('message', (work: ParseWork) => {
    clearTimeout(idle);
    run(work);
  });
}
