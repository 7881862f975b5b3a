/**
 * The Windows Elastic rules (eql, query, threshold, new_terms under rules/windows and the Windows
 * building-block rules) load into the scan's Elastic runner, and a scan of EVTX-ATTACK-SAMPLES with
 * them completes. Prints the counts (loaded, skipped by reason, alerts per rule type).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../../src/engine/alert.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { scan } from '../../../src/engine/scan.js';
import type { Rule } from '../../../src/model/index.js';
import { requireShared } from '../../helpers/shared.js';
import { windowsElasticRules } from '../../helpers/elastic-windows.js';

test('at least 95% of the Windows Elastic rules (eql, query, threshold, new_terms) load; scanning EVTX-ATTACK-SAMPLES with them completes', async (t) => {
  const shared = requireShared(t, 'the Elastic corpus');
  if (!shared) return;
  const { rules, unparsed } = windowsElasticRules(shared);
  const runner = new ElasticRunner(rules, () => undefined, () => undefined);
  const byType = (list: Rule[]): Record<string, number> => list.reduce<Record<string, number>>((m, r) => ((m[r.type ?? '?'] = (m[r.type ?? '?'] ?? 0) + 1), m), {});
  const skippedBy: Record<string, number> = {};
  for (const s of runner.skipped) skippedBy[s.reason] = (skippedBy[s.reason] ?? 0) + 1;
  const total = rules.length + unparsed.length;
  const share = runner.loaded.length / total;
  t.diagnostic(`Windows Elastic rules: ${runner.loaded.length} of ${total} load (${unparsed.length} files of rules/windows do not parse) (${(share * 100).toFixed(1)}%); loaded by type ${JSON.stringify(byType(runner.loaded))}; of ${JSON.stringify(byType(rules))}; skipped ${JSON.stringify(skippedBy)}`);
  assert.ok(total > 500, `only ${total} Windows rules found`);
  assert.ok(share >= 0.95, `${runner.loaded.length} of ${total} load`);
  assert.ok(runner.loaded.some((r) => r.type === 'threshold') && runner.loaded.some((r) => r.type === 'new_terms'));

  const alerts: Alert[] = [];
  const problems: string[] = [];
  const summary = await scan({
    rulePaths: [...new Set(runner.loaded.map((r) => r.path))],
    eventPaths: [join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')],
    onAlert: (a) => alerts.push(a),
    onProblem: (p) => problems.push(p),
  });
  const alertsByType: Record<string, number> = {};
  const rulesByType: Record<string, Set<string>> = {};
  for (const a of alerts) {
    if (a.rule.source !== 'elastic') continue;
    const ty = a.rule.type ?? '?';
    alertsByType[ty] = (alertsByType[ty] ?? 0) + 1;
    (rulesByType[ty] ??= new Set()).add(a.rule.id);
  }
  const ruleCounts = Object.fromEntries(Object.entries(rulesByType).map(([k, v]) => [k, v.size]));
  t.diagnostic(`EVTX-ATTACK-SAMPLES: ${summary.events} events, alerts by rule type ${JSON.stringify(alertsByType)}, rules alerting by type ${JSON.stringify(ruleCounts)}`);
  const runtime = problems.filter((p) => /runtime-error/.test(p));
  t.diagnostic(`runtime errors: ${runtime.length}${runtime.length ? `: ${runtime.slice(0, 3).join(' | ')}` : ''}`);
  assert.ok(summary.events > 0);
  assert.equal(summary.rules_loaded, runner.loaded.length);
  assert.deepEqual(runtime, []);
  // Every threshold and new_terms alert carries its aggregation.
  for (const a of alerts) {
    if (a.rule.type === 'threshold') assert.ok(a.threshold && a.threshold.count >= 1);
    if (a.rule.type === 'new_terms') assert.ok(a.new_terms && Object.keys(a.new_terms.terms).length >= 1);
  }
});
