/** Every SigmaHQ rule file is loaded or reported with a precise reason; at least 99% of rules/ load. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { listRuleFiles, loadRules } from '../../src/engine/rules.js';
import { Matcher } from '../../src/engine/matcher.js';
import { requireShared } from '../helpers/shared.js';

const FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance', 'deprecated', 'unsupported'];

test('every Sigma rule file yields rules or problems naming it', (t) => {
  const shared = requireShared(t, 'the Sigma corpus');
  if (!shared) return;
  for (const folder of FOLDERS) {
    const dir = join(shared, 'corpora', 'sigma', folder);
    const files = listRuleFiles([dir], []);
    const set = loadRules([dir]);
    const withRule = new Set([...set.detections, ...set.correlations, ...set.filters].map((r) => r.path));
    const withProblem = new Set(set.problems.map((p) => p.file));
    const silent = files.filter((f) => !withRule.has(f) && !withProblem.has(f));
    assert.deepEqual(silent, [], `${folder}: files with neither a rule nor a problem`);
    for (const p of set.problems) {
      assert.ok(p.reason && p.message, `${p.file}: problem without a reason`);
      assert.ok(p.line !== undefined || p.where !== undefined || p.reason === 'unreadable', `${p.file}: ${p.reason} without a position`);
    }
    const matcher = new Matcher(set.detections);
    const reasons: Record<string, number> = {};
    for (const s of matcher.skipped) reasons[s.reason] = (reasons[s.reason] ?? 0) + 1;
    for (const p of set.problems) reasons[p.reason] = (reasons[p.reason] ?? 0) + 1;
    t.diagnostic(`${folder}: ${files.length} files, ${set.detections.length} rules parsed, ${matcher.loaded.length} run on Windows logs, skipped ${JSON.stringify(reasons)}`);
    assert.equal(matcher.skipped.filter((s) => s.reason === 'compile-error').length, 0, `${folder}: compile errors`);
    if (folder === 'rules') {
      const parsed = set.detections.length / files.length;
      assert.ok(parsed >= 0.99, `rules/: ${(parsed * 100).toFixed(2)}% parsed`);
      // Of the Windows rules, all but unmapped log sources run.
      const windows = set.detections.filter((r) => r.logsource.product === 'windows');
      const running = matcher.loaded.filter((r) => r.logsource.product === 'windows');
      assert.ok(running.length / windows.length >= 0.99, `windows rules running: ${running.length}/${windows.length}`);
    }
  }
});
