import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levelOfScore, parseSplunkText, riskScore } from '../../../src/formats/splunk/index.js';
import type { MacroTable } from '../../../src/formats/spl/index.js';

const macros: MacroTable = new Map([['sysmon', { name: 'sysmon', args: [], definition: 'sourcetype=XmlWinEventLog:Microsoft-Windows-Sysmon/Operational' }]]);

const doc = (search: string, more = ''): string =>
  [
    'name: Test Rule',
    'id: 11111111-2222-3333-4444-555555555555',
    'status: production',
    'type: TTP',
    'description: d',
    'data_source:',
    '- Sysmon EventID 1',
    `search: ${search}`,
    'how_to_implement: h',
    'known_false_positives: admins',
    'references:',
    '- https://example.org',
    'tags:',
    '  mitre_attack_id:',
    '  - t1216.001',
    '  - T1218',
    '  - bogus',
    '  confidence: 80',
    '  impact: 80',
    '  risk_score: 64',
    more,
  ].join('\n');

test('splunk rule: metadata, level from risk score, techniques normalized', () => {
  const r = parseSplunkText(doc("'`sysmon` EventCode=1 Image=\"*\\\\rundll32.exe\" | stats count by Image | `test_rule_filter`'"), 'x.yml', macros);
  assert.equal(r.rules.length, 1);
  const rule = r.rules[0];
  assert.equal(rule.title, 'Test Rule');
  assert.equal(rule.level, 'high');
  assert.deepEqual(rule.techniques, ['T1216.001', 'T1218']);
  assert.deepEqual(rule.falsePositives, ['admins']);
  assert.equal(rule.type, 'TTP');
  assert.deepEqual(rule.logsource, { product: 'windows', service: 'sysmon', category: 'process_creation' });
  assert.deepEqual(rule.detection, {
    kind: 'and',
    children: [
      { kind: 'pred', field: 'EventCode', authoredField: 'EventCode', op: 'eq', values: [1], flags: { cased: false } },
      { kind: 'pred', field: 'Image', authoredField: 'Image', op: 'ends_with', values: ['\\rundll32.exe'], flags: { cased: false } },
    ],
  });
  assert.deepEqual(rule.extra.filter_macros, [{ name: 'test_rule_filter', defined: false }]);
  assert.deepEqual(r.problems.map((p) => [p.reason, p.line]), [['attack-id', 17]]);
});

test('splunk rule: a search that does not parse keeps the rule and points at the file position', () => {
  // single-quoted YAML: the '' escape shifts file columns by one after it
  const r = parseSplunkText(doc("'a=''x'' b=\"oops | stats count'"), 'bad.yml', macros);
  assert.equal(r.rules.length, 1);
  assert.equal(r.rules[0].detection, undefined);
  const p = r.problems.find((x) => x.reason === 'query-parse');
  assert.ok(p);
  // search line is line 8; the query `a='x' b="oops...` has the quote at query column 9, file column 10 + 8 + 2 (two doubled quotes before it)
  assert.equal(p.line, 8);
  assert.equal(p.column, 20);
  assert.match(p.message, /unterminated string.*search line 1, column 9/);
});

test('splunk rule: block scalar positions and multi-line queries', () => {
  const r = parseSplunkText(doc('|\n  a=1\n  | where (b=2'), 'block.yml', macros);
  const p = r.problems.find((x) => x.reason === 'query-parse');
  assert.ok(p);
  assert.deepEqual([p.line, p.column], [10, 11]);
});

test('splunk rule: malformed YAML and non-detections are problems, not exceptions', () => {
  const bad = parseSplunkText("name: x\nsearch: 'a=1\n  b: [", 'y.yml');
  assert.equal(bad.rules.length, 0);
  assert.equal(bad.problems[0].reason, 'yaml');
  assert.ok(bad.problems[0].line);
  const list = parseSplunkText('- a\n- b\n', 'z.yml');
  assert.equal(list.problems[0].reason, 'not-a-detection');
});

test('splunk rule: a missing macro inside a filter is a problem; missing _filter macros are not', () => {
  const r = parseSplunkText(doc("'`nope` a=1 | `test_rule_filter`'"), 'm.yml', new Map());
  assert.deepEqual(r.problems.filter((p) => p.reason !== 'attack-id').map((p) => [p.reason, p.line, p.column]), [['macro-missing', 8, 10]]);
  assert.deepEqual(r.rules[0].extra.missing_macros, ['nope']);
});

test('splunk level: risk score table', () => {
  assert.equal(levelOfScore(undefined), undefined);
  assert.deepEqual([0, 19, 20, 40, 59, 60, 80, 100].map(levelOfScore), ['informational', 'informational', 'low', 'medium', 'medium', 'high', 'critical', 'critical']);
  assert.equal(riskScore({ tags: { confidence: 50, impact: 60 } }), 30);
  assert.equal(riskScore({ rba: { risk_objects: [{ score: 10 }, { score: 56 }] }, tags: { risk_score: 5 } }), 56);
});

test('splunk rule: an error inside a macro expansion points at the macro call and names it', () => {
  const broken: MacroTable = new Map([['bad', { name: 'bad', args: [], definition: '(a=1 OR' }]]);
  const r = parseSplunkText(doc("'x=1 `bad` | stats count'"), 'b.yml', broken);
  const p = r.problems.find((x) => x.reason === 'query-parse');
  assert.ok(p);
  assert.deepEqual([p.line, p.column, p.where], [8, 14, 'search 1:5']);
  assert.match(p.message, /macro `bad`/);
});
