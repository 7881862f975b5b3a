/**
 * Corpus rules made exact by computed values and aggregation stages, checked leaf by leaf: the
 * computation each test reads (EVAL, GROK, CASE, STATS columns) is kept as a structured value,
 * statistics do not count it as a vendor field, engines and other printers refuse it, the ES|QL
 * printer writes it back.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { printEsqlAggregation, printEsqlCondition } from '../../../src/backends/esql/print.js';
import { printKql } from '../../../src/backends/kql/print.js';
import { PrintError } from '../../../src/backends/elastic/print-error.js';
import { fileRows } from '../../../src/catalog/rows.js';
import { convertRule } from '../../../src/convert/targets.js';
import { compileDetection, Unsupported } from '../../../src/engine/elastic/detection-eval.js';
import { parseElasticFile } from '../../../src/formats/elastic/index.js';
import type { ComputedTest, Detection, Rule, ValueExpr } from '../../../src/model/index.js';
import { hasComputed, hasUnknown, ruleTree, walkPredicates } from '../../../src/model/index.js';
import { requireShared } from '../../helpers/shared.js';

function load(t: TestContext, path: string): Rule | undefined {
  const shared = requireShared(t, 'corpus rules');
  if (!shared) return undefined;
  const r = parseElasticFile(join(shared, 'corpora', 'elastic', path));
  assert.equal(r.rules.length, 1, JSON.stringify(r.problems));
  return r.rules[0];
}

/** Computed tests of a tree, in walk order. */
function computedTests(d: Detection | undefined): ComputedTest[] {
  if (!d) return [];
  switch (d.kind) {
    case 'computed':
      return [d];
    case 'and':
    case 'or':
      return d.children.flatMap(computedTests);
    case 'not':
      return computedTests(d.child);
    default:
      return [];
  }
}

const field = (f: string): ValueExpr => ({ kind: 'field', field: f });
const lit = (v: string | number): ValueExpr => ({ kind: 'literal', value: v });
const call = (fn: string, ...args: ValueExpr[]): ValueExpr => ({ kind: 'call', fn, args });
const column = (name: string): ValueExpr => ({ kind: 'column', name });

/** Exact: no loss, no unknown node. */
function exact(r: Rule): void {
  assert.equal(r.losses, undefined, JSON.stringify(r.losses));
  const tree = ruleTree(r);
  assert.ok(!tree || !hasUnknown(tree));
  for (const a of r.aggregations ?? []) assert.ok(!a.having || !hasUnknown(a.having));
}

test('EVAL multi_spaces = LOCATE(process.command_line, space(100)) | WHERE multi_spaces > 0', (t) => {
  const r = load(t, 'rules/cross-platform/defense_evasion_whitespace_padding_command_line.toml');
  if (!r) return;
  exact(r);
  assert.deepEqual(computedTests(r.detection), [
    { kind: 'computed', name: 'multi_spaces', value: call('locate', field('process.command_line'), call('space', lit(100))), op: 'gt', values: [0], flags: {} },
  ]);
  // statistics: the event-field predicates only, never a field named multi_spaces
  const rows = fileRows('elastic', r.path, [r], []);
  assert.deepEqual(rows.predicates.map((p) => p.field), ['event.category', 'event.type', 'event.action']);
  assert.equal(rows.rules[0].parse_status, 'parsed');
  // engines refuse it; the ES|QL printer writes it back; KQL cannot say it
  assert.throws(() => compileDetection(r.detection!), Unsupported);
  assert.match(printEsqlCondition(r.detection!), /\(locate\(process\.command_line, space\(100\)\) > 0\)$/);
  assert.throws(() => printKql(r.detection!), PrintError);
  assert.equal(convertRule(r, 'kql').status, 'not-convertible');
});

