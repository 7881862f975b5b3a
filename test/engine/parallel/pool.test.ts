/**
 * How runPool shares tasks: a worker holds a second task only while more than two are left (at the
 * end no thread waits while a task sits in a worker's queue), results come back in task order, and
 * this thread is told whether its task is the next one to emit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPool, type TaskResult } from '../../../src/engine/parallel/pool.js';
import type { ScanTask } from '../../../src/engine/parallel/tasks.js';
import { poolFixture } from '../../helpers/pool-fixture.js';

test('a worker is sent a second task only while more than two are left; results come in order', async (t) => {
  const { tasks, compiled, started, worker: w, scanHere } = await poolFixture(t, 8);
  // Per task sent to the worker: [tasks it still held, tasks not sent yet].
  const sends: Array<[number, number]> = [];
  let sent = 0;
  let held = 0;
  w.on('message', (m: { type: string }) => {
    if (m.type === 'result') held--;
  });
  const post = w.postMessage.bind(w);
  w.postMessage = (m: { type: string }) => {
    if (m.type === 'task') {
      sends.push([held, tasks.length - sent]);
      held++;
      sent++;
    }
    post(m);
  };
  const local = async (task: ScanTask, inOrder: boolean): Promise<TaskResult> => {
    sent++;
    inOrders.push([task.id, inOrder, emitted.length === task.id]);
    // Slower than the worker, so that the worker takes most tasks and the end is reached with it busy.
    for (let i = 0; i < 20; i++) await new Promise((res) => setTimeout(res, 5));
    return scanHere(task);
  };
  /** [task, inOrder as told, every earlier task emitted] */
  const inOrders: Array<[number, boolean, boolean]> = [];
  const emitted: number[] = [];
  const done: number[] = [];
  await runPool(started, { plan: compiled.plan }, tasks, local, (r) => emitted.push(r.id), { workersFirst: true, onDone: (r) => done.push(r.id) });
  assert.deepEqual(emitted, tasks.map((x) => x.id));
  assert.deepEqual([...done].sort((a, b) => a - b), tasks.map((x) => x.id));
  assert.ok(sends.length >= 1, 'the worker scanned');
  assert.ok(sends.some(([h]) => h === 1), `the worker held two tasks at some point: ${JSON.stringify(sends)}`);
  for (const [h, left] of sends) if (h > 0) assert.ok(left > 2, `a second task sent with ${left} left: ${JSON.stringify(sends)}`);
  // This thread is told its task is in order exactly when every earlier one was emitted when it started.
  assert.ok(inOrders.length >= 1, 'this thread scanned');
  for (const [id, inOrder, next] of inOrders) assert.equal(inOrder, next, `task ${id}`);
});
