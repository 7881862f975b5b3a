/**
 * Sysmon mapping on hand-made events: the event ids absent from the samples (9, 14, 24-29, 255) and
 * the pipeline scripts' edge cases (QWORD/DWORD registry data, DNS answers, Hash, User, signatures).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEcs } from '../../../src/events/ecs/index.js';
import { expectFields } from './pick.js';
import { sysmon } from './make-event.js';

test('categorization of the ids the samples lack', () => {
  const cases: [number, Record<string, unknown>][] = [
    [9, { 'event.category': ['process'], 'event.type': ['access'], 'event.action': 'RawAccessRead', 'file.path': '\\Device\\HarddiskVolume2' }],
    [14, { 'event.category': ['configuration', 'registry'], 'event.type': ['change'], 'event.action': 'RegistryEvent (Key and Value Rename)' }],
    [24, { 'event.category': undefined, 'event.type': ['change'], 'event.action': 'ClipboardChange (New content in the clipboard)' }],
    [25, { 'event.category': ['process'], 'event.type': ['change'], 'event.action': 'ProcessTampering (Process image change)', message: 'Image is replaced' }],
    [26, { 'event.category': ['file'], 'event.type': ['deletion'], 'event.action': 'FileDeleteDetected (File Delete logged)' }],
    [27, { 'event.category': ['file'], 'event.type': ['creation'], 'event.outcome': 'failure', 'event.action': 'FileBlockExecutable' }],
    [28, { 'event.category': ['file'], 'event.type': ['deletion'], 'event.action': 'FileBlockShredding' }],
    [29, { 'event.category': ['file'], 'event.type': ['creation'], 'event.action': 'FileExecutableDetected' }],
    [255, { 'event.category': ['process'], 'event.outcome': 'failure', 'event.action': 'Error', 'error.code': 'DriverCommunication' }],
  ];
  for (const [id, expected] of cases) {
    const d = toEcs(sysmon(id, { Device: '\\Device\\HarddiskVolume2', Type: 'Image is replaced', ID: 'DriverCommunication' }));
    assert.deepEqual(...expectFields(d, { 'event.code': String(id), ...expected }), `event ${id}`);
  }
});

test('registry data: DWORD, QWORD, binary', () => {
  const dword = toEcs(sysmon(13, { TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\x\\Start', Details: 'DWORD (0x00000004)' }));
  assert.deepEqual(...expectFields(dword, { 'registry.data.strings': ['4'], 'registry.data.type': 'SZ_DWORD', 'registry.value': 'Start' }));
  // The pipeline combines the QWORD halves as (high << 8) + low.
  const qword = toEcs(sysmon(13, { TargetObject: 'HKCU\\x\\v', Details: 'QWORD (0x00000001-0x00000002)' }));
  assert.deepEqual(...expectFields(qword, { 'registry.data.strings': ['258'], 'registry.data.type': 'SZ_QWORD', 'registry.hive': 'HKCU' }));
  const bin = toEcs(sysmon(13, { TargetObject: 'HKCU\\x\\v', Details: 'Binary Data' }));
  assert.deepEqual(...expectFields(bin, { 'registry.data.strings': ['Binary Data'], 'registry.data.type': 'REG_BINARY' }));
  // A path without a known hive: no hive or key, the value is still the last component.
  const other = toEcs(sysmon(12, { TargetObject: '\\REGISTRY\\MACHINE\\x' }));
  assert.deepEqual(...expectFields(other, { 'registry.hive': undefined, 'registry.key': undefined, 'registry.value': 'x' }));
});

test('DNS answers: CNAMEs and V4-mapped addresses', () => {
  const d = toEcs(sysmon(22, {
    QueryName: 'go.microsoft.com',
    QueryStatus: '0',
    QueryResults: 'type:  5 go.microsoft.com.edgekey.net;type:  5 e11290.dspg.akamaiedge.net;::ffff:89.160.20.156;',
  }));
  assert.deepEqual(...expectFields(d, {
    'dns.answers': [
      { type: 'CNAME', data: 'go.microsoft.com.edgekey.net' },
      { type: 'CNAME', data: 'e11290.dspg.akamaiedge.net' },
      { type: 'A', data: '89.160.20.156' },
    ],
    'dns.resolved_ip': ['89.160.20.156'],
    'sysmon.dns.status': 'SUCCESS',
    'related.hosts': ['go.microsoft.com.edgekey.net', 'e11290.dspg.akamaiedge.net', 'go.microsoft.com'],
    'related.ip': ['89.160.20.156'],
  }));
});

test('Hash is read as Hashes; zero hashes are dropped; User without a domain sets no user', () => {
  const d = toEcs(sysmon(26, { TargetFilename: 'C:\\t\\a.exe', Hash: 'MD5=00000000000000000000000000000000,SHA256=ABCD', User: 'SYSTEM' }));
  assert.deepEqual(...expectFields(d, { 'file.hash.sha256': 'abcd', 'file.hash.md5': undefined, 'user.name': undefined, 'related.hash': ['abcd'] }));
});

test('unsigned image load: signature fields', () => {
  const d = toEcs(sysmon(7, { Image: 'C:\\a\\b.exe', ImageLoaded: 'C:\\a\\evil.dll', Signed: 'false', SignatureStatus: 'Unavailable' }));
  assert.deepEqual(...expectFields(d, {
    'dll.name': 'evil.dll',
    'dll.code_signature.exists': false,
    'dll.code_signature.trusted': false,
    'dll.code_signature.status': 'Unavailable',
    'file.code_signature.valid': undefined,
  }));
  // Sysmon writes a failure as the Signed value (the newest pipeline test: "failed: Invalid hash").
  const f = toEcs(sysmon(7, { ImageLoaded: 'C:\\a\\x.dll', Signed: 'failed: Invalid hash', SignatureStatus: '-' }));
  assert.deepEqual(...expectFields(f, { 'dll.code_signature.status': 'failed: Invalid hash', 'file.code_signature.trusted': false }));
});

test('the fields seed 003 (wmiutils.dll load, then a child of wmiprvse.exe) reads are there', () => {
  const load = toEcs(sysmon(7, { ProcessGuid: '{1}', ProcessId: 10, Image: 'C:\\Windows\\System32\\cscript.exe', ImageLoaded: 'C:\\Windows\\System32\\wbem\\wmiutils.dll', User: 'CORP\\bob' }, '2024-05-01T10:00:00.000000Z', 'WS1'));
  assert.deepEqual(...expectFields(load, {
    'host.id': 'WS1',
    'host.os.type': 'windows',
    'event.category': ['process', 'library'],
    'event.action': ['Image loaded', 'load'],
    'dll.name': 'wmiutils.dll',
    'file.name': 'wmiutils.dll',
    'process.name': 'cscript.exe',
  }));
  const child = toEcs(sysmon(1, {
    ProcessGuid: '{2}', ProcessId: 11, Image: 'C:\\Windows\\System32\\cmd.exe', OriginalFileName: 'Cmd.Exe', CommandLine: 'cmd.exe /c whoami',
    ParentProcessGuid: '{3}', ParentImage: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', User: 'CORP\\bob',
  }, '2024-05-01T10:00:03.000000Z', 'WS1'));
  assert.deepEqual(...expectFields(child, {
    'host.id': 'WS1',
    'event.category': ['process'],
    'event.type': ['start'],
    'process.parent.name': 'WmiPrvSE.exe',
    'process.pe.original_file_name': 'Cmd.Exe',
    'user.domain': 'CORP',
    'process.executable': 'C:\\Windows\\System32\\cmd.exe',
  }));
});
