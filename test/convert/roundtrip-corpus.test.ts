/**
 * Conversion round trips over the whole corpora (issue 12): every rule of the Sigma (rules*), Elastic
 * (rules, rules_building_block) and Splunk corpora converted to each text target (sigma, eql, kql,
 * spl) as `detectory convert` does, read back by our own parser for the target, and compared with the
 * source in normal form (src/convert/equivalence.ts). The same-language round trips of issue 9 are in
 * test/backends/elastic/roundtrip-corpus.test.ts and test/formats/splunk/roundtrip-corpus.test.ts;
 * this one adds every cross-language pair and the Sigma target. The floors are the measured counts:
 * a change that makes fewer rules come back equivalent fails. Every Sigma text written also
 * validates against the Sigma detection-rule JSON schema.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { readCorpora } from '../../src/convert/corpora.js';
import { formatTable, roundTripTable } from '../../src/convert/roundtrip-table.js';
import type { TextTarget } from '../../src/convert/roundtrip.js';
import type { Vendor } from '../../src/model/index.js';
import { validateSchema } from '../helpers/json-schema.js';
import { requireShared } from '../helpers/shared.js';

/**
 * Equivalent rules per source and target, as measured (the floors). Elastic's dropped when ES|QL
 * STATS stages entered the model: 161 such rules used to print their WHERE alone and count as
 * equivalent although the aggregation was gone; they are now not convertible, as they should be.
 */
/*
 * Sigma -> EQL dropped from 3429 when conversions had to keep the rule's events (semantic.test.ts):
 * a Windows Sigma rule testing a field the Windows integration splits or rewrites in its ECS
 * documents (User, Hashes, IntegrityLevel on Security 4688...) is not convertible (293 rules,
 * `ecs-field`). Elastic -> Sigma from 1637: 3 rules whose only tests are the ECS classification
 * select whole channels, which no Sigma detection says (`const`).
 */
/*
 * 2026-12-01: no rule differs silently any more (sigma -> eql 8, sigma -> spl 80, elastic -> spl 207,
 * splunk -> eql 5, splunk -> spl 1 did). Most were one test written two ways: a case-insensitive
 * value in another case, a regex's flags as a leading (?is) group, a glob as an anchored regex, a
 * `*` glob and a presence test in the targets' data (equivalence.ts). The SPL printer's glob-as-regex
 * lacked (?s), so its `.` missed line breaks the glob matches: fixed. 18 rules of non-Windows logs
 * keep a field name the target gives another field (a Zeek `query` is CIM's DNS query): convert now
 * reports them as partial, and the round trip counts them as `reported`.
 */
const FLOORS: Record<Vendor, Record<TextTarget, number>> = {
  sigma: { sigma: 3755, eql: 3192, kql: 20, spl: 3544 },
  elastic: { sigma: 1634, eql: 1893, kql: 956, spl: 1637 },
  splunk: { sigma: 1631, eql: 1502, kql: 30, spl: 1643 },
};

test('every rule of the three corpora to each text target and back: equivalent counts, reasons for the rest', (t) => {
  const shared = requireShared(t, 'the rule corpora');
  if (!shared) return;
  const schema = JSON.parse(readFileSync(join(shared, 'specs', 'sigma', 'json-schema', 'sigma-detection-rule-schema.json'), 'utf8')) as Record<string, unknown>;
  const invalid: string[] = [];
  let sigmaTexts = 0;
  const corpora = readCorpora(shared);
  const table = roundTripTable(corpora, undefined, (rule, target, r) => {
    if (target !== 'sigma' || r.text === undefined) return;
    sigmaTexts++;
    const errors = validateSchema(schema, parse(r.text) as unknown);
    if (errors.length) invalid.push(`${rule.path}: ${errors.slice(0, 3).join('; ')}`);
  });
  for (const line of formatTable(table, false).split('\n')) t.diagnostic(line);
  t.diagnostic(`${sigmaTexts} Sigma texts validated against the schema`);
  assert.deepEqual(invalid.slice(0, 10), [], `${invalid.length} Sigma texts do not validate`);
  assert.ok(sigmaTexts > 6000);
  for (const [vendor, row] of table) {
    for (const [target, cell] of row) {
      assert.equal(cell.byStatus['reparse-error'], 0, `${vendor} -> ${target}: converted text that our ${target} reader refuses`);
      // a conversion that changes what the rule tests says so (partial, with the reason), or it is a defect
      const silent = [...cell.reasons].filter(([k]) => k.startsWith('differs:')).map(([k, v]) => `${k} x${v.count}, e.g. ${v.example}`);
      assert.deepEqual(silent, [], `${vendor} -> ${target}: read back different with nothing reported`);
      assert.ok(cell.equivalent >= FLOORS[vendor][target], `${vendor} -> ${target}: ${cell.equivalent} equivalent, measured ${FLOORS[vendor][target]}`);
    }
  }
  // issue 9: the Sigma corpus round-trips through the Sigma backend exactly
  const ss = table.get('sigma')!.get('sigma')!;
  assert.equal(ss.equivalent, ss.rules);
});
