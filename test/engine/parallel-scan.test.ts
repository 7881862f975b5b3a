/** A scan on worker threads gives the same alerts, in the same order, as a single-thread scan. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { scan } from '../../src/engine/scan.js';
import type { Alert } from '../../src/engine/alert.js';
import { EXAMPLES } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';

async function run(eventPaths: string[], rulePaths: string[], threads: number): Promise<{ alerts: Alert[]; events: number; problems: string[] }> {
  const alerts: Alert[] = [];
  const problems: string[] = [];
  const s = await scan({ rulePaths, eventPaths, threads, onAlert: (a) => alerts.push(a), onProblem: (l) => problems.push(l) });
  assert.equal(s.threads, Math.min(threads, s.files || 1));
  return { alerts, events: s.events, problems };
}

test('two threads over many files: same alerts, same order, same problems', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const events = [join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES'), join(EXAMPLES, 'events')];
  const rules = [join(shared, 'corpora', 'sigma', 'rules'), join(EXAMPLES, 'rules')];
  const one = await run(events, rules, 1);
  const two = await run(events, rules, 2);
  assert.ok(one.alerts.length > 1000, `${one.alerts.length} alerts`);
  assert.equal(two.events, one.events);
  assert.deepEqual(two.alerts, one.alerts);
  assert.deepEqual(two.problems, one.problems);
});

test('one .evtx file cut into chunk ranges across threads: same alerts and events as one pass', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const file = join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES', 'Privilege Escalation', 'Sysmon_UACME_64.evtx');
  const rules = [join(shared, 'corpora', 'sigma', 'rules')];
  const collect = async (threads: number, chunksPerTask?: number): Promise<{ alerts: Alert[]; events: number; problems: string[] }> => {
    const alerts: Alert[] = [];
    const problems: string[] = [];
    const s = await scan({ rulePaths: rules, eventPaths: [file], threads, chunksPerTask, onAlert: (a) => alerts.push(a), onProblem: (l) => problems.push(l) });
    return { alerts, events: s.events, problems };
  };
  const one = await collect(1);
  const split = await collect(2, 2);
  assert.ok(one.events > 100 && one.alerts.length >= 1, `${one.events} events, ${one.alerts.length} alerts`);
  assert.equal(split.events, one.events);
  assert.deepEqual(split.alerts, one.alerts);
  assert.deepEqual(split.problems, one.problems);
});
