/**
 * Correlations on real events: hunt (DuckDB SQL) against scan over EVTX-ATTACK-SAMPLES and the
 * SigmaHQ regression data. The Sigma corpus at its pinned commit holds no correlation rule (counted
 * below; any that appears runs here with every corpus rule as its bases), so the test also runs
 * correlations of every type written for these events: one over all of the corpus's Windows
 * Security rules, the others over small base rules (Sysmon process and network events, logons).
 * Files with the same content are one file to the store: both sides read each content once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine/scan.js';
import { loadRules } from '../../src/engine/rules.js';
import type { Alert } from '../../src/engine/alert.js';
import { openDb } from '../../src/store/db.js';
import { ingest } from '../../src/store/duckdb/ingest.js';
import { hunt } from '../../src/store/duckdb/hunt.js';
import { requireShared } from '../helpers/shared.js';
import { correlationLines } from '../helpers/correlation-diff.js';
import { correlations, uniqueInputs } from '../support/correlation-rules.js';
import { sigmaRuleDirs } from '../support/regression.js';

test('hunt (DuckDB) raises scan\'s correlation alerts on EVTX-ATTACK-SAMPLES and the regression data', async (t) => {
  const shared = requireShared(t, 'the correlation differential');
  if (!shared) return;
  const corpus = loadRules(sigmaRuleDirs(shared));
  t.diagnostic(`correlation rules in the Sigma corpus: ${corpus.correlations.length}`);
  const security = join(shared, 'corpora', 'sigma', 'rules', 'windows', 'builtin', 'security');
  const securityIds = loadRules([security]).detections.map((r) => r.id);
  assert.ok(securityIds.length > 100, `corpus Security rules: ${securityIds.length}`);

  const inputs = await uniqueInputs(shared);
  const dir = mkdtempSync(join(tmpdir(), 'detectory-corrcorpus-'));
  const db = await openDb(':memory:');
  try {
    const mine = join(dir, 'correlations.yml');
    writeFileSync(mine, correlations(securityIds));
    const rulePaths = corpus.correlations.length ? [...sigmaRuleDirs(shared), mine] : [security, mine];
    const fromScan: Alert[] = [];
    await scan({ rulePaths, eventPaths: inputs, threads: 1, onAlert: (a) => fromScan.push(a), onProblem: () => {} });
    const ing = await ingest(db.conn, inputs);
    assert.equal(ing.failed, 0);
    const fromHunt: Alert[] = [];
    const skipped: string[] = [];
    const rules = loadRules(rulePaths);
    await hunt(db.conn, rules, { onAlert: (a) => fromHunt.push(a), onSkip: (r, reason, m) => { if (reason !== 'not-windows-logsource') skipped.push(`${r.title}: ${reason}: ${m}`); } });
    assert.deepEqual(skipped, [], 'every rule runs as SQL');
    const scanLines = correlationLines(fromScan);
    const huntLines = correlationLines(fromHunt);
    const perRule = new Map<string, number>();
    for (const a of fromScan) if (a.rule.type === 'correlation') perRule.set(a.rule.title, (perRule.get(a.rule.title) ?? 0) + 1);
    t.diagnostic(`correlations run: ${rules.correlations.length}; scan alerts per correlation: ${JSON.stringify(Object.fromEntries(perRule))}`);
    assert.equal(perRule.size, rules.correlations.length, 'every correlation fires on these events (a test that can fail)');
    assert.deepEqual(huntLines.filter((l) => !scanLines.includes(l)), [], 'hunt raises no alert scan does not');
    assert.deepEqual(scanLines.filter((l) => !huntLines.includes(l)), [], 'scan raises no alert hunt does not');
    assert.equal(huntLines.length, scanLines.length);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
