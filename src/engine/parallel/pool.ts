/**
 * Runs scan tasks on worker threads and hands their results back in task order, so the output is
 * the same as a single-thread scan's. Each worker holds at most two tasks at a time.
 */
import { Worker } from 'node:worker_threads';
import type { Rule } from '../../model/index.js';
import type { FromWorker, WorkerInit } from './messages.js';
import type { ScanTask } from './tasks.js';

export type TaskResult = Extract<FromWorker, { type: 'result' }>;
export type WorkerReady = Extract<FromWorker, { type: 'ready' }>;

const WORKER_URL = new URL('./worker.js', import.meta.url);
const IN_FLIGHT = 2;

export async function runPool(
  threads: number,
  init: { detections: Rule[]; correlations: Rule[]; minLevel?: string },
  tasks: ScanTask[],
  onReady: (r: WorkerReady) => void,
  onResult: (r: TaskResult) => void,
): Promise<void> {
  const data: WorkerInit = init;
  const pending = new Map<number, TaskResult>();
  let nextToEmit = 0;
  let nextToSend = 0;
  let readyReported = false;
  await new Promise<void>((resolve, reject) => {
    const workers: Worker[] = [];
    let finished = 0;
    const emit = (): void => {
      while (pending.has(nextToEmit)) {
        const r = pending.get(nextToEmit)!;
        pending.delete(nextToEmit++);
        onResult(r);
      }
      if (nextToEmit === tasks.length) {
        for (const w of workers) w.postMessage({ type: 'done' });
      }
    };
    const feed = (w: Worker, load: { n: number }): void => {
      while (load.n < IN_FLIGHT && nextToSend < tasks.length) {
        w.postMessage({ type: 'task', task: tasks[nextToSend++] });
        load.n++;
      }
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(WORKER_URL, { workerData: data });
      const load = { n: 0 };
      workers.push(w);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'fatal') {
          reject(new Error(`scan worker: ${m.message}`));
          return;
        }
        if (m.type === 'ready') {
          if (!readyReported) onReady(m);
          readyReported = true;
          feed(w, load);
          if (tasks.length === 0) emit();
          return;
        }
        load.n--;
        pending.set(m.id, m);
        feed(w, load);
        emit();
      });
      w.on('error', reject);
      w.on('exit', () => {
        if (++finished === threads) {
          if (nextToEmit === tasks.length) resolve();
          else reject(new Error('scan workers stopped before every task was done'));
        }
      });
    }
  });
}
