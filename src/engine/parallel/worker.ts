/** A scan worker: compiles the rules it is given once, then scans the tasks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadProblem } from '../../events/types.js';
import type { Alert } from '../alert.js';
import { matchContext, scanFile } from '../file-scan.js';
import { Matcher } from '../matcher.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';

const port = parentPort!;
const send = (m: FromWorker): void => port.postMessage(m);

try {
  const init = workerData as WorkerInit;
  const matcher = new Matcher(init.detections);
  const ctx = matchContext(matcher, init.correlations, init.minLevel);
  send({ type: 'ready', loaded: matcher.loaded.length, skipped: matcher.skipped.map((s) => ({ path: s.rule.path, reason: s.reason, message: s.message })) });
  port.on('message', (m: ToWorker) => {
    if (m.type === 'done') {
      port.close();
      return;
    }
    const { task } = m;
    const alerts: Alert[] = [];
    const problems: ReadProblem[] = [];
    void scanFile(task.file, ctx, (a) => alerts.push(a), (p) => problems.push(p), task.range, undefined, task.recover).then((r) => {
      send({ type: 'result', id: task.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems });
    });
  });
} catch (e) {
  send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
}
