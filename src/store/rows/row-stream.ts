/**
 * The rows of many file parts, in part order, made on worker threads (threads >= 2) or on this
 * thread (threads <= 1): either way the same rows in the same order (task-rows.ts makes them).
 * Each worker holds at most IN_FLIGHT parts and runs a few batches ahead of the consumer.
 */
import { Worker } from 'node:worker_threads';
import type { ReadProblem } from '../../events/types.js';
import type { ScanTask } from '../../engine/parallel/tasks.js';
import type { EventRow, EventRowOptions } from '../event-row.js';
import type { FromRowWorker, ToRowWorker } from './messages.js';
import { taskRows } from './task-rows.js';

export type RowItem = { type: 'rows'; task: ScanTask; rows: EventRow[] } | { type: 'end'; task: ScanTask; problems: ReadProblem[] };

const WORKER_URL = new URL('./worker.js', import.meta.url);
const IN_FLIGHT = 2;

export function rowStream(tasks: ScanTask[], threads: number, opts: EventRowOptions = {}): AsyncGenerator<RowItem> {
  return threads <= 1 || tasks.length === 0 ? localRows(tasks, opts) : workerRows(tasks, Math.min(threads, tasks.length), opts);
}

async function* localRows(tasks: ScanTask[], opts: EventRowOptions): AsyncGenerator<RowItem> {
  for (const task of tasks) {
    const problems: ReadProblem[] = [];
    for await (const rows of taskRows(task, (p) => problems.push(p), opts)) yield { type: 'rows', task, rows };
    yield { type: 'end', task, problems };
  }
}

async function* workerRows(tasks: ScanTask[], n: number, opts: EventRowOptions): AsyncGenerator<RowItem> {
  // Messages per task index (task ids are indexes into `tasks`), taken in order.
  const inbox = new Map<number, Array<{ m: FromRowWorker; from: Worker }>>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let nextToSend = 0;
  let closing = false;
  let complete = false;
  const workers: Worker[] = [];
  const exited: Array<Promise<void>> = [];
  const feed = (w: Worker, load: { n: number }): void => {
    while (load.n < IN_FLIGHT && nextToSend < tasks.length) {
      w.postMessage({ type: 'task', task: tasks[nextToSend++] } satisfies ToRowWorker);
      load.n++;
    }
  };
  for (let i = 0; i < n; i++) {
    const w = new Worker(WORKER_URL, { workerData: opts });
    const load = { n: 0 };
    workers.push(w);
    w.on('message', (m: FromRowWorker) => {
      if (m.type === 'fatal') {
        failure ??= new Error(`ingest worker: ${m.message}`);
      } else {
        let box = inbox.get(m.id);
        if (!box) inbox.set(m.id, (box = []));
        box.push({ m, from: w });
        if (m.type === 'end') {
          load.n--;
          feed(w, load);
        }
      }
      notify();
    });
    w.on('error', (e) => {
      failure ??= e;
      notify();
    });
    exited.push(new Promise((res) => w.once('exit', (code) => {
      if (!closing) {
        failure ??= new Error(`ingest worker stopped before its work was done (exit code ${code})`);
        notify();
      }
      res();
    })));
    feed(w, load);
  }
  try {
    for (let id = 0; id < tasks.length; id++) {
      for (;;) {
        const box = inbox.get(id);
        const next = box?.shift();
        if (!next) {
          if (failure) throw failure;
          await new Promise<void>((res) => (wake = res));
          continue;
        }
        const { m, from } = next;
        if (m.type === 'rows') {
          from.postMessage({ type: 'ack' } satisfies ToRowWorker);
          yield { type: 'rows', task: tasks[id], rows: m.rows };
        } else if (m.type === 'end') {
          inbox.delete(id);
          yield { type: 'end', task: tasks[id], problems: m.problems };
          break;
        }
      }
    }
    complete = true;
  } finally {
    closing = true;
    for (const w of workers) w.postMessage({ type: 'done' } satisfies ToRowWorker);
    if (!complete) for (const w of workers) void w.terminate();
    await Promise.all(exited);
  }
}
