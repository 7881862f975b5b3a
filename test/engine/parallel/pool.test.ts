/**
 * How runPool shares tasks: a worker holds a second task only while more than two are left (at the
 * end no thread waits while a task sits in a worker's queue), results come back in task order, and
 * this thread is told whether its task is the next one to emit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules } from '../../../src/engine/cache/rule-cache.js';
import { matchContext, scanFile } from '../../../src/engine/file-scan.js';
import type { Alert } from '../../../src/engine/alert.js';
import { runPool, startScanWorkers, type TaskResult } from '../../../src/engine/parallel/pool.js';
import { planTasks, type ScanTask } from '../../../src/engine/parallel/tasks.js';
import { EXAMPLES } from '../../helpers/cli.js';

test('a worker is sent a second task only while more than two are left; results come in order', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-pool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = Array.from({ length: 8 }, (_, i) => {
    const f = join(dir, `copy-${i}.jsonl`);
    copyFileSync(join(EXAMPLES, 'events', 'workstation.jsonl'), f);
    return f;
  });
  const tasks = planTasks(files);
  const compiled = await compileRules([join(EXAMPLES, 'rules')]);
  const ctx = matchContext(compiled.matcher, compiled.ruleSet.correlations);
  const started = startScanWorkers(1);
  const w = started.workers[0];
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
    const alerts: Alert[] = [];
    // Slower than the worker, so that the worker takes most tasks and the end is reached with it busy.
    for (let i = 0; i < 20; i++) await new Promise((res) => setTimeout(res, 5));
    const r = await scanFile(task.file, ctx, (a) => alerts.push(a), () => undefined, task.range);
    return { type: 'result', id: task.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems: [], ordered: r.ordered, notes: [] };
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
