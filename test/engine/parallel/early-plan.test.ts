/**
 * The plan sent to scan workers before it is checked (sendEarlyPlan): an `init` without a plan
 * makes them use it; without one they refuse to scan rather than match with nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules } from '../../../src/engine/cache/rule-cache.js';
import { matchContext, scanFile } from '../../../src/engine/file-scan.js';
import type { Alert } from '../../../src/engine/alert.js';
import { planForWorkers, runPool, sendEarlyPlan, startScanWorkers, stopScanWorkers, type TaskResult } from '../../../src/engine/parallel/pool.js';
import { planTasks, type ScanTask } from '../../../src/engine/parallel/tasks.js';
import { EXAMPLES } from '../../helpers/cli.js';

async function setup(t: { after(fn: () => void): void }): Promise<{ tasks: ScanTask[]; compiled: Awaited<ReturnType<typeof compileRules>>; local: (task: ScanTask) => Promise<TaskResult> }> {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-early-plan-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, 'copy.jsonl');
  copyFileSync(join(EXAMPLES, 'events', 'workstation.jsonl'), copy);
  // Two tasks of the same events: with workersFirst, the worker scans the first, this thread the second.
  const tasks = planTasks([join(EXAMPLES, 'events', 'workstation.jsonl'), copy]);
  const compiled = await compileRules([join(EXAMPLES, 'rules')]);
  const ctx = matchContext(compiled.matcher, compiled.ruleSet.correlations);
  const local = async (task: ScanTask): Promise<TaskResult> => {
    const alerts: Alert[] = [];
    const r = await scanFile(task.file, ctx, (a) => alerts.push(a), () => undefined, task.range);
    return { type: 'result', id: task.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems: [], ordered: r.ordered, notes: [] };
  };
  return { tasks, compiled, local };
}

test('workers sent the plan early match with it when init carries none', async (t) => {
  const { tasks, compiled, local } = await setup(t);
  const started = startScanWorkers(1);
  sendEarlyPlan(started, compiled.plan);
  const results: TaskResult[] = [];
  const scanned: number[] = [];
  // workersFirst: the worker surely scans a task (else this thread may take both before the worker is ready).
  await runPool(started, {}, tasks, (task) => (scanned.push(task.id), local(task)), (r) => results.push(r), { workersFirst: true });
  assert.deepEqual(scanned, [1], 'the worker scanned task 0');
  assert.deepEqual(results.map((r) => r.id), [0, 1]);
  const [theirs, mine] = results;
  assert.ok(mine.events > 0 && mine.alerts.length > 0, `${mine.events} events, ${mine.alerts.length} alerts`);
  assert.equal(theirs.events, mine.events);
  assert.deepEqual(theirs.alerts.map((a) => [a.rule.id, a.event.record_id]), mine.alerts.map((a) => [a.rule.id, a.event.record_id]));
});

test('workers given neither an early plan nor one in init refuse to scan', async (t) => {
  const { tasks, local } = await setup(t);
  const started = startScanWorkers(1);
  await assert.rejects(runPool(started, {}, tasks, local, () => undefined), /no plan to match with/);
});

test('the plan for init: none when the early one passed its checks; else the plan, with new workers if they had a bad one', async (t) => {
  const { compiled } = await setup(t);
  const plan = compiled.plan;
  const started = startScanWorkers(1);
  try {
    // Nothing sent early (a cold start): the plan goes in init, the workers stay.
    let before = [...started.workers];
    assert.equal(await planForWorkers(started, plan), plan);
    assert.deepEqual(started.workers, before);
    // The very buffer sent early came back from compileRules: the workers use what they have.
    sendEarlyPlan(started, plan);
    assert.equal(await planForWorkers(started, plan), undefined);
    assert.deepEqual(started.workers, before);
    // Another buffer (the early one failed its checks and the rules were compiled again): same
    // bytes or not, the workers that hold the early one are stopped and new ones get the plan.
    sendEarlyPlan(started, { blob: plan.blob.slice(), key: plan.key });
    before = [...started.workers];
    assert.equal(await planForWorkers(started, plan), plan);
    assert.equal(started.workers.length, 1);
    assert.ok(!before.includes(started.workers[0]), 'a new worker');
    assert.ok(before.every((w) => started.exited.has(w)), 'the old one stopped');
    assert.equal(started.early, undefined);
  } finally {
    await stopScanWorkers(started.workers);
  }
});