test('EVAL through a case-folded alias: LENGTH(command_line) with command_line = TO_LOWER(process.command_line.text)', (t) => {
  const r = load(t, 'rules/cross-platform/defense_evasion_long_base64_encoded_interpreter_command_line.toml');
  if (!r) return;
  exact(r);
  assert.deepEqual(computedTests(r.detection), [
    { kind: 'computed', name: 'Esql.length_cmdline', value: call('length', call('to_lower', field('process.command_line.text'))), op: 'gte', values: [4000], flags: {} },
  ]);
  // the alias itself is still a case-insensitive test of the event field
  const folded: unknown[] = [];
  walkPredicates(r.detection!, (p) => { if (p.field === 'process.command_line.text' && p.values[0] === 'b64decode') folded.push([p.op, p.flags.cased]); });
  assert.deepEqual(folded, [['contains', false]]);
});

test('STATS count(*) BY user.id, model, account | WHERE count > 1: an aggregation stage', (t) => {
  const r = load(t, 'rules/integrations/aws_bedrock/aws_bedrock_guardrails_multiple_violations_by_single_user.toml');
  if (!r) return;
  exact(r);
  assert.deepEqual(r.aggregations, [{
    by: ['user.id', 'gen_ai.request.model.id', 'cloud.account.id'].map((f) => ({ name: f, value: field(f) })),
    columns: [{ name: 'Esql.ml_violations_count', value: call('count') }],
    having: { kind: 'computed', name: 'Esql.ml_violations_count', value: column('Esql.ml_violations_count'), op: 'gt', values: [1], flags: {} },
  }]);
  assert.deepEqual(printEsqlAggregation(r.aggregations![0]), [
    'stats Esql.ml_violations_count = count(*) by user.id, gen_ai.request.model.id, cloud.account.id',
    'where (Esql.ml_violations_count > 1)',
  ]);
  // the group condition is not an event predicate, and a converter cannot drop it silently
  assert.equal(fileRows('elastic', r.path, [r], []).predicates.length, 1);
  assert.equal(convertRule(r, 'duckdb').status, 'not-convertible');
});

test('STATS with per-aggregate WHERE and a DATE_DIFF group condition (GKE CSR self-approval)', (t) => {
  const r = load(t, 'rules/integrations/gcp/persistence_gcp_gke_certificate_signing_request_self_approved.toml');
  if (!r) return;
  exact(r);
  const [a] = r.aggregations!;
  assert.deepEqual(a.by, [
    { name: 'client.user.email', value: field('client.user.email') },
    { name: 'Esql.csr_name', value: call('replace', field('gcp.audit.resource_name'), lit('/approval'), lit('')) },
  ]);
  const action = (v: string): Detection => ({ kind: 'pred', field: 'event.action', authoredField: 'event.action', op: 'eq', values: [v], flags: { cased: true } });
  assert.deepEqual(a.columns.slice(0, 2), [
    { name: 'Esql.create_count', value: call('count'), where: action('io.k8s.certificates.v1.certificatesigningrequests.create') },
    { name: 'Esql.approval_count', value: call('count'), where: action('io.k8s.certificates.v1.certificatesigningrequests.approval.update') },
  ]);
  assert.deepEqual(a.having, {
    kind: 'and',
    children: [
      { kind: 'computed', name: 'Esql.create_count', value: column('Esql.create_count'), op: 'gte', values: [1], flags: {} },
      { kind: 'computed', name: 'Esql.approval_count', value: column('Esql.approval_count'), op: 'gte', values: [1], flags: {} },
      { kind: 'computed', name: null, value: call('date_diff', lit('seconds'), column('Esql.timestamp_first_seen'), column('Esql.timestamp_last_seen')), op: 'lte', values: [300], flags: {} },
    ],
  });
});

test('GROK capture, COALESCE, IN list, then STATS BY the capture and a post-STATS EVAL (RMM domains)', (t) => {
  const r = load(t, 'rules/windows/command_and_control_dns_rmm_domains_non_browser.toml');
  if (!r) return;
  exact(r);
  const domain = call('coalesce', { kind: 'extract', command: 'grok', input: field('dns.question.name'), pattern: '(?:[^.]+\\.)+(?<parent_domain>[^.]+\\.[^.]+)$', key: 'parent_domain' }, field('dns.question.name'));
  const [c] = computedTests(r.detection);
  assert.deepEqual([c.name, c.value, c.op, c.flags.cased], ['parent_domain', domain, 'eq', true]);
  assert.ok(c.values.includes('anydesk.com') && c.values.includes('teamviewer.com'), 'the allow list is kept whole');
  assert.deepEqual(r.aggregations![0].by, [{ name: 'parent_domain', value: domain }]);
  assert.deepEqual(r.aggregations![0].having, {
    kind: 'and',
    children: [
      { kind: 'computed', name: 'Esql.recent', value: call('date_diff', lit('minute'), column('Esql.first_time_seen'), call('now')), op: 'lte', values: [6], flags: {} },
      { kind: 'computed', name: 'Esql.count_distinct_host_id', value: column('Esql.count_distinct_host_id'), op: 'eq', values: [1], flags: {} },
    ],
  });
  assert.ok(hasComputed(r.detection!));
});

