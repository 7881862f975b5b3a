/**
 * A scan worker: started before the rules are loaded, it loads its modules, then rebuilds the
 * matcher from the main thread's compiled plan sent in its first message (a shared buffer: no
 * YAML, no automaton build, tables not copied; tests compiled as events need them), then scans the
 * tasks it is sent.
 */
import { parentPort } from 'node:worker_threads';
import type { ReadProblem } from '../../events/types.js';
import type { Alert } from '../alert.js';
import { restorePlan } from '../cache/plan-buffer.js';
import { formatProblem } from '../../model/index.js';
import { type MatchContext, matchContext, scanFile } from '../file-scan.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';

const port = parentPort!;
const send = (m: FromWorker): void => port.postMessage(m);

let ctx: MatchContext | undefined;
const notes: string[] = [];

async function start(init: WorkerInit): Promise<void> {
  try {
    const { stored, matcher } = restorePlan(init.plan.blob, init.plan.key, true);
    const c = matchContext(matcher, stored.correlations, init.minLevel);
    if (init.elastic?.length) {
      // Alerts go to each task's sink (ElasticRunner.local); the stateful rules run on the main thread.
      // Imported only when needed: the Elastic engines are a third of a worker's module loading.
      // Its events for the stateful rules are cloned to the main thread: only the part those rules read.
      const { ElasticRunner } = await import('../elastic/runner.js');
      c.elastic = new ElasticRunner(init.elastic, () => undefined, (p) => notes.push(formatProblem(p)), c.minLevel, { cutOrdered: true });
    }
    ctx = c;
    send({ type: 'ready' });
  } catch (e) {
    send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    void start(m.init);
    return;
  }
  if (m.type === 'done') {
    port.close();
    return;
  }
  const { task } = m;
  if (!ctx) {
    send({ type: 'fatal', message: 'task sent before the rules' });
    return;
  }
  const alerts: Alert[] = [];
  const problems: ReadProblem[] = [];
  void scanFile(task.file, ctx, (a) => alerts.push(a), (p) => problems.push(p), task.range, undefined, task.recover).then((r) => {
    send({ type: 'result', id: task.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems, ordered: r.ordered, notes: notes.splice(0) });
  });
});
