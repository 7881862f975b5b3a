/**
 * Runs scan tasks on this thread and worker threads and hands their results back in task order, so
 * the output is the same as a single-thread scan's. With N threads, N - 1 workers are started and
 * this thread scans too (it only waits for files otherwise); each worker holds at most two tasks.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, TaskResult, WorkerInit } from './messages.js';
import type { ScanTask } from './tasks.js';

export type { TaskResult };

const WORKER_URL = new URL('./worker.js', import.meta.url);
const IN_FLIGHT = 2;
/**
 * The worker's young generation, set explicitly: unset, a worker takes it from the process flags
 * (bin/detectory.js's shebang asks for 64 MiB semi-spaces), and a worker's objects are shorter-lived
 * (one task's events). With 4, 8, 16 or 48 the peak memory of a 2-thread scan of the 256 MiB bench
 * file with all SigmaHQ rules measured the same (496-526 MB), with 128 it rose to 638 MB. What the
 * worker adds is old-generation slack (its live heap is ~35 MB besides the shared plan, its heap
 * ~110-180 MB); capping the old generation (maxOldGenerationSizeMb 160) saved ~60 MB for 50% more
 * CPU time, and a worker that reaches its cap dies: not set.
 */
const WORKER_YOUNG_MB = 48;

export async function runPool(
  threads: number,
  init: WorkerInit,
  tasks: ScanTask[],
  /** Scans one task on this thread. */
  local: (task: ScanTask) => Promise<TaskResult>,
  onResult: (r: TaskResult) => void,
): Promise<void> {
  const pending = new Map<number, TaskResult>();
  let nextToEmit = 0;
  let nextToSend = 0;
  const workers: Worker[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const emit = (): void => {
    while (pending.has(nextToEmit)) {
      const r = pending.get(nextToEmit)!;
      pending.delete(nextToEmit++);
      onResult(r);
    }
    notify();
  };
  const feed = (w: Worker, load: { n: number }): void => {
    while (load.n < IN_FLIGHT && nextToSend < tasks.length) {
      w.postMessage({ type: 'task', task: tasks[nextToSend++] });
      load.n++;
    }
  };
  const exited: Array<Promise<void>> = [];
  let closing = false;
  for (let i = 0; i < threads - 1 && i < tasks.length - 1; i++) {
    const w = new Worker(WORKER_URL, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    const load = { n: 0 };
    workers.push(w);
    w.on('message', (m: FromWorker) => {
      if (m.type === 'fatal') {
        failure ??= new Error(`scan worker: ${m.message}`);
        notify();
        return;
      }
      if (m.type === 'result') {
        load.n--;
        pending.set(m.id, m);
        emit();
      }
      feed(w, load);
    });
    w.on('error', (e) => {
      failure ??= e;
      notify();
    });
    exited.push(new Promise((res) => w.once('exit', (code) => {
      if (!closing) {
        failure ??= new Error(`scan worker stopped before its tasks were done (exit code ${code})`);
        notify();
      }
      res();
    })));
  }
  try {
    // This thread takes the next task whenever it is free; then waits for the workers' last results.
    while (!failure && nextToSend < tasks.length) {
      const task = tasks[nextToSend++];
      const r = await local(task);
      pending.set(r.id, r);
      emit();
    }
    while (!failure && nextToEmit < tasks.length) {
      await new Promise<void>((res) => (wake = res));
    }
  } finally {
    closing = true;
    for (const w of workers) w.postMessage({ type: 'done' });
    if (failure) for (const w of workers) void w.terminate();
    await Promise.all(exited);
  }
  if (failure) throw failure;
}
