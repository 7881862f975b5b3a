/**
 * startPool: the workers get their rules and first tasks at once, and scan them before this thread
 * joins (a scan builds its own Elastic runner meanwhile); their results wait until `run`, then come
 * in task order, the same as this thread's scan of the same events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPool, type TaskResult } from '../../../src/engine/parallel/pool.js';
import type { ScanTask } from '../../../src/engine/parallel/tasks.js';
import { poolFixture } from '../../helpers/pool-fixture.js';

test('workers scan their first tasks before this thread runs; results wait, then come in order', async (t) => {
  const { tasks, compiled, started, worker: w, scanHere } = await poolFixture(t, 4);
  // Results the worker sent before `run`: no `ready` is awaited, the tasks came with `init`.
  const early: number[] = [];
  const twoDone = new Promise<void>((res) => {
    w.on('message', (m: { type: string; id?: number }) => {
      if (m.type === 'result') early.push(m.id!);
      if (early.length === 2) res();
    });
  });
  const posted: string[] = [];
  const post = w.postMessage.bind(w);
  w.postMessage = (m: { type: string }) => {
    posted.push(m.type);
    post(m);
  };
  const emitted: number[] = [];
  const pool = startPool(started, { plan: compiled.plan }, tasks);
  // Sent before startPool returns (a scan's thread then blocks for a while building its Elastic runner).
  assert.deepEqual(posted, ['init', 'task', 'task']);
  await twoDone;
  assert.deepEqual(early, [0, 1], 'the worker was sent two tasks with its rules and scanned them');
  assert.equal(emitted.length, 0, 'nothing is handed on before run');
  const local = (task: ScanTask): Promise<TaskResult> => scanHere(task);
  const results: TaskResult[] = [];
  await pool.run(local, (r) => {
    emitted.push(r.id);
    results.push(r);
  });
  assert.deepEqual(emitted, tasks.map((x) => x.id));
  // Every task holds the same events: the worker's results equal this thread's.
  const mine = await local(tasks[0]);
  assert.ok(mine.alerts.length > 0);
  for (const r of results) {
    assert.equal(r.events, mine.events);
    assert.deepEqual(r.alerts.map((a) => [a.rule.id, a.event.record_id]), mine.alerts.map((a) => [a.rule.id, a.event.record_id]));
  }
});
