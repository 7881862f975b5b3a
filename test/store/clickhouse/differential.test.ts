/**
 * The acceptance differential on a real 2-shard ClickHouse cluster: every SigmaHQ Windows rule
 * (rules, emerging threats, threat hunting) over the regression data and EVTX-ATTACK-SAMPLES,
 * through the compiled matcher (what `scan` runs) and as SQL over the cluster. The (rule, event)
 * alerts must be the same, event for event. DuckDB's side of the same comparison (same rules, same
 * inputs, same keys) is test/store/differential.test.ts: with both, the three agree. It is not run a
 * second time here (its ingest and hunt took about 100 s of this test's 215 s in CI).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadRules, type RuleSet } from '../../../src/engine/rules.js';
import { openEventStore } from '../../../src/store/event-store.js';
import type { Alert } from '../../../src/engine/alert.js';
import { sharedDir } from '../../helpers/shared.js';
import { alertKey as key, engineAlerts } from '../../helpers/sigma-engine-alerts.js';
import { requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';
import { sigmaRuleDirs } from '../../support/regression.js';

const shared = sharedDir();
let cluster: TestCluster | undefined;
let rules: RuleSet;
let inputs: string[];

before(async () => {
  if (!shared) return;
  cluster = await startTestCluster();
  rules = loadRules(sigmaRuleDirs(shared));
  inputs = [join(shared, 'conformance', 'sigma-regression'), join(shared, 'evtx')];
});

after(async () => {
  await cluster?.dispose();
});


/** Ingest then hunt on one store; alerts counted by (rule, file content, event). */
async function viaStore(spec: string, hashes: Map<string, string>): Promise<{ alerts: Map<string, number>; skipped: string[]; run: number }> {
  const store = await openEventStore(spec);
  try {
    const ing = await store.ingest(inputs);
    assert.equal(ing.failed, 0, `${spec}: every file ingests`);
    const raw: Alert[] = [];
    const skipped: string[] = [];
    const s = await store.hunt(rules, {
      onAlert: (a) => raw.push(a),
      onSkip: (r, reason, message) => { if (reason !== 'not-windows-logsource' && reason !== 'correlation-not-supported') skipped.push(`${r.path}: ${reason}: ${message}`); },
    });
    const alerts = new Map<string, number>();
    for (const a of raw) {
      const k = key(a.rule.id, hashes.get(a.event.file) ?? a.event.file, a.event);
      alerts.set(k, (alerts.get(k) ?? 0) + 1);
    }
    return { alerts, skipped, run: s.rules_run };
  } finally {
    await store.close();
  }
}

function diff(a: Map<string, number>, b: Map<string, number>, an: string, bn: string): string[] {
  const out: string[] = [];
  for (const [k, n] of a) if (b.get(k) !== n) out.push(`${an} ${n}, ${bn} ${b.get(k) ?? 0}: ${k}`);
  for (const [k, n] of b) if (!a.has(k)) out.push(`${an} 0, ${bn} ${n}: ${k}`);
  return out;
}

test('hunt on a 2-shard ClickHouse cluster raises exactly the alerts of the engine (all Windows Sigma rules)', async (t) => {
  if (!shared) return t.skip('DETECTORY_SHARED is not set: the differential needs ../shared');
  if (!requireCluster(t, cluster)) return;
  const hashes = new Map<string, string>();
  const { alerts: engine, matcher } = await engineAlerts(rules, inputs, hashes);
  const ch = await viaStore(cluster!.url, hashes);
  assert.deepEqual(ch.skipped, [], 'every rule the engine can load runs as ClickHouse SQL');
  assert.equal(ch.run, matcher.loaded.length, 'as many rules run on the cluster as the engine loads');
  assert.deepEqual(diff(engine, ch.alerts, 'engine', 'clickhouse'), []);
  assert.ok(engine.size > 1500, `alerts compared: ${engine.size}`);
  t.diagnostic(`alerts compared: ${engine.size}`);
});
