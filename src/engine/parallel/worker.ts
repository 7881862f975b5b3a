/**
 * A scan worker: started before the rules are loaded, it loads its modules, then rebuilds the
 * matcher from the main thread's compiled plan (a shared buffer: no YAML, no automaton build,
 * tables not copied; tests compiled as events need them) and its Elastic runner from the plan's
 * Elastic rules (no TOML: their queries are compiled here, as the main thread compiles its own),
 * then scans the tasks it is sent, one at a time. A plan read from the rule cache is sent as soon
 * as it is read (`plan`), and rebuilt here while the main thread checks it; it is used only when
 * `init` says so (the main thread found it sound), else `init` carries the plan to use.
 */
import { parentPort } from 'node:worker_threads';
import type { ReadProblem } from '../../events/types.js';
import type { Alert } from '../alert.js';
import { restorePlan } from '../cache/plan-buffer.js';
import { checkElasticRules } from '../cache/check-shapes.js';
import { formatProblem, type Rule } from '../../model/index.js';
import { type MatchContext, matchContext, scanFile } from '../file-scan.js';
import type { ElasticRunner } from '../elastic/runner.js';
import type { FromWorker, PlanBuffer, ToWorker, WorkerInit } from './messages.js';
import { SerialQueue } from './serial-queue.js';
import type { ScanTask } from './tasks.js';
import { mark, markThreadCpu } from './timeline.js';
import { setSyncReads } from '../../events/evtx/reader.js';

mark('modules loaded');

// Scans split by data keep every core busy: this thread's reads need no pool thread (reader.ts).
setSyncReads(true);

const port = parentPort!;
const send = (m: FromWorker): void => port.postMessage(m);

const notes: string[] = [];
/** The plan sent ahead of `init`, rebuilt (or why it could not be), with its Elastic runner being built. */
let early: { restored?: ReturnType<typeof restorePlan>; elastic?: Promise<ElasticRunner | undefined>; error?: string } | undefined;

/**
 * The Elastic runner of a plan's Elastic rules (none without any). Alerts go to each task's sink
 * (ElasticRunner.local); the stateful rules run on the main thread, and the events they need are
 * cloned to it: only the part those rules read (cutOrdered).
 */
async function elasticRunner(rules: Rule[]): Promise<ElasticRunner | undefined> {
  if (!rules.length) return undefined;
  // Imported only when needed: the Elastic engines are a third of a worker's module loading.
  const { ElasticRunner } = await import('../elastic/runner.js');
  const runner = new ElasticRunner(rules, () => undefined, (p) => notes.push(formatProblem(p)), undefined, { cutOrdered: true });
  mark('elastic rules compiled');
  return runner;
}

function restoreEarly(plan: PlanBuffer): void {
  mark('plan received');
  try {
    // Not checked yet: the main thread checks the same bytes, and `init` tells whether to use them.
    const restored = restorePlan(plan.blob, plan.key, true);
    mark('plan restored');
    // Compiled before the main thread has checked them: their shapes are checked here first (a
    // forged file must not make this thread allocate without bound), which is cheap.
    const elastic = elasticRunner(checkElasticRules(restored.stored.elastic));
    // Awaited in `start`; a failure is reported there (or never, if the plan is not used).
    elastic.catch(() => undefined);
    early = { restored, elastic };
  } catch (e) {
    early = { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The rules to match with, once `init` came (undefined: they could not be had; `start` reported why). */
let ready: Promise<MatchContext | undefined> | undefined;

async function start(init: WorkerInit): Promise<MatchContext | undefined> {
  mark('init');
  try {
    const restored = init.plan ? restorePlan(init.plan.blob, init.plan.key, true) : early?.restored;
    if (!restored) throw new Error(`no plan to match with${early?.error ? ` (${early.error})` : ''}`);
    const elastic = init.plan ? elasticRunner(restored.stored.elastic) : early!.elastic!;
    early = undefined;
    const { stored, matcher } = restored;
    const c = matchContext(matcher, stored.correlations, init.minLevel);
    const runner = await elastic;
    if (runner?.size) {
      runner.minLevel = c.minLevel;
      c.elastic = runner;
    }
    markThreadCpu('ready');
    send({ type: 'ready' });
    return c;
  } catch (e) {
    send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}

async function runTask(task: ScanTask): Promise<void> {
  if (!ready) {
    send({ type: 'fatal', message: 'task sent before the rules' });
    return;
  }
  // Tasks come with `init` (see pool.ts startPool): they wait here until the rules are ready.
  const ctx = await ready;
  // No rules: `start` sent the reason.
  if (!ctx) return;
  const alerts: Alert[] = [];
  const problems: ReadProblem[] = [];
  mark(`task ${task.id} start`);
  const r = await scanFile(task.file, ctx, (a) => alerts.push(a), (p) => problems.push(p), task.range, undefined, task.recover);
  markThreadCpu(`task ${task.id} end events ${r.events}`);
  send({ type: 'result', id: task.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems, ordered: r.ordered, notes: notes.splice(0) });
}

const tasks = new SerialQueue(runTask, (e, task) => send({ type: 'fatal', message: `task ${task.id} (${task.file}): ${e instanceof Error ? e.message : String(e)}` }));

port.on('message', (m: ToWorker) => {
  if (m.type === 'plan') restoreEarly(m.plan);
  else if (m.type === 'init') ready = start(m.init);
  else if (m.type === 'done') {
    markThreadCpu('done');
    port.close();
  }
  else tasks.push(m.task);
});
