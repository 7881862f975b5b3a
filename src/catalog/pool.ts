import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Vendor } from '../model/index.js';
import type { ParsedFile } from './parse-file.js';
import { fileRows } from './rows.js';
import type { WorkerReply, WorkerRequest } from './parse-worker.js';

const BATCH = 64;

/** Worker threads used for a parse of `files` files (0: parse in this thread). */
export function workerCount(files: number): number {
  if (files < 300) return 0;
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * Parses files on worker threads, batches handed out as workers free up. Results come back in any
 * order; `onParsed` sees each file once. A worker that dies turns its batch into problems.
 */
export async function parseOnWorkers(
  files: ReadonlyArray<{ vendor: Vendor; path: string; folder: string }>,
  macroDirs: readonly string[],
  workers: number,
  onParsed: (p: ParsedFile) => void,
): Promise<void> {
  let next = 0;
  const take = (): Array<{ vendor: Vendor; path: string; folder: string }> => {
    const b = files.slice(next, next + BATCH);
    next += b.length;
    return b.map((f) => ({ vendor: f.vendor, path: f.path, folder: f.folder }));
  };
  const run = (): Promise<void> => new Promise((resolve) => {
    const w = new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: { macroDirs: [...macroDirs] } });
    let current: Array<{ vendor: Vendor; path: string; folder: string }> = [];
    const send = (): void => {
      current = take();
      const msg: WorkerRequest = current.length > 0 ? { files: current } : { done: true };
      w.postMessage(msg);
      if (current.length === 0) void w.terminate();
    };
    w.on('message', (m: WorkerReply | { ready: true }) => {
      if ('parsed' in m) for (const p of m.parsed) onParsed(p);
      send();
    });
    const fail = (message: string): void => {
      for (const f of current) {
        onParsed({ path: f.path, rules: 0, problems: 1, rows: fileRows(f.vendor, f.path, [], [{ file: f.path, reason: 'internal-error', message }], f.folder) });
      }
      current = [];
    };
    w.on('error', (e) => fail(`parser worker failed: ${e.message}`));
    w.on('exit', () => resolve());
  });
  await Promise.all(Array.from({ length: workers }, run));
}
