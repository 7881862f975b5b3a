/**
 * Rule parser threads started before their files are known (see parse-pool.ts): on a cold start they
 * load their modules while this thread reads and hashes the rule files. Kept apart from parse-pool.ts
 * so that starting them does not load the rule parsers on this thread first.
 */
import { Worker } from 'node:worker_threads';

export const PARSE_WORKER_URL = new URL('./parse-worker.js', import.meta.url);

/** Parser threads waiting for their work (parseInWorkers gives it), or to be stopped (stopParsers). */
export interface EarlyParsers {
  workers: Worker[];
}

/** How long a parser thread started early waits for its work before it ends by itself. */
export const PARSER_IDLE_MS = 30_000;

/**
 * Starts `count` parser threads that wait for their work. They do not keep the process alive until
 * they are given work (a run that ends before, on an error, does not wait for them), and one never
 * given work ends by itself after `idleMs`.
 */
export function startParsers(count: number, idleMs = PARSER_IDLE_MS): EarlyParsers {
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const w = new Worker(PARSE_WORKER_URL, { workerData: { idleMs } });
      // A thread that fails to start leaves its chunks to the threads that did (see parseInWorkers).
      w.on('error', () => undefined);
      w.unref();
      workers.push(w);
    } catch {
      // No thread: the others (this one at least) parse more.
    }
  }
  return { workers };
}

/** Stops the parser threads that were given no work. */
export function stopParsers(early: EarlyParsers | undefined): void {
  for (const w of early?.workers.splice(0) ?? []) void w.terminate();
}
