import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseElasticText } from '../../../src/formats/elastic/index.js';
import { tuples } from './predicates.js';

const rule = (type: string, language: string, query: string, more = ''): string => `[metadata]
creation_date = "2024/01/02"
maturity = "production"

[rule]
author = ["Tester"]
description = "A test rule."
name = "Test rule"
rule_id = "00000000-0000-0000-0000-000000000001"
severity = "high"
tags = ["OS: Windows", "Data Source: Sysmon"]
type = "${type}"
language = "${language}"
query = '''
${query}
'''
${more}
[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "t1216"
name = "System Script Proxy Execution"
[[rule.threat.technique.subtechnique]]
id = "T1216.001"
name = "PubPrn"
[rule.threat.tactic]
id = "TA0005"
name = "Defense Evasion"
`;

test('fields of a rule', () => {
  const { rules, problems } = parseElasticText(rule('eql', 'eql', 'process where event.type == "start" and process.command_line : "*\\\\pubprn.vbs*"'), 'x.toml');
  assert.deepEqual(problems, []);
  const r = rules[0];
  assert.equal(r.id, '00000000-0000-0000-0000-000000000001');
  assert.equal(r.title, 'Test rule');
  assert.equal(r.vendor, 'elastic');
  assert.equal(r.path, 'x.toml');
  assert.equal(r.status, 'production');
  assert.equal(r.level, 'high');
  assert.equal(r.date, '2024-01-02');
  assert.deepEqual(r.techniques, ['T1216', 'T1216.001']);
  assert.deepEqual(r.tactics, ['defense-evasion']);
  assert.deepEqual(r.logsource, { product: 'windows', category: 'process_creation' });
  assert.deepEqual(r.extra.data_sources, ['Sysmon']);
  assert.deepEqual(tuples(r), [
    ['event.category', 'eq', ['process'], false, 's'],
    ['event.type', 'eq', ['start'], false, 's'],
    ['process.command_line', 'contains', ['\\pubprn.vbs'], false, 'i'],
  ]);
});

test('a pure suffix pattern is ends_with with the literal', () => {
  const { rules } = parseElasticText(rule('eql', 'eql', 'process where process.command_line : "*\\\\pubprn.vbs"'), 'x.toml');
  assert.deepEqual(tuples(rules[0])[1], ['process.command_line', 'ends_with', ['\\pubprn.vbs'], false, 'i']);
});

test('a query that does not parse: rule kept without detection, problem at the file position', () => {
  const { rules, problems } = parseElasticText(rule('eql', 'eql', 'process where\n  process.name : ("a.exe",'), 'bad.toml');
  assert.equal(rules.length, 1);
  assert.equal(rules[0].detection, undefined);
  assert.equal(problems.length, 1);
  const p = problems[0];
  assert.equal(p.reason, 'query-parse');
  assert.equal(p.file, 'bad.toml');
  // The query starts on line 15 of the file: its line 2 is file line 16; the error is at the end.
  assert.equal(p.line, 17);
  assert.equal(p.where, 'query 3:1');
  assert.match(p.message, /^eql query: /);
});

test('malformed TOML is a problem with line and column', () => {
  const { rules, problems } = parseElasticText('[rule]\nname = "x\n', 'broken.toml');
  assert.deepEqual(rules, []);
  assert.equal(problems[0].reason, 'toml-parse');
  assert.equal(problems[0].line, 2);
  assert.ok(problems[0].column !== undefined);
});

test('missing rule table or rule_id', () => {
  assert.equal(parseElasticText('[metadata]\nmaturity = "x"\n', 'a.toml').problems[0].reason, 'missing-field');
  assert.equal(parseElasticText('[rule]\nname = "x"\n', 'b.toml').problems[0].reason, 'missing-field');
});

test('unknown rule type: listed without predicates and reported', () => {
  const { rules, problems } = parseElasticText(rule('mystery', 'kuery', 'a:b'), 'u.toml');
  assert.equal(rules.length, 1);
  assert.equal(rules[0].detection, undefined);
  assert.equal(problems[0].reason, 'unknown-rule-type');
});

test('machine learning rule: no predicates, says why', () => {
  const text = rule('machine_learning', 'kuery', 'x').replace(/query = '''[\s\S]*?'''/, 'anomaly_threshold = 75\nmachine_learning_job_id = ["job_a"]');
  const { rules, problems } = parseElasticText(text, 'ml.toml');
  assert.deepEqual(problems, []);
  assert.equal(rules[0].detection, undefined);
  assert.match(String(rules[0].extra.no_predicates_reason), /machine-learning rule: .*75.*job_a/);
});

