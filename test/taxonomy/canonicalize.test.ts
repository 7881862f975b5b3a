import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Detection, Predicate, Rule, Vendor } from '../../src/model/index.js';
import { pred } from '../../src/model/index.js';
import { authoredOp, canonicalize, lookupField, vendorFieldsFor } from '../../src/taxonomy/index.js';

function rule(vendor: Vendor, detection: Detection, extra: Partial<Rule> = {}): Rule {
  return {
    id: 'r', title: 't', vendor, path: 'p', references: [], falsePositives: [], tags: [], techniques: [], tactics: [],
    logsource: {}, type: 'x', language: 'x', fields: [], extra: {}, detection, ...extra,
  };
}

// A Windows rule unless said otherwise (a rule with no platform gets both separators: separators.test.ts).
const one = (vendor: Vendor, p: Predicate, extra: Partial<Rule> = { logsource: { product: 'windows' } }): Detection => canonicalize(rule(vendor, p, extra)).detection!;

test('elastic process.name eq -> Image ends_with with the authored field and value kept', () => {
  const d = one('elastic', pred('process.name', 'eq', ['cmd.exe']));
  assert.deepEqual(d, { kind: 'pred', field: 'Image', authoredField: 'process.name', op: 'ends_with', values: ['\\cmd.exe'], authoredValues: ['cmd.exe'], flags: {} });
});

test('the authored operator is remembered for derived predicates', () => {
  const d = one('elastic', pred('process.name', 'eq', ['cmd.exe'])) as Predicate;
  assert.equal(authoredOp(d), 'eq');
  const n = one('splunk', pred('process_name', 'ne', ['cmd.exe'])) as { child: Predicate };
  assert.equal(authoredOp(n.child), 'ne');
  const same = one('elastic', pred('process.command_line', 'contains', ['x'])) as Predicate;
  assert.equal(authoredOp(same), 'contains');
});

test('optional ?dll.name and in-lists map onto ImageLoaded ends_with', () => {
  const d = one('elastic', pred('?dll.name', 'in', ['a.dll', 'b.dll'])) as Predicate;
  assert.equal(d.field, 'ImageLoaded');
  assert.equal(d.authoredField, '?dll.name');
  assert.equal(d.op, 'ends_with');
  assert.deepEqual(d.values, ['\\a.dll', '\\b.dll']);
});

test('wildcards on a basename get a separator unless they start with *', () => {
  const d = one('elastic', pred('process.name', 'wildcard', ['msxml?.dll', '*.exe'])) as Predicate;
  assert.equal(d.op, 'wildcard');
  assert.deepEqual(d.values, ['*\\\\msxml?.dll', '*.exe']);
});

test('starts_with, contains and regex on a basename', () => {
  assert.deepEqual((one('elastic', pred('process.name', 'starts_with', ['ps'])) as Predicate).values, ['\\ps']);
  assert.equal((one('elastic', pred('process.name', 'starts_with', ['ps'])) as Predicate).op, 'contains');
  assert.equal((one('elastic', pred('process.name', 'contains', ['shell'])) as Predicate).op, 'contains');
  assert.deepEqual((one('splunk', pred('process_name', 'regex_match', ['(?i)^bash\\.exe$'])) as Predicate).values, ['(?i)(?:^|[\\\\/])bash\\.exe$']);
  assert.deepEqual((one('splunk', pred('process_name', 'regex_match', ['bash\\.exe'])) as Predicate).values, ['bash\\.exe']);
});

test('ne on a basename becomes not(ends_with)', () => {
  const d = one('splunk', pred('Processes.parent_process_name', 'ne', ['explorer.exe']));
  assert.equal(d.kind, 'not');
  const c = (d as { child: Predicate }).child;
  assert.equal(c.field, 'ParentImage');
  assert.deepEqual(c.values, ['\\explorer.exe']);
});

test('Linux rules use / as separator', () => {
  const d = one('elastic', pred('process.name', 'eq', ['bash']), { tags: ['OS: Linux'] }) as Predicate;
  assert.deepEqual(d.values, ['/bash']);
  const d2 = canonicalize(rule('elastic', { kind: 'and', children: [pred('host.os.type', 'eq', ['linux']), pred('process.name', 'eq', ['sh'])] }));
  assert.deepEqual(((d2.detection as { children: Predicate[] }).children[1]).values, ['/sh']);
});

test('Splunk CIM, bare CIM, data-model roots and raw Security fields', () => {
  assert.equal(lookupField('splunk', 'Processes.process').field, 'CommandLine');
  assert.equal(lookupField('splunk', 'process').field, 'CommandLine');
  assert.equal(lookupField('splunk', 'Network_Resolution.DNS.query').field, 'QueryName');
  assert.equal(lookupField('splunk', 'NewProcessName').field, 'Image');
  assert.equal(lookupField('splunk', 'newprocessname').field, 'Image');
  assert.equal(lookupField('splunk', 'Processes.some_unknown').field, 'Processes.some_unknown');
  assert.equal(lookupField('elastic', 'winlog.event_data.ParentProcessName').field, 'ParentImage');
  assert.equal(lookupField('elastic', 'winlog.event_data.TargetUserName').field, 'TargetUserName');
  assert.equal(lookupField('elastic', 'process.name.caseless').field, 'Image');
  assert.equal(lookupField('elastic', 'process.args').field, 'process.args');
});

