/** A scan on worker threads gives the same alerts, in the same order, as a single-thread scan. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan, type ScanOptions } from '../../src/engine/scan.js';
import type { Alert } from '../../src/engine/alert.js';
import { EXAMPLES } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';

type Extra = Pick<ScanOptions, 'split' | 'recover' | 'chunksPerTask'>;

async function run(eventPaths: string[], rulePaths: string[], threads: number, extra: Extra = {}): Promise<{ alerts: Alert[]; events: number; problems: string[]; split?: string }> {
  const alerts: Alert[] = [];
  const problems: string[] = [];
  const s = await scan({ rulePaths, eventPaths, threads, ...extra, onAlert: (a) => alerts.push(a), onProblem: (l) => problems.push(l) });
  if (!extra.chunksPerTask) assert.equal(s.threads, Math.min(threads, s.files || 1));
  return { alerts, events: s.events, problems, split: s.split };
}

type Scanned = Awaited<ReturnType<typeof run>>;

/** The same events, alerts (in order) and problem lines as the one-thread scan. */
function assertSame(got: Scanned, one: Scanned, label = ''): void {
  assert.equal(got.events, one.events, label);
  assert.deepEqual(got.alerts, one.alerts, label);
  assert.deepEqual(got.problems, one.problems, label);
}

// Two threads split a Sigma scan by stage (one decodes, one matches: parallel/decode-thread.ts) unless told to split it by data.
test('two threads over many files, split by stage and by data: same alerts, same order, same problems', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const events = [join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES'), join(EXAMPLES, 'events')];
  const rules = [join(shared, 'corpora', 'sigma', 'rules'), join(EXAMPLES, 'rules')];
  const one = await run(events, rules, 1);
  assert.equal(one.split, undefined);
  assert.ok(one.alerts.length > 1000, `${one.alerts.length} alerts`);
  for (const split of ['stage', 'data'] as const) {
    const two = await run(events, rules, 2, { split });
    assert.equal(two.split, split);
    assertSame(two, one, split);
  }
});

test('--recover on two threads split by stage: the carved records and their alerts as with one thread', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const dir = join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES');
  const events = [join(dir, 'Persistence', 'persistence_hidden_local_account_sysmon.evtx'), join(dir, 'Defense Evasion'), join(dir, 'Execution', 'sysmon_zipexec.evtx')];
  const rules = [join(shared, 'corpora', 'sigma', 'rules', 'windows')];
  const one = await run(events, rules, 1, { recover: true });
  const two = await run(events, rules, 2, { recover: true });
  assert.equal(two.split, 'stage');
  assert.ok(one.alerts.some((a) => a.event.recovered), 'an alert on a recovered record');
  assertSame(two, one);
});

test('one .evtx file cut into chunk ranges across threads: same alerts and events as one pass', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const file = join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES', 'Privilege Escalation', 'Sysmon_UACME_64.evtx');
  const rules = [join(shared, 'corpora', 'sigma', 'rules')];
  const one = await run([file], rules, 1);
  assert.ok(one.events > 100 && one.alerts.length >= 1, `${one.events} events, ${one.alerts.length} alerts`);
  for (const mode of ['stage', 'data'] as const) {
    const split = await run([file], rules, 2, { chunksPerTask: 2, split: mode });
    assert.equal(split.split, mode);
    assertSame(split, one, mode);
  }
});

/**
 * Elastic rules on worker threads: the stateless ones run on every thread, the stateful ones
 * (sequences, new_terms, threshold) on the main thread in stream order; the alerts are those of a
 * one-thread scan, in the same order, sequences spanning tasks included.
 */
test('two threads with Sigma and Elastic rules: same alerts (sequences, new_terms) in the same order', async (t) => {
  const shared = requireShared(t, 'the EVTX samples and the Elastic rules');
  if (!shared) return;
  const events = [join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')];
  const rules = [join(shared, 'corpora', 'sigma', 'rules', 'windows'), join(shared, 'corpora', 'elastic', 'rules', 'windows')];
  const one = await run(events, rules, 1);
  const two = await run(events, rules, 2);
  const elastic = one.alerts.filter((a) => a.rule.source === 'elastic');
  assert.ok(elastic.some((a) => (a.events?.length ?? 0) > 1), 'a sequence alert');
  assert.ok(elastic.some((a) => a.new_terms), 'a new_terms alert');
  assert.ok(elastic.some((a) => !a.events && !a.new_terms), 'an event-query alert');
  assert.equal(two.events, one.events);
  assert.deepEqual(two.alerts, one.alerts);
  assert.deepEqual(two.problems, one.problems);
});

test('one .evtx file in chunk ranges with Elastic rules: sequences across ranges as in one pass', async (t) => {
  const shared = requireShared(t, 'the EVTX samples and the Elastic rules');
  if (!shared) return;
  const file = join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES', 'AutomatedTestingTools', 'PanacheSysmon_vs_AtomicRedTeam01.evtx');
  const rules = [join(shared, 'corpora', 'elastic', 'rules', 'windows')];
  const collect = async (threads: number, chunksPerTask?: number): Promise<{ alerts: Alert[]; threads: number }> => {
    const alerts: Alert[] = [];
    const s = await scan({ rulePaths: rules, eventPaths: [file], threads, chunksPerTask, onAlert: (a) => alerts.push(a), onProblem: () => undefined });
    return { alerts, threads: s.threads };
  };
  const one = await collect(1);
  const split = await collect(2, 1);
  assert.equal(split.threads, 2);
  assert.ok(one.alerts.filter((a) => (a.events?.length ?? 0) > 1).length >= 2, 'sequence alerts');
  assert.deepEqual(split.alerts, one.alerts);
});

/**
 * Event files are listed before the rules are loaded (worker threads start meanwhile): their
 * problems still come after the rules' problems, as the same lines with one or two threads.
 */
test('problem lines: rule problems first, then event-path problems, the same with one and two threads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-scan-order-'));
  try {
    writeFileSync(join(dir, 'bad.yml'), 'title: [unclosed\n');
    const missing = join(dir, 'no-such-events.jsonl');
    // Two files: two tasks, so that two threads are used.
    copyFileSync(join(EXAMPLES, 'events', 'workstation.jsonl'), join(dir, 'copy.jsonl'));
    const events = [join(EXAMPLES, 'events'), join(dir, 'copy.jsonl'), missing];
    const lines = async (threads: number): Promise<string[]> => {
      const problems: string[] = [];
      const s = await scan({ rulePaths: [join(EXAMPLES, 'rules'), join(dir, 'bad.yml')], eventPaths: events, threads, onAlert: () => undefined, onProblem: (l) => problems.push(l) });
      assert.equal(s.threads, threads);
      return problems;
    };
    const one = await lines(1);
    const rule = one.findIndex((l) => l.includes('bad.yml'));
    const event = one.findIndex((l) => l.includes('no-such-events.jsonl'));
    assert.ok(rule >= 0 && event >= 0, one.join('\n'));
    assert.ok(rule < event, one.join('\n'));
    assert.deepEqual(await lines(2), one);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
