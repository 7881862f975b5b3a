/**
 * Walks every detection of the shared security_content corpus: no crash, every file yields a rule
 * or a problem, and predicates come out of at least 95% of the detections whose search filters.
 * Prints the counts and the top reasons for the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { requireShared } from '../../helpers/shared.js';
import { loadSplunkMacros, parseSplunkFile, walkSplunkDetections } from '../../../src/formats/splunk/index.js';
import { walkPredicates, type Detection } from '../../../src/model/index.js';

const count = (d: unknown): number => {
  let n = 0;
  if (d) walkPredicates(d as Detection, () => n++);
  return n;
};

test('splunk corpus: every detection parses into a rule or a problem; predicates for >= 95%', (t) => {
  const shared = requireShared(t, 'the Splunk corpus walk');
  if (!shared) return;
  const root = join(shared, 'corpora', 'splunk');
  const loaded = loadSplunkMacros(join(root, 'macros'));
  const files = walkSplunkDetections(join(root, 'detections'));
  let crashes = 0;
  let rules = 0;
  let filtering = 0;
  let withPreds = 0;
  let withPredsOrSelector = 0;
  let predicates = 0;
  const silent: string[] = [];
  const problemReasons = new Map<string, number>();
  const failureReasons = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  const examples = new Map<string, string>();
  const started = Date.now();
  for (const f of files) {
    let r;
    try {
      r = parseSplunkFile(f, loaded.macros);
    } catch (e) {
      crashes++;
      t.diagnostic(`CRASH ${f}: ${(e as Error).message}`);
      continue;
    }
    if (!r.rules.length && !r.problems.length) silent.push(f);
    for (const p of r.problems) bump(problemReasons, p.reason);
    for (const rule of r.rules) {
      rules++;
      if (!rule.extra.has_filter_clause) continue;
      filtering++;
      const n = count(rule.detection);
      predicates += n;
      if (n) withPreds++;
      if (n || count(rule.extra.selector)) withPredsOrSelector++;
      if (!n) {
        const why = !rule.extra.query_parsed
          ? `query-parse`
          : count(rule.extra.selector)
            ? 'only event-selector conditions (index/source/sourcetype)'
            : (rule.extra.unlowered as unknown[]).length
              ? 'only computed conditions (not predicates)'
              : 'no filter conditions lowered';
        bump(failureReasons, why);
        if (!examples.has(why)) examples.set(why, relative(root, f));
      }
    }
  }
  const ratio = withPreds / filtering;
  t.diagnostic(`files ${files.length}, rules ${rules}, crashes ${crashes}, ${Date.now() - started} ms`);
  t.diagnostic(`macros loaded ${loaded.macros.size}, macro problems ${loaded.problems.length}`);
  t.diagnostic(`detections whose search filters: ${filtering}; with predicates: ${withPreds} (${(100 * ratio).toFixed(2)}%); with predicates or selector: ${withPredsOrSelector}; predicates: ${predicates}`);
  t.diagnostic(`problems by reason: ${[...problemReasons].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const [k, v] of [...failureReasons].sort((a, b) => b[1] - a[1])) t.diagnostic(`no predicates: ${v} x ${k} (e.g. ${examples.get(k)})`);
  assert.equal(crashes, 0);
  assert.deepEqual(silent, [], 'files with neither a rule nor a problem');
  assert.ok(ratio >= 0.95, `predicate ratio ${ratio}`);
});
