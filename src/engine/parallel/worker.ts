/**
 * A scan worker: started before the rules are loaded, it loads its modules, then rebuilds the
 * matcher from the main thread's compiled plan (a shared buffer: no YAML, no automaton build,
 * tables not copied; tests compiled as events need them), then scans the tasks it is sent, one at
 * a time. A plan read from the rule cache is sent as soon as it is read (`plan`), and rebuilt here
 * while the main thread checks it; it is used only when `init` says so (the main thread found it
 * sound), else `init` carries the plan to use.
 */
import { parentPort } from 'node:worker_threads';
import type { ReadProblem } from '../../events/types.js';
import type { Alert } from '../alert.js';
import { restorePlan } from '../cache/plan-buffer.js';
import { formatProblem } from '../../model/index.js';
import { type MatchContext, matchContext, scanFile } from '../file-scan.js';
import type { FromWorker, PlanBuffer, ToWorker, WorkerInit } from './messages.js';
import { SerialQueue } from './serial-queue.js';
import type { ScanTask } from './tasks.js';
import { mark, markThreadCpu } from './timeline.js';

mark('modules loaded');

const port = parentPort!;
const send = (m: FromWorker): void => port.postMessage(m);

let ctx: MatchContext | undefined;
const notes: string[] = [];
/** The plan sent ahead of `init`, rebuilt (or why it could not be). */
let early: { restored?: ReturnType<typeof restorePlan>; error?: string } | undefined;

function restoreEarly(plan: PlanBuffer): void {
  mark('plan received');
  try {
    // Not checked yet: the main thread checks the same bytes, and `init` tells whether to use them.
    early = { restored: restorePlan(plan.blob, plan.key, true) };
    mark('plan restored');
  } catch (e) {
    early = { error: e instanceof Error ? e.message : String(e) };
  }
}

async function start(init: WorkerInit): Promise<void> {
  mark('init');
  try {
    const restored = init.plan ? restorePlan(init.plan.blob, init.plan.key, true) : early?.restored;
    if (!restored) throw new Error(`no plan to match with${early?.error ? ` (${early.error})` : ''}`);
    early = undefined;
    const { stored, matcher } = restored;
    const c = matchContext(matcher, stored.correlations, init.minLevel);
    if (init.elastic?.length) {
      // Alerts go to each task's sink (ElasticRunner.local); the stateful rules run on the main thread.
      // Imported only when needed: the Elastic engines are a third of a worker's module loading.
      // Its events for the stateful rules are cloned to the main thread: only the part those rules read.
      const { ElasticRunner } = await import('../elastic/runner.js');
      c.elastic = new ElasticRunner(init.elastic, () => undefined, (p) => notes.push(formatProblem(p)), c.minLevel, { cutOrdered: true });
    }
    ctx = c;
    mark('ready');
    send({ type: 'ready' });
  } catch (e) {
    send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
  }
}

async function runTask(task: ScanTask): Promise<void> {
  if (!ctx) {
    send({ type: 'fatal', message: 'task sent before the rules' });
    return;
  }
  const alerts: Alert[] = [];
  const problems: ReadProblem[] = [];
  mark(`task ${task.id} start`);
  const r = await scanFile(task.file, ctx, (a) => alerts.push(a), (p) => problems.push(p), task.range, undefined, task.recover);
  mark(`task ${task.id} end`);
  send({ type: 'result', id: task.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems, ordered: r.ordered, notes: notes.splice(0) });
}

const tasks = new SerialQueue(runTask, (e, task) => send({ type: 'fatal', message: `task ${task.id} (${task.file}): ${e instanceof Error ? e.message : String(e)}` }));

port.on('message', (m: ToWorker) => {
  if (m.type === 'plan') restoreEarly(m.plan);
  else if (m.type === 'init') void start(m.init);
  else if (m.type === 'done') {
    markThreadCpu('done');
    port.close();
  }
  else tasks.push(m.task);
});
