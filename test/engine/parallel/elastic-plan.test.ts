/**
 * Scan workers run the Elastic rules of the plan they are handed (in `init`, or sent early): they
 * compile their runner from its rules, not from anything else. A plan whose Elastic rule was
 * changed (a title, here) shows it: the worker's alerts carry the plan's title, this thread's the
 * rule file's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules, PLAN_KIND } from '../../../src/engine/cache/rule-cache.js';
import { decodeContainer, encodeContainer } from '../../../src/engine/cache/container.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { matchContext, scanFile } from '../../../src/engine/file-scan.js';
import type { Alert } from '../../../src/engine/alert.js';
import { runPool, sendEarlyPlan, startScanWorkers, type TaskResult } from '../../../src/engine/parallel/pool.js';
import type { PlanBuffer } from '../../../src/engine/parallel/messages.js';
import { planTasks, type ScanTask } from '../../../src/engine/parallel/tasks.js';
import { EXAMPLES } from '../../helpers/cli.js';
import { ELASTIC_EVENTS, KQL_RULE_ID, writeElasticRules } from '../../helpers/elastic-rule-files.js';

const HANDED = 'Title of the handed-over plan';

async function setup(t: { after(fn: () => void): void }): Promise<{ tasks: ScanTask[]; handed: PlanBuffer; local: (task: ScanTask) => Promise<TaskResult> }> {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-elastic-plan-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rules = join(dir, 'rules');
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  writeElasticRules(rules);
  const copy = join(dir, 'copy.jsonl');
  cpSync(ELASTIC_EVENTS, copy);
  // Two tasks of the same events: with workersFirst, the worker scans the first, this thread the second.
  const tasks = planTasks([ELASTIC_EVENTS, copy]);
  const compiled = await compileRules([rules]);
  // The plan the worker is handed: the same, but for the KQL rule's title.
  const sections = decodeContainer(compiled.plan.blob, PLAN_KIND, compiled.plan.key) as Map<string, unknown>;
  const rulesJson = (sections.get('rules') as { json: { elastic: Array<{ id: string; title: string }> } }).json;
  rulesJson.elastic.find((r) => r.id === KQL_RULE_ID)!.title = HANDED;
  const handed = { blob: encodeContainer(PLAN_KIND, compiled.plan.key, sections as Parameters<typeof encodeContainer>[2]), key: compiled.plan.key };
  const ctx = matchContext(compiled.matcher, compiled.ruleSet.correlations);
  ctx.elastic = new ElasticRunner(compiled.ruleSet.elastic, () => undefined, () => undefined, undefined, { cutOrdered: true });
  const local = async (task: ScanTask): Promise<TaskResult> => {
    const alerts: Alert[] = [];
    const r = await scanFile(task.file, ctx, (a) => alerts.push(a), () => undefined, task.range);
    return { type: 'result', id: task.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems: [], ordered: r.ordered, notes: [] };
  };
  return { tasks, handed, local };
}

async function check(run: (local: (task: ScanTask) => Promise<TaskResult>, onResult: (r: TaskResult) => void) => Promise<void>, local: (task: ScanTask) => Promise<TaskResult>): Promise<void> {
  const results: TaskResult[] = [];
  const scanned: number[] = [];
  await run((task) => (scanned.push(task.id), local(task)), (r) => results.push(r));
  assert.deepEqual(scanned, [1], 'the worker scanned task 0');
  const [theirs, mine] = results;
  const titles = (r: TaskResult): string[] => r.alerts.filter((a) => a.rule.source === 'elastic').map((a) => a.rule.title);
  assert.deepEqual(titles(theirs), [HANDED]);
  assert.deepEqual(titles(mine), ['WMI child PowerShell']);
  // The stateful sequence rule's events come back from the worker as from this thread.
  assert.ok(mine.ordered.length > 0);
  assert.deepEqual(theirs.ordered.map((o) => [o.rec.recordId, o.rules, o.at]), mine.ordered.map((o) => [o.rec.recordId, o.rules, o.at]));
}

test('a worker runs the Elastic rules of the plan in its init', async (t) => {
  const { tasks, handed, local } = await setup(t);
  const started = startScanWorkers(1);
  await check((l, onResult) => runPool(started, { plan: handed }, tasks, l, onResult, { workersFirst: true }), local);
});

test('a worker runs the Elastic rules of the plan sent early, when init carries none', async (t) => {
  const { tasks, handed, local } = await setup(t);
  const started = startScanWorkers(1);
  sendEarlyPlan(started, handed);
  await check((l, onResult) => runPool(started, {}, tasks, l, onResult, { workersFirst: true }), local);
});
