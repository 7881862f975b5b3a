/**
 * Issue 9, Splunk side, on the named security_content rules: subsearch conditions are modeled or
 * recorded as losses, conditions the lowering cannot read are unknown nodes (never `true`),
 * field-to-field comparisons stay field references through canonicalization, and the YAML Splunk's
 * own tooling reads is read.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { requireShared } from '../../helpers/shared.js';
import { loadSplunkMacros, parseSplunkFile, type LoadedMacros } from '../../../src/formats/splunk/index.js';
import { canonicalize } from '../../../src/taxonomy/pipeline.js';
import { hasUnknown, walkPredicates, type Detection, type Predicate, type Rule } from '../../../src/model/index.js';

let macros: LoadedMacros | undefined;

function load(t: TestContext, file: string): { rule: Rule; problems: ReturnType<typeof parseSplunkFile>['problems'] } | undefined {
  const shared = requireShared(t, 'the named Splunk rules');
  if (!shared) return undefined;
  const root = join(shared, 'corpora', 'splunk');
  macros ??= loadSplunkMacros(join(root, 'macros'));
  const r = parseSplunkFile(join(root, 'detections', file), macros);
  assert.equal(r.rules.length, 1, `${file}: ${JSON.stringify(r.problems)}`);
  return { rule: r.rules[0], problems: r.problems };
}

const preds = (d: Detection | undefined): Predicate[] => {
  const out: Predicate[] = [];
  if (d) walkPredicates(d, (p) => out.push(p));
  return out;
};

const hasConst = (d: Detection | undefined): boolean =>
  d !== undefined && (d.kind === 'const' || (d.kind === 'not' ? hasConst(d.child) : d.kind === 'and' || d.kind === 'or' ? d.children.some(hasConst) : false));

test('item 1: a join subsearch filter (All_Traffic.dest_port != 0) is an and-branch of the tree, and a named loss', (t) => {
  const r = load(t, 'endpoint/gpupdate_with_no_command_line_arguments_with_network.yml');
  if (!r) return;
  const port = preds(r.rule.detection).find((p) => p.field === 'All_Traffic.dest_port');
  assert.ok(port, 'the join subsearch condition is in the tree');
  assert.deepEqual([port.op, port.values], ['ne', [0]]);
  const loss = r.rule.losses?.find((l) => l.reason === 'join-subsearch');
  assert.ok(loss, JSON.stringify(r.rule.losses));
  assert.match(loss.text, /^\[\| tstats .*All_Traffic\.dest_port != 0/);
  assert.equal(r.rule.query!.slice(loss.offset!, loss.offset! + 8), '[| tstat');
  const origin = (r.rule.extra.predicate_origins as Array<{ command: string; path: string }>).find((o) => o.command === 'join');
  assert.ok(origin, 'the predicate origin names the join');
});

test('item 1: append and map subsearches are named losses, lowered apart in extra.subsearches', (t) => {
  const a = load(t, 'network/detect_windows_dns_sigred_via_splunk_stream.yml');
  if (!a) return;
  const loss = a.rule.losses?.find((l) => l.reason === 'subsearch');
  assert.equal(loss?.text, '[search `stream_tcp` bytes_out>65000]', 'the authored text, macro call included');
  assert.match(loss.detail ?? '', /append subsearch/);
  const subs = a.rule.extra.subsearches as Array<{ command: string; detection?: Detection; inTree: boolean }>;
  assert.deepEqual(preds(subs[0].detection).map((p) => [p.field, p.op, p.values]), [['sourcetype', 'eq', ['stream:tcp']], ['bytes_out', 'gt', [65000]]]);
  assert.equal(subs[0].inTree, false);
  assert.ok(!preds(a.rule.detection).some((p) => p.field === 'bytes_out'), 'appended rows are not conditions on the rule\'s events');

  const m = load(t, 'endpoint/potential_password_in_username.yml');
  if (!m) return;
  const mapLoss = m.rule.losses?.find((l) => l.reason === 'subsearch');
  assert.match(mapLoss?.text ?? '', /^search="\| tstats/);
  assert.match(mapLoss?.detail ?? '', /map subsearch .*run once per result row/);
});

test('item 1: every extra.unlowered entry of a rule is a loss with the same text', (t) => {
  const r = load(t, 'application/windows_ad_hidden_ou_creation.yml');
  if (!r) return;
  const unlowered = r.rule.extra.unlowered as Array<{ text: string; reason: string }>;
  assert.ok(unlowered.length > 0);
  for (const u of unlowered) assert.ok(r.rule.losses?.some((l) => l.text === u.text && l.reason === u.reason), u.text);
});

test('item 2: `| where NOT new_ace IN (old_values)` is not(unknown), never NOT true', (t) => {
  const r = load(t, 'application/windows_ad_hidden_ou_creation.yml');
  if (!r) return;
  assert.ok(r.rule.detection && hasUnknown(r.rule.detection));
  assert.ok(!hasConst(r.rule.detection), 'no constant in the tree');
  const kids = r.rule.detection.kind === 'and' ? r.rule.detection.children : [];
  assert.deepEqual(kids.find((k) => k.kind === 'not'), { kind: 'not', child: { kind: 'unknown', text: 'new_ace IN (old_values)', reason: 'in() over computed values' } });
  const loss = r.rule.losses?.find((l) => l.text === 'new_ace IN (old_values)');
  assert.equal(loss?.reason, 'computed-comparison');
  assert.equal(r.rule.query!.slice(loss.offset!, loss.offset! + loss.text.length), loss.text);
  // the readable conditions are all there
  assert.deepEqual(preds(r.rule.detection).map((p) => p.field), ['EventCode', 'ObjectClass', 'aceType', 'aceAccessRights']);
});

test('item 5: field-to-field comparisons keep the other field as a field reference through canonicalization', (t) => {
  for (const [file, field, other] of [
    ['endpoint/windows_uac_bypass_suspicious_child_process.yml', 'parent_process_name', 'process_name'],
    ['endpoint/detect_path_interception_by_creation_of_program_exe.yml', 'process_name', 'service_process'],
  ] as const) {
    const r = load(t, file);
    if (!r) return;
    const c = canonicalize(r.rule);
    const refs = preds(c.detection).filter((p) => p.flags.fieldref);
    assert.equal(refs.length, 1, file);
    assert.deepEqual([refs[0].field, refs[0].op, refs[0].values], [field, 'ne', [other]], file);
    assert.ok(!preds(c.detection).some((p) => p.values.some((v) => typeof v === 'string' && v.endsWith(`\\${other}`))), `${file}: no "\\${other}" value`);
  }
  // both sides mapped when neither needs a derivation: src_ip != dest_ip -> SourceIp != DestinationIp
  const ldap = load(t, 'network/detect_outbound_ldap_traffic.yml');
  if (!ldap) return;
  const ref = preds(canonicalize(ldap.rule).detection).find((p) => p.flags.fieldref)!;
  assert.deepEqual([ref.field, ref.authoredField, ref.values, ref.authoredValues], ['SourceIp', 'src_ip', ['DestinationIp'], ['dest_ip']]);
});

test('item 8: YAML that strict parsing rejects but Splunk\'s tooling reads is read, with a notice', (t) => {
  for (const [file, starts, ends] of [
    ['deprecated/okta_threatinsight_login_failure_with_high_unknown_users.yml', '`okta` eventType="security.threat.detected"', '`okta_threatinsight_login_failure_with_high_unknown_users_filter`'],
    ['deprecated/okta_threatinsight_suspected_passwordspray_attack.yml', '`okta` eventType="security.threat.detected" AND outcome.reason="Password Spray" | stats', '`okta_threatinsight_suspected_passwordspray_attack_filter`'],
  ] as const) {
    const r = load(t, file);
    if (!r) return;
    assert.ok(r.rule.query?.startsWith(starts) && r.rule.query.endsWith(ends), r.rule.query);
    assert.ok(!r.rule.query?.includes('\n'), 'folded as a quoted scalar: lines joined by spaces');
    const notice = r.problems.find((p) => p.reason === 'yaml-lenient');
    assert.equal(notice?.severity, 'notice');
    assert.match(String(r.rule.extra.yaml_lenient), /PyYAML, YAML 1\.1/);
    assert.ok(preds(r.rule.detection).some((p) => p.field === 'eventType'));
  }
  const shared = requireShared(t);
  if (!shared) return;
  const loaded = loadSplunkMacros(join(shared, 'corpora', 'splunk', 'macros'));
  const def = loaded.macros.get('base64decode(1)');
  assert.ok(def?.definition.startsWith('eval b64x_split=split($b64in$,"") | lookup char_conversion_matrix'), def?.definition);
  assert.deepEqual(loaded.problems.map((p) => [p.file.split('/').pop(), p.reason, p.severity]), [['base64decode.yml', 'yaml-lenient', 'notice']]);
});