test('EQL: length(winlog.event_data.Properties) >= 2000 keeps the computation', (t) => {
  const r = load(t, 'rules/windows/discovery_high_number_ad_properties.toml');
  if (!r) return;
  exact(r);
  assert.deepEqual(computedTests(r.detection), [
    { kind: 'computed', name: null, value: call('length', field('winlog.event_data.Properties')), op: 'gte', values: [2000], flags: {} },
  ]);
});

test('EQL sequence stage: startswith~(winlog.computer_name, substring(user.name, 0, -1))', (t) => {
  const r = load(t, 'rules/windows/credential_access_dollar_account_relay_kerberos.toml');
  if (!r) return;
  exact(r);
  const starts = call('startswith~', field('winlog.computer_name'), call('substring', field('user.name'), lit(0), lit(-1)));
  const perStage = r.sequence!.stages.map((s) => computedTests(s.detection).map((c) => [c.value, c.op, c.values]));
  assert.deepEqual(perStage, [[[starts, 'eq', [true]]], [[starts, 'eq', [true]]]]);
});

test('INLINE STATS hosts = COUNT_DISTINCT(host.id) BY rule.name | WHERE hosts == 1: a window value over the filters before', (t) => {
  const r = load(t, 'rules/cross-platform/multiple_elastic_defend_behavior_rules_same_host_prevalence.toml');
  if (!r) return;
  exact(r);
  const over: Detection = {
    kind: 'and',
    children: [
      { kind: 'pred', field: 'data_stream.dataset', authoredField: 'data_stream.dataset', op: 'eq', values: ['endpoint.alerts'], flags: { cased: true } },
      { kind: 'pred', field: 'event.code', authoredField: 'event.code', op: 'eq', values: ['behavior'], flags: { cased: true } },
    ],
  };
  assert.deepEqual(computedTests(r.detection), [{
    kind: 'computed', name: 'hosts', op: 'eq', values: [1], flags: {},
    value: { kind: 'window', name: 'hosts', value: call('count_distinct', field('host.id')), by: [field('rule.name')], over },
  }]);
  assert.deepEqual(r.aggregations?.[0].having, { kind: 'computed', name: 'Esql.rule_name_count_distinct', value: column('Esql.rule_name_count_distinct'), op: 'gte', values: [2], flags: {} });
});

test('a rule whose every condition is a group condition is parsed, with no event-field predicate (Bedrock usage)', (t) => {
  const r = load(t, 'rules/integrations/aws_bedrock/aws_bedrock_high_resource_consumption_detection.toml');
  if (!r) return;
  exact(r);
  assert.equal(r.detection, undefined);
  const having = r.aggregations?.[0].having;
  assert.ok(having?.kind === 'and');
  if (having?.kind !== 'and') return;
  const [max, count, avg] = ['Esql.ml_usage_prompt_tokens_max', 'Esql.ml_invocations_total_count', 'Esql.ml_usage_completion_tokens_avg'].map(column);
  assert.equal(having.children.length, 2); // the two WHEREs after STATS
  assert.deepEqual(having.children[1], {
    kind: 'computed', name: 'Esql.ml_risk_score', op: 'gt', values: [10], flags: {},
    value: call('*', call('*', call('/', max, lit(1000)), count), call('/', avg, lit(500))),
  });
  const rows = fileRows('elastic', r.path, [r], []);
  assert.deepEqual([rows.rules[0].parse_status, rows.rules[0].predicates, rows.problems.map((p) => p.reason)], ['parsed', 0, []]);
});
