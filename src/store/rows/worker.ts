/**
 * An ingest worker: reads and flattens the parts of event files it is sent and posts their rows
 * back in batches. It runs at most CREDITS batches ahead of what the main thread has taken
 * (each `ack` frees one), so memory stays bounded whatever the file's size.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventRowOptions } from '../event-row.js';
import type { ReadProblem } from '../../events/types.js';
import type { ScanTask } from '../../engine/parallel/tasks.js';
import type { FromRowWorker, ToRowWorker } from './messages.js';
import { taskRows } from './task-rows.js';

export const CREDITS = 4;

const port = parentPort!;
const send = (m: FromRowWorker): void => port.postMessage(m);
const queue: ScanTask[] = [];
let credits = CREDITS;
let wake: (() => void) | undefined;
let running = false;

const poke = (): void => {
  const w = wake;
  wake = undefined;
  w?.();
};

async function drain(): Promise<void> {
  running = true;
  while (queue.length) {
    const task = queue.shift()!;
    const problems: ReadProblem[] = [];
    for await (const rows of taskRows(task, (p) => problems.push(p), workerData as EventRowOptions)) {
      while (credits === 0) await new Promise<void>((res) => (wake = res));
      credits--;
      send({ type: 'rows', id: task.id, rows });
    }
    send({ type: 'end', id: task.id, problems });
  }
  running = false;
}

port.on('message', (m: ToRowWorker) => {
  if (m.type === 'done') {
    port.close();
    return;
  }
  if (m.type === 'ack') {
    credits++;
    poke();
    return;
  }
  queue.push(m.task);
  if (!running) drain().catch((e: unknown) => send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) }));
});