test('threshold and new_terms settings land in extra', () => {
  const th = parseElasticText(rule('threshold', 'kuery', 'event.action:logon-failed', '[rule.threshold]\nfield = ["user.name"]\nvalue = 10\n[[rule.threshold.cardinality]]\nfield = "source.ip"\nvalue = 3\n'), 't.toml');
  assert.deepEqual(th.rules[0].extra.threshold, { fields: ['user.name'], value: 10, cardinality: [{ field: 'source.ip', value: 3 }] });
  const nt = parseElasticText(
    rule('new_terms', 'kuery', 'event.category:process', '[rule.new_terms]\nfield = "new_terms_fields"\nvalue = ["host.id"]\n[[rule.new_terms.history_window_start]]\nfield = "history_window_start"\nvalue = "now-7d"\n'),
    'n.toml',
  );
  assert.deepEqual(nt.rules[0].extra.new_terms, { fields: ['host.id'], history_window_start: 'now-7d' });
});

test('KQL, ES|QL and Lucene queries are lowered by language', () => {
  const k = parseElasticText(rule('query', 'kuery', 'process.name:(cmd.exe or *.ps1) and not user.name:SYSTEM'), 'k.toml');
  assert.deepEqual(tuples(k.rules[0]), [
    ['process.name', 'eq', ['cmd.exe'], false, 's'],
    ['process.name', 'ends_with', ['.ps1'], false, 's'],
    ['user.name', 'eq', ['SYSTEM'], true, 's'],
  ]);
  const e = parseElasticText(rule('esql', 'esql', 'from logs-* | where to_lower(process.name) == "cmd.exe" | stats n = count() by host.id | where n > 3'), 'e.toml');
  assert.deepEqual(tuples(e.rules[0]), [['process.name', 'eq', ['cmd.exe'], false, 'i']]);
  const l = parseElasticText(rule('query', 'lucene', 'process.name:cmd.exe AND NOT user.name:root'), 'l.toml');
  assert.deepEqual(tuples(l.rules[0]), [
    ['process.name', 'eq', ['cmd.exe'], false, 's'],
    ['user.name', 'eq', ['root'], true, 's'],
  ]);
});

test('query-parse positions skip other tables\' queries ([[transform.osquery]])', () => {
  const text = `[metadata]
maturity = "production"

[transform]
[[transform.osquery]]
label = "x"
query = "SELECT 1"

[rule]
name = "r"
rule_id = "r1"
type = "query"
language = "kuery"
query = '''
a:b and (c:d
'''
`;
  const { rules, problems } = parseElasticText(text, 'p.toml');
  assert.equal(rules.length, 1);
  assert.equal(problems[0].reason, 'query-parse');
  assert.deepEqual([problems[0].line, problems[0].where], [16, 'query 2:1']);
});

test('Kibana filters: exists, match_phrase, bool, negate, disabled', () => {
  const filters = `
[[rule.filters]]
[rule.filters.meta]
negate = true
[rule.filters.exists]
field = "user_agent.original"

[[rule.filters]]
[rule.filters.meta]
negate = false
[rule.filters.query.match_phrase]
"event.outcome" = "failure"

[[rule.filters]]
[rule.filters.meta]
disabled = true
[rule.filters.query.match_phrase]
"ignored.field" = "x"

[[rule.filters]]
[rule.filters.meta]
negate = false
[rule.filters.query.bool]
minimum_should_match = 1
[[rule.filters.query.bool.should]]
[rule.filters.query.bool.should.match_phrase]
"host.name" = "a"
[[rule.filters.query.bool.should]]
[rule.filters.query.bool.should.match_phrase]
"host.name" = "b"
`;
  const { rules, problems } = parseElasticText(rule('query', 'kuery', 'event.category:authentication', filters), 'f.toml');
  assert.deepEqual(problems, []);
  assert.deepEqual(tuples(rules[0]), [
    ['event.category', 'eq', ['authentication'], false, 's'],
    ['user_agent.original', 'exists', [], true, '-'],
    ['event.outcome', 'eq', ['failure'], false, 's'],
    ['host.name', 'eq', ['a'], false, 's'],
    ['host.name', 'eq', ['b'], false, 's'],
  ]);
});

test('a missing corpus folder is a problem, not an exception', async () => {
  const { walkElasticCorpus } = await import('../../../src/formats/elastic/index.js');
  const s = walkElasticCorpus('/nonexistent/elastic-corpus');
  assert.equal(s.files, 0);
  assert.equal(s.problems[0].reason, 'read-error');
});
