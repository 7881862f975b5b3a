/**
 * Issue 9: a status that cannot lie. A rule is `parsed` only when its tree holds every condition of
 * its query; lost conditions (Rule.losses, unknown nodes, constants, extra.unlowered) make it
 * `partial` and are rows of rule_losses, shown by the rule detail and counted in the stats. The
 * guide counts a negated test (not an exclusion) as its negation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog } from '../../src/catalog/build.js';
import { computeGuide } from '../../src/catalog/guide.js';
import { catalogStats } from '../../src/catalog/stats.js';
import { renderStats } from '../../src/catalog/stats-text.js';
import { findRules } from '../../src/catalog/rule-detail.js';
import { rows } from '../../src/catalog/query.js';
import { fileRows } from '../../src/catalog/rows.js';
import type { Rule } from '../../src/model/index.js';
import { requireShared } from '../helpers/shared.js';
import { FAKE_PARSERS, and, not, or, pred, withDb, write } from './fixtures.js';

const unknownNode = (text: string) => ({ kind: 'unknown', text, reason: 'comparison with a computed value' }) as const;

test('status: unknown nodes, losses, unlowered entries and constants make a rule partial, each lost condition a rule_losses row', () => withDb(async (db, dir) => {
  const splunk = join(dir, 'splunk');
  write(join(splunk, 'detections', 'a.yml'), [
    { id: 'clean', title: 'Clean', techniques: ['T1216'], detection: pred('process_name', 'eq', ['cscript.exe']) },
    {
      id: 'with-losses', title: 'Losses', techniques: ['T1216'],
      detection: and(pred('EventCode', 'eq', [5136]), not(unknownNode('new_ace IN (old_values)'))),
      losses: [{ text: 'new_ace IN (old_values)', reason: 'computed-comparison', offset: 42, detail: 'in() over computed values' },
        { text: '[search sourcetype=x]', reason: 'subsearch', offset: 90 }],
    },
    { id: 'bare-unknown', title: 'Unknown only in the tree', detection: and(pred('a', 'eq', ['1']), unknownNode('len(x) > 10')) },
    { id: 'unlowered', title: 'Unlowered only', detection: pred('a', 'eq', ['1']), extra: { unlowered: [{ offset: 7, command: 'where', what: 'function foo()', text: 'foo(x)' }] } },
    { id: 'constant', title: 'A constant', detection: and(pred('a', 'eq', ['1']), not({ kind: 'const', value: true })) },
  ]);
  write(join(splunk, 'macros', 'm.yml'), 'name: x');
  await buildCatalog(db, { splunk: [splunk], parsers: FAKE_PARSERS });
  const status = Object.fromEntries((await rows(db, `SELECT id, parse_status, parse_note FROM rules`)).map((r) => [r.id, [r.parse_status, r.parse_note]]));
  assert.equal(status.clean[0], 'parsed');
  for (const id of ['with-losses', 'bare-unknown', 'unlowered', 'constant']) assert.equal(status[id][0], 'partial', id);
  assert.match(String(status['with-losses'][1]), /^lost: 2 condition\(s\) not in the predicates \(computed-comparison: new_ace IN \(old_values\)\)/);

  const losses = await rows(db, `SELECT r.id, l.text, l.reason, l."offset", l.detail FROM rule_losses l JOIN rules r ON r.uid = l.rule_uid ORDER BY r.id, l."offset"`);
  assert.deepEqual(losses.map((l) => [l.id, l.text, l.reason, l.offset]), [
    ['bare-unknown', 'len(x) > 10', 'unknown', null],
    ['constant', 'true', 'constant', null],
    ['unlowered', 'foo(x)', 'unlowered', 7],
    ['with-losses', 'new_ace IN (old_values)', 'computed-comparison', 42],
    ['with-losses', '[search sourcetype=x]', 'subsearch', 90],
  ]);
  // statistics skip unknown nodes: only real predicates are rows
  const preds = await rows(db, `SELECT r.id, count(*) AS n FROM predicates p JOIN rules r ON r.uid = p.rule_uid GROUP BY ALL ORDER BY 1`);
  assert.deepEqual(preds.map((p) => [p.id, Number(p.n)]), [['bare-unknown', 1], ['clean', 1], ['constant', 1], ['unlowered', 1], ['with-losses', 1]]);

  const [detail] = await findRules(db, 'with-losses');
  assert.equal(detail.parse_status, 'partial');
  assert.deepEqual(detail.losses, [
    { text: 'new_ace IN (old_values)', reason: 'computed-comparison', offset: 42, detail: 'in() over computed values' },
    { text: '[search sourcetype=x]', reason: 'subsearch', offset: 90, detail: null },
  ]);

  const s = await catalogStats(db);
  assert.deepEqual(s.vendors.map((v) => [v.vendor, v.parsed, v.partial]), [['splunk', 1, 4]]);
  assert.deepEqual(s.losses, [
    { vendor: 'splunk', reason: 'computed-comparison', losses: 1, rules: 1 },
    { vendor: 'splunk', reason: 'constant', losses: 1, rules: 1 },
    { vendor: 'splunk', reason: 'subsearch', losses: 1, rules: 1 },
    { vendor: 'splunk', reason: 'unknown', losses: 1, rules: 1 },
    { vendor: 'splunk', reason: 'unlowered', losses: 1, rules: 1 },
  ]);
  assert.match(renderStats(s), /Conditions not in the predicates, by reason[^\n]*\n[^\n]*Vendor[^\n]*Reason[^\n]*Conditions[^\n]*Rules/);
}));

test('status: a notice (YAML read as the vendor does) does not make a rule partial; an error does', () => {
  const rule: Rule = {
    id: 'r', title: 'r', vendor: 'splunk', path: 'x.yml', references: [], falsePositives: [], tags: [], techniques: [], tactics: [],
    logsource: {}, type: 'TTP', language: 'spl', fields: [], extra: {}, detection: pred('a', 'eq', ['1']),
  };
  const notice = fileRows('splunk', 'x.yml', [rule], [{ file: 'x.yml', reason: 'yaml-lenient', severity: 'notice', message: 'read as YAML 1.1' }]);
  assert.equal(notice.rules[0].parse_status, 'parsed');
  assert.equal(notice.problems.length, 1, 'the notice is still recorded');
  const error = fileRows('splunk', 'x.yml', [rule], [{ file: 'x.yml', reason: 'macro-missing', message: 'macro `m` is not defined' }]);
  assert.equal(error.rules[0].parse_status, 'partial');
});

test('guide: a negated test that is not an exclusion counts as its negation (eq -> ne, others -> "not <op>")', () => withDb(async (db, dir) => {
  const sigma = join(dir, 'sigma');
  write(join(sigma, 'a.yml'), [{
    id: 's1', title: 'Negations', techniques: ['T1216'],
    // the not()s sit inside an or: they are negated, not exclusions
    detection: and(pred('Image', 'ends_with', ['\\cscript.exe']),
      or(not(pred('Signed', 'eq', ['true'])), not(pred('CommandLine', 'contains', ['-nop'])), pred('User', 'eq', ['x']))),
  }, {
    id: 's2', title: 'Positive', techniques: ['T1216'],
    detection: and(pred('Signed', 'eq', ['true']), not(pred('CommandLine', 'contains', ['-x']))),
  }]);
  await buildCatalog(db, { sigma: [sigma], parsers: FAKE_PARSERS });
  const g = await computeGuide(db, 'T1216');
  const ops = Object.fromEntries(g!.fields.map((f) => [f.field, f.operators]));
  assert.deepEqual(ops.Signed, { eq: 1, ne: 1 });
  // s2's CommandLine test is an exclusion (a top-level not): not among the fields filtered
  assert.deepEqual(ops.CommandLine, { 'not contains': 1 });
  assert.deepEqual(ops.User, { eq: 1 });
}));

test('guide on the named Elastic rule: `not process.code_signature.trusted == true` inside an and is counted as ne, not eq', async (t) => {
  const shared = requireShared(t, 'the named Elastic rule');
  if (!shared) return;
  await withDb(async (db, dir) => {
    const elastic = join(dir, 'elastic');
    mkdirSync(elastic);
    copyFileSync(join(shared, 'corpora', 'elastic', 'rules', 'windows', 'execution_delayed_via_ping_lolbas_unsigned.toml'), join(elastic, 'r.toml'));
    await buildCatalog(db, { elastic: [elastic] });
    const g = await computeGuide(db, 'T1216');
    assert.equal(g?.rules.total, 1);
    const trusted = g!.fields.find((f) => f.field === 'process.code_signature.trusted');
    assert.deepEqual(trusted?.operators, { ne: 1 });
  });
});
