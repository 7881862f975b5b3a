import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseElasticFile } from '../../../src/formats/elastic/index.js';
import type { Predicate, Rule, ValueExpr } from '../../../src/model/index.js';
import { hasUnknown, ruleTree, walkPredicates } from '../../../src/model/index.js';
import { canonicalize } from '../../../src/taxonomy/index.js';
import { requireShared } from '../../helpers/shared.js';

/** Issue 9 on named corpus rules: field-to-field tests, category-aware fields, computed values. */

function load(shared: string, path: string): Rule {
  const { rules, problems } = parseElasticFile(join(shared, 'corpora', 'elastic', path));
  assert.deepEqual(problems, []);
  return rules[0];
}

function preds(r: Rule, keep: (p: Predicate) => boolean): Array<[string | null, string | null, string, unknown[], boolean]> {
  const out: Array<[string | null, string | null, string, unknown[], boolean]> = [];
  walkPredicates(ruleTree(r)!, (p) => {
    if (keep(p)) out.push([p.authoredField, p.field, p.op, p.values, p.flags.fieldref === true]);
  });
  return out;
}

test('field-to-field: startsWith(process.name, process.command_line) stays a fieldref on the authored fields', (t) => {
  const shared = requireShared(t, 'the fidelity test');
  if (!shared) return;
  const r = canonicalize(load(shared, 'rules/linux/privilege_escalation_potential_suid_lpe_via_process_args.toml'));
  // It used to become `Image contains "/process.command_line"` (a basename derivation applied to a field name).
  assert.deepEqual(preds(r, (p) => p.flags.fieldref === true), [
    ['process.executable', 'Image', 'starts_with', ['CommandLine'], true],
    ['process.name', 'process.name', 'starts_with', ['process.command_line'], true],
  ]);
});

test('ES|QL: tests of GROK-computed fields are computed tests (the capture kept), not field tests', (t) => {
  const shared = requireShared(t, 'the fidelity test');
  if (!shared) return;
  const r = load(shared, 'rules/integrations/aws/execution_lambda_function_invoked_cross_account.toml');
  assert.ok(!hasUnknown(r.detection!));
  assert.equal(r.losses, undefined);
  // statistics see no Esql.* field
  assert.deepEqual(preds(r, (p) => (p.field ?? '').startsWith('Esql.')), []);
  const caller: ValueExpr = { kind: 'extract', command: 'grok', input: { kind: 'field', field: 'aws.cloudtrail.user_identity.arn' }, pattern: ':(?<Esql.caller_account>[0-9]{12}):', key: 'Esql.caller_account' };
  const fn: ValueExpr = { kind: 'extract', command: 'grok', input: { kind: 'field', field: 'aws.cloudtrail.request_parameters' }, pattern: 'functionName=arn:aws:lambda:[a-z0-9-]*:(?<Esql.function_account>[0-9]{12}):', key: 'Esql.function_account' };
  assert.ok(r.detection?.kind === 'and' && r.detection.children[1].kind === 'and');
  if (r.detection?.kind !== 'and' || r.detection.children[1].kind !== 'and') return;
  assert.deepEqual(r.detection.children[1].children, [
    { kind: 'computed', name: 'Esql.caller_account', value: caller, op: 'exists', values: [], flags: {} },
    { kind: 'computed', name: 'Esql.function_account', value: fn, op: 'exists', values: [], flags: {} },
    { kind: 'computed', name: null, value: { kind: 'call', fn: '!=', args: [caller, fn] }, op: 'eq', values: [true], flags: {} },
  ]);
  // STATS ... BY arn, the two captures: an aggregation stage with no group condition
  assert.deepEqual(r.aggregations?.map((a) => [a.by.map((b) => b.name), a.columns.map((c) => c.name), a.having]), [
    [['aws.cloudtrail.user_identity.arn', 'Esql.caller_account', 'Esql.function_account'], ['Esql.invocation_count', 'Esql.source_ips', 'Esql.function_arns'], undefined],
  ]);
  assert.deepEqual(r.aggregations![0].by[1].value, caller);
});

test('category-aware crosswalk on corpus rules: library file.name, event.code, user_agent.original', (t) => {
  const shared = requireShared(t, 'the fidelity test');
  if (!shared) return;
  // file.name in the library stage of a sequence is the loaded DLL.
  const wmi = canonicalize(load(shared, 'rules/windows/initial_access_scripts_process_started_via_wmi.toml'));
  assert.deepEqual(preds(wmi, (p) => p.authoredField === 'file.name' || p.authoredField === 'dll.name').map((p) => [p[0], p[1], p[3]]), [
    ['dll.name', 'ImageLoaded', ['\\wmiutils.dll']],
    ['file.name', 'ImageLoaded', ['\\wmiutils.dll']],
  ]);
  // Windows Security 5137 through winlogbeat: EventID. Elastic Defend alert kinds: not an EventID.
  const adidns = canonicalize(load(shared, 'rules/windows/credential_access_adidns_wildcard.toml'));
  assert.deepEqual(preds(adidns, (p) => p.authoredField === 'event.code').map((p) => [p[1], p[3]]), [['EventID', ['5137']]]);
  const malware = canonicalize(load(shared, 'rules/cross-platform/execution_potential_widespread_malware_infection.toml'));
  assert.deepEqual(preds(malware, (p) => p.authoredField === 'event.code').map((p) => p[1]), ['event.code']);
  // A CloudTrail user agent is not a proxy log's c-useragent.
  const ua = canonicalize(load(shared, 'rules/integrations/aws/initial_access_suspicious_user_agent_detected_in_cloudtrail.toml'));
  const uaFields = preds(ua, (p) => p.authoredField === 'user_agent.original').map((p) => p[1]);
  assert.ok(uaFields.length > 0 && uaFields.every((f) => f === 'user_agent.original'), String(uaFields));
});

test('whole-value regexes on corpus rules: EQL regex~ and ES|QL RLIKE are anchored, untranslatable ones are losses', (t) => {
  const shared = requireShared(t, 'the fidelity test');
  if (!shared) return;
  const short = load(shared, 'rules/windows/defense_evasion_suspicious_short_program_name.toml');
  assert.deepEqual(preds(short, (p) => p.op === 'regex_match').map((p) => p[3]), [['^(?:[a-z0-9]\\.exe)$']]);
  const rl = load(shared, 'rules/integrations/o365/credential_access_identity_user_account_lockouts.toml');
  assert.deepEqual(rl.losses?.filter((l) => l.reason === 'regex-syntax').map((l) => l.text), ['to_lower(o365.audit.ExtendedProperties.RequestType) rlike "(oauth.*||.*login.*)"']);
});
