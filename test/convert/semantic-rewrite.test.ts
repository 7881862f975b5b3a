/**
 * The conversions that keep a rule's events (issue 12, semantic check) on hand-made events: a Windows
 * Sigma rule to EQL reads each raw field where the ECS document keeps it; an Elastic rule to Sigma
 * has its ECS classification as channels and event ids, under the category whose field mapping
 * names its fields on each source; what cannot be kept is refused or reported with the reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeField } from '../../src/convert/ecs-placement.js';
import { convertRule } from '../../src/convert/targets.js';
import type { EventRecord } from '../../src/events/types.js';
import { parseElasticText } from '../../src/formats/elastic/load.js';
import { parseSigmaText } from '../../src/formats/sigma/index.js';
import type { Rule } from '../../src/model/index.js';
import { elasticFired, type Events, sigmaFired } from './semantic-support.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

function record(channel: string, eventId: number, data: Record<string, string>, provider = channel === SYSMON ? 'Microsoft-Windows-Sysmon' : 'Microsoft-Windows-Security-Auditing'): EventRecord {
  const system = { Provider: { '#attributes': { Name: provider } }, EventID: eventId, Channel: channel, Computer: 'host1', TimeCreated: { '#attributes': { SystemTime: '2026-01-01T00:00:00.000Z' } } };
  return { file: 'mem', event: { System: system, EventData: data } };
}

const events = (...records: EventRecord[]): Events => ({ records, keys: records.map((_, i) => `#${i}`) });

function sigmaRule(logsource: string, detection: string): Rule {
  const text = `title: t\nid: 0b0d6c1e-7f5c-4a59-9a43-3d0f7b8e2a11\nlogsource:\n${logsource}\ndetection:\n${detection}\n  condition: sel\n`;
  const r = parseSigmaText(text, 't.yml');
  assert.deepEqual(r.problems, []);
  return r.rules[0];
}

function elasticRule(query: string): Rule {
  const toml = `[metadata]\ncreation_date = "2026/01/01"\nmaturity = "production"\n\n[rule]\nauthor = ["t"]\ndescription = "t"\nname = "t"\nrisk_score = 21\nrule_id = "7d1a2f3e-4b5c-4d6e-8f90-a1b2c3d4e5f6"\nseverity = "low"\ntags = ["OS: Windows"]\nindex = ["logs-windows.*", "logs-system.*"]\ntype = "query"\nlanguage = "kuery"\nquery = '''\n${query}\n'''\n`;
  const r = parseElasticText(toml, 't.toml');
  assert.equal(r.rules.length, 1);
  return r.rules[0];
}

/** The original's events and the converted rule's, on the same records. */
function sigmaToEql(rule: Rule, ev: Events): { original: number[]; converted: number[]; text: string } {
  const c = convertRule(rule, 'eql');
  assert.ok('text' in c, JSON.stringify(c.reasons));
  const eql: Rule = { ...rule, vendor: 'elastic', type: 'eql', language: 'eql', query: c.text, tags: [], extra: {}, losses: [] };
  const o = sigmaFired([rule], ev).fired.get(rule.id) ?? new Set();
  const run = elasticFired([eql], ev);
  assert.deepEqual(run.problems, []);
  return { original: [...o].sort(), converted: [...(run.fired.get(rule.id) ?? new Set())].sort(), text: c.text };
}

test('placement: where the ECS document keeps a raw field as written, per channel and event id', () => {
  const sys = SYSMON.toLowerCase();
  assert.deepEqual(placeField(sys, [1], 'Image'), { path: 'process.executable', numeric: false });
  assert.deepEqual(placeField(sys, [10], 'SourceImage'), { path: 'process.executable', numeric: false });
  assert.deepEqual(placeField(sys, [13], 'Details'), { path: 'winlog.event_data.Details', numeric: false });
  assert.deepEqual(placeField(sys, [3], 'DestinationPort'), { path: 'destination.port', numeric: true });
  assert.deepEqual(placeField('security', [4624], 'LogonType'), { path: 'winlog.event_data.LogonType', numeric: false });
  assert.deepEqual(placeField('security', [4688], 'NewProcessName'), { path: 'process.executable', numeric: false });
  assert.deepEqual(placeField('microsoft-windows-wmi-activity/operational', [5858], 'Operation'), { path: 'winlog.event_data.Operation', numeric: false, userData: 'winlog.user_data.Operation' });
  for (const [id, f] of [[1, 'User'], [1, 'Hashes']] as const) assert.ok('error' in placeField(sys, [id], f), f);
  assert.ok('error' in placeField('security', [4688], '__User'));
  assert.ok('error' in placeField('microsoft-windows-windows defender/operational', [1116], 'ThreatName'));
});

test('Sigma -> EQL: a registry value is read where the integration keeps Sysmon Details as written', () => {
  const rule = sigmaRule('  category: registry_set\n  product: windows', "  sel:\n    TargetObject|endswith: '\\AmsiEnable'\n    Details: 'DWORD (0x00000000)'");
  const ev = events(
    record(SYSMON, 13, { EventType: 'SetValue', TargetObject: 'HKU\\S-1\\Software\\Microsoft\\Windows Script\\Settings\\AmsiEnable', Details: 'DWORD (0x00000000)', Image: 'C:\\x.exe' }),
    record(SYSMON, 13, { EventType: 'SetValue', TargetObject: 'HKU\\S-1\\Software\\Microsoft\\Windows Script\\Settings\\AmsiEnable', Details: 'DWORD (0x00000001)', Image: 'C:\\x.exe' }),
  );
  const r = sigmaToEql(rule, ev);
  assert.deepEqual(r.original, [0]);
  assert.deepEqual(r.converted, r.original, r.text);
  assert.match(r.text, /winlog\.event_data\.Details/);
});