test('derived forms: directory', () => {
  const d = one('elastic', pred('file.directory', 'eq', ['C:\\Windows\\Temp'])) as Predicate;
  assert.deepEqual([d.field, d.op, d.values], ['TargetFilename', 'starts_with', ['C:\\Windows\\Temp\\']]);
  const w = one('elastic', pred('file.directory', 'wildcard', ['?:\\\\Users\\\\*'])) as Predicate;
  assert.deepEqual(w.values, ['?:\\\\Users\\\\*']);
  const w2 = one('elastic', pred('file.directory', 'wildcard', ['/tmp']), { tags: ['OS: Linux'] }) as Predicate;
  assert.deepEqual(w2.values, ['/tmp/*']);
});

test('derived forms: extension and hashes', () => {
  const e = one('elastic', pred('file.extension', 'in', ['ps1', 'vbs'])) as Predicate;
  assert.equal(e.field, 'TargetFilename');
  assert.deepEqual(e.values, ['.ps1', '.vbs']);
  const h = one('elastic', pred('process.hash.sha256', 'eq', ['abc'])) as Predicate;
  assert.equal(h.field, 'Hashes');
  assert.equal(h.op, 'contains');
  assert.deepEqual(h.values, ['SHA256=abc']);
});

test('Sigma predicates are canonical already and stay as they are', () => {
  const p = pred('Image', 'ends_with', ['\\cmd.exe']);
  assert.deepEqual(one('sigma', p), p);
  const q = pred('process_name', 'eq', ['x']);
  assert.deepEqual(one('sigma', q), q);
});

test('keyword predicates and trees are kept', () => {
  const d = canonicalize(rule('elastic', { kind: 'and', children: [pred(null, 'contains', ['x']), { kind: 'not', child: pred('process.parent.name', 'eq', ['a.exe']) }] })).detection!;
  assert.equal(d.kind, 'and');
  const [k, n] = (d as { children: Detection[] }).children;
  assert.equal((k as Predicate).field, null);
  assert.equal(((n as { child: Predicate }).child).field, 'ParentImage');
});

test('vendor fields per canonical field', () => {
  const v = vendorFieldsFor('Image');
  assert.deepEqual(v.sigma, ['Image']);
  assert.ok(v.elastic.includes('process.name') && v.elastic.includes('process.executable'));
  assert.ok(v.splunk.includes('Processes.process_name') && v.splunk.includes('process_name') && v.splunk.includes('NewProcessName'));
});

test('category-aware rows: file.name of a library load is the loaded module; event.code is EventID in winlog data only', () => {
  const lib = canonicalize(rule('elastic', { kind: 'and', children: [pred('event.category', 'eq', ['library']), pred('file.name', 'eq', ['wmiutils.dll'])] }, { logsource: { product: 'windows' } })).detection as { children: Predicate[] };
  assert.deepEqual([lib.children[1].field, lib.children[1].values], ['ImageLoaded', ['\\wmiutils.dll']]);
  const file = canonicalize(rule('elastic', { kind: 'and', children: [pred('event.category', 'eq', ['file']), pred('file.name', 'eq', ['a.dll'])] }, { logsource: { product: 'windows' } })).detection as { children: Predicate[] };
  assert.equal(file.children[1].field, 'TargetFilename');
  const win = one('elastic', pred('event.code', 'eq', ['4688']), { extra: { index: ['winlogbeat-*', 'logs-windows.*'] } }) as Predicate;
  assert.equal(win.field, 'EventID');
  const endpoint = one('elastic', pred('event.code', 'eq', ['malicious_file']), { extra: { index: ['logs-endpoint.alerts-*'] } }) as Predicate;
  assert.equal(endpoint.field, 'event.code');
  const cloud = one('elastic', pred('user_agent.original', 'eq', ['aws-cli']), { extra: { index: ['logs-aws.cloudtrail-*'] } }) as Predicate;
  assert.equal(cloud.field, 'user_agent.original');
  const apm = one('elastic', pred('user_agent.original', 'eq', ['sqlmap']), { extra: { index: ['apm-*-transaction*'] } }) as Predicate;
  assert.equal(apm.field, 'c-useragent');
});

test('field-to-field tests: derived fields stay authored, same-value fields are renamed', () => {
  const d = one('elastic', pred('process.parent.name', 'ne', ['process.name'], { fieldref: true })) as Predicate;
  assert.deepEqual([d.kind, d.field, d.op, d.values, d.flags.fieldref], ['pred', 'process.parent.name', 'ne', ['process.name'], true]);
  const e = one('elastic', pred('process.executable', 'eq', ['process.parent.executable'], { fieldref: true })) as Predicate;
  assert.deepEqual([e.field, e.values], ['Image', ['ParentImage']]);
});
