/** A scan pool's test fixture: copies of the example events as tasks, the example rules, one started worker, this thread's scan of a task. */
import type { TestContext } from 'node:test';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules } from '../../src/engine/cache/rule-cache.js';
import { matchContext, scanFile } from '../../src/engine/file-scan.js';
import type { Alert } from '../../src/engine/alert.js';
import { startScanWorkers, type TaskResult } from '../../src/engine/parallel/pool.js';
import { planTasks, type ScanTask } from '../../src/engine/parallel/tasks.js';
import { EXAMPLES } from './cli.js';

export async function poolFixture(t: TestContext, copies: number) {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-pool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = Array.from({ length: copies }, (_, i) => {
    const f = join(dir, `copy-${i}.jsonl`);
    copyFileSync(join(EXAMPLES, 'events', 'workstation.jsonl'), f);
    return f;
  });
  const tasks = planTasks(files);
  const compiled = await compileRules([join(EXAMPLES, 'rules')]);
  const ctx = matchContext(compiled.matcher, compiled.ruleSet.correlations);
  const started = startScanWorkers(1);
  /** This thread's scan of a task, as a scan does it. */
  const scanHere = async (task: ScanTask): Promise<TaskResult> => {
    const alerts: Alert[] = [];
    const r = await scanFile(task.file, ctx, (a) => alerts.push(a), () => undefined, task.range);
    return { type: 'result', id: task.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems: [], ordered: r.ordered, notes: [] };
  };
  return { tasks, compiled, started, worker: started.workers[0], scanHere };
}