test('Sigma -> EQL: process access reads SourceImage where Sysmon 10 puts it; a port as a number', () => {
  const access = sigmaRule('  category: process_access\n  product: windows', "  sel:\n    SourceImage|endswith: '\\powershell.exe'\n    TargetImage|endswith: '\\lsass.exe'");
  const ev = events(record(SYSMON, 10, { SourceImage: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', TargetImage: 'C:\\Windows\\system32\\lsass.exe', GrantedAccess: '0x1410' }));
  const a = sigmaToEql(access, ev);
  assert.deepEqual(a.original, [0]);
  assert.deepEqual(a.converted, [0], a.text);
  const port = sigmaRule('  category: network_connection\n  product: windows', "  sel:\n    Image|endswith: '\\certutil.exe'\n    DestinationPort: 443");
  const p = sigmaToEql(port, events(record(SYSMON, 3, { Image: 'C:\\Windows\\System32\\certutil.exe', DestinationPort: '443', Initiated: 'true' })));
  assert.deepEqual(p.converted, p.original);
  assert.deepEqual(p.original, [0]);
});

test('Sigma -> EQL: a field the integration splits, or an empty value it drops, is not convertible with the reason', () => {
  const user = sigmaRule('  category: process_creation\n  product: windows', "  sel:\n    Image|endswith: '\\cmd.exe'\n    User|contains: 'AUTHORI'");
  const c = convertRule(user, 'eql');
  assert.equal(c.status, 'not-convertible');
  assert.match(c.reasons[0], /^ecs-field: (__)?User/);
  const ip = sigmaRule('  product: windows\n  service: security', "  sel:\n    EventID: 4625\n    IpAddress|contains: '-'");
  const d = convertRule(ip, 'eql');
  assert.equal(d.status, 'not-convertible');
  assert.match(d.reasons[0], /drops/);
});

test('Elastic -> Sigma: the classification becomes channels and event ids, under the category whose mapping names Security 4688 fields', () => {
  const rule = elasticRule('host.os.type:windows and event.category:process and event.type:start and event.code:(1 or 4688) and process.name:lsass.exe');
  const c = convertRule(rule, 'sigma');
  assert.ok('text' in c, JSON.stringify(c.reasons));
  assert.deepEqual(c.reasons, []);
  assert.doesNotMatch(c.text, /event\.category|host\.os\.type/);
  const back = parseSigmaText(c.text, 'back.yml').rules[0];
  assert.equal(back.logsource.category, 'process_creation');
  const ev = events(
    record('Security', 4688, { NewProcessName: 'C:\\Windows\\System32\\lsass.exe', ParentProcessName: 'C:\\Windows\\System32\\lsass.exe', NewProcessId: '0x10', ProcessId: '0x20' }),
    record(SYSMON, 1, { Image: 'C:\\Windows\\System32\\lsass.exe', CommandLine: 'lsass.exe', ParentImage: 'C:\\x.exe' }),
    record(SYSMON, 5, { Image: 'C:\\Windows\\System32\\lsass.exe' }),
  );
  const o = elasticFired([rule], ev).fired.get(rule.id) ?? new Set();
  const s = sigmaFired([{ ...back, id: rule.id }], ev).fired.get(rule.id) ?? new Set();
  assert.deepEqual([...o].sort(), [0, 1]);
  assert.deepEqual([...s].sort(), [0, 1]);
});

test('Elastic -> Sigma: with no category covering its events, the Security 4688 name of a field is written on that source', () => {
  const rule = elasticRule('event.category:process and event.type:start and process.parent.name:lsass.exe');
  const c = convertRule(rule, 'sigma');
  assert.ok('text' in c, JSON.stringify(c.reasons));
  assert.deepEqual(c.reasons, []);
  assert.match(c.text, /ParentProcessName/);
  const back = parseSigmaText(c.text, 'back.yml').rules[0];
  assert.equal(back.logsource.category, undefined);
  const ev = events(
    record('Security', 4688, { NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ParentProcessName: 'C:\\Windows\\System32\\lsass.exe' }),
    record(SYSMON, 1, { Image: 'C:\\x.exe', ParentImage: 'C:\\Windows\\System32\\lsass.exe', CommandLine: 'x' }),
    record('Security', 4688, { NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ParentProcessName: 'C:\\Windows\\explorer.exe' }),
  );
  const o = elasticFired([rule], ev).fired.get(rule.id) ?? new Set();
  const s = sigmaFired([{ ...back, id: rule.id }], ev).fired.get(rule.id) ?? new Set();
  assert.deepEqual([...o].sort(), [0, 1]);
  assert.deepEqual([...s].sort(), [0, 1]);
});

test('Elastic -> Sigma: ECS-only fields, rewritten values, and a Security 4688 field with no category to name it make the conversion partial, with the reason', () => {
  const wide = convertRule(elasticRule('event.category:process and event.type:start and user.id:"S-1-5-18" and process.Ext.token.integrity_level_name:System'), 'sigma');
  assert.ok(wide.reasons.some((r) => r.startsWith('field-mapping: Security 4688 gives IntegrityLevel')), JSON.stringify(wide.reasons));
  const args = convertRule(elasticRule('event.category:process and event.type:start and process.args:"-enc"'), 'sigma');
  assert.equal(args.status, 'partial');
  assert.ok(args.reasons.some((r) => r.startsWith('ecs-only: process.args')), JSON.stringify(args.reasons));
  const reg = convertRule(elasticRule('event.category:registry and registry.data.strings:"0"'), 'sigma');
  assert.ok(reg.reasons.some((r) => r.startsWith('ecs-value: registry.data.strings')), JSON.stringify(reg.reasons));
});
