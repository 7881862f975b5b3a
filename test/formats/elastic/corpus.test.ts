import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { COVERAGE_TYPES, walkElasticCorpus } from '../../../src/formats/elastic/corpus.js';
import { requireShared } from '../../helpers/shared.js';

/**
 * Walks the whole Elastic corpus: every file yields a rule or a problem, nothing crashes, and
 * predicates are extracted for >= 97% of the eql/query/esql/new_terms/threshold rules (rules and
 * building blocks). Prints counts by type and the top failure reasons.
 */
test('Elastic corpus: coverage >= 0.97 and no crash', (t) => {
  const shared = requireShared(t, 'the Elastic corpus walk');
  if (!shared) return;
  const s = walkElasticCorpus(join(shared, 'corpora', 'elastic'));
  const lines = [`files ${s.files}, rules ${s.rules.length}, problems ${s.problems.length}, crashes ${s.crashes}`];
  for (const [type, c] of Object.entries(s.byType).sort((a, b) => b[1].rules - a[1].rules)) {
    lines.push(`  ${type.padEnd(18)} ${String(c.rules).padStart(5)} rules, ${String(c.withPredicates).padStart(5)} with predicates${COVERAGE_TYPES.includes(type) ? '' : ' (not counted)'}`);
  }
  lines.push(`coverage ${s.coverage.withPredicates}/${s.coverage.rules} = ${(s.coverage.ratio * 100).toFixed(2)}%`);
  const top = Object.entries(s.failures).sort((a, b) => b[1] - a[1]).slice(0, 10);
  lines.push('top failure reasons:', ...top.map(([r, n]) => `  ${n}  ${r}`));
  const reasons = new Map<string, number>();
  for (const p of s.problems) reasons.set(p.reason, (reasons.get(p.reason) ?? 0) + 1);
  lines.push('problems by reason:', ...[...reasons].map(([r, n]) => `  ${n}  ${r}`));
  for (const l of lines) t.diagnostic(l);

  assert.equal(s.crashes, 0, 'internal errors while parsing');
  // Every file yields a rule or a problem.
  const covered = new Set([...s.rules.map((r) => r.path), ...s.problems.map((p) => p.file)]);
  assert.equal(covered.size, s.files);
  assert.ok(s.coverage.ratio >= 0.97, `coverage ${s.coverage.ratio}`);
  // Machine-learning rules are listed with no predicates and say why.
  for (const r of s.rules.filter((x) => x.type === 'machine_learning')) {
    assert.equal(r.detection, undefined);
    assert.match(String(r.extra.no_predicates_reason), /machine-learning/);
  }
  // Technique ids are normalized.
  for (const r of s.rules) for (const id of r.techniques) assert.match(id, /^T\d{4}(\.\d{3})?$/);
});
