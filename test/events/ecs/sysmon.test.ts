/**
 * Sysmon -> ECS on real events of EVTX-ATTACK-SAMPLES, one per event id present (1-8, 10-13, 15-23).
 * Expected values are derived by hand from each event's data and the sysmon_operational pipeline
 * (renames, hashes, args, names, file parts, registry, DNS, users), in the shape of the
 * integration's test documents (_dev/test/pipeline/test-events.json-expected.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEcs } from '../../../src/events/ecs/index.js';
import { requireShared } from '../../helpers/shared.js';
import { sampleRecord } from '../../helpers/samples.js';
import { expectFields } from './pick.js';

const MALWARE = 'AutomatedTestingTools/Malware/DE_timestomp_and_dll_sideloading_and_RunPersist.evtx';
const PANACHE = 'AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';

async function doc(t: import('node:test').TestContext, rel: string, rid: number): Promise<Record<string, unknown> | undefined> {
  const shared = requireShared(t);
  if (!shared) return undefined;
  return toEcs(await sampleRecord(shared, rel, rid));
}

test('sysmon 1: process creation', async (t) => {
  const d = await doc(t, MALWARE, 6577);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    '@timestamp': '2019-04-27T15:57:53.368Z', // UtcTime
    'event.code': '1',
    'event.kind': 'event',
    'event.category': ['process'],
    'event.type': ['start'],
    'event.action': 'Process creation',
    'event.provider': 'Microsoft-Windows-Sysmon',
    'event.module': 'windows',
    'event.dataset': 'windows.sysmon_operational',
    'host.name': 'IEWIN7',
    'host.os.type': 'windows',
    'process.entity_id': '{365abb72-7c01-5cc4-0000-00102b3e0c00}',
    'process.pid': 2680,
    'process.executable': 'C:\\Users\\IEUser\\Downloads\\Flash_update.exe',
    'process.name': 'Flash_update.exe',
    // as stored, trailing space included (the pipeline renames CommandLine; it does not trim)
    'process.command_line': '"C:\\Users\\IEUser\\Downloads\\Flash_update.exe" ',
    'process.args': ['C:\\Users\\IEUser\\Downloads\\Flash_update.exe'],
    'process.args_count': 1,
    'process.working_directory': 'C:\\Users\\IEUser\\Downloads\\',
    'process.pe.company': '?',
    'process.pe.imphash': '40bec1a4a3bcb7d3089b5e1532386613',
    'process.hash.md5': '42893adbc36605ec79b5bd610759947e',
    'process.hash.sha1': 'b4e581f173f782a2f1da5d29c95946ee500eb2d0',
    'process.hash.sha256': '1a061c74619de6af8c02cba0fa00754bdd9e3515c0e08cad6350c7adfc8cdd5b',
    'process.parent.entity_id': '{365abb72-7acc-5cc4-0000-0010b2470300}',
    'process.parent.pid': 2772,
    'process.parent.executable': 'C:\\Windows\\explorer.exe',
    'process.parent.name': 'explorer.exe',
    'process.parent.command_line': 'C:\\Windows\\Explorer.EXE',
    'process.parent.args': ['C:\\Windows\\Explorer.EXE'],
    'process.parent.args_count': 1,
    'user.id': 'S-1-5-18', // the event's Security UserID
    'user.domain': 'IEWIN7',
    'user.name': 'IEUser',
    'rule.name': 'technique_id=T1036,technique_name=Masquerading',
    'related.user': ['IEUser'],
    'winlog.channel': 'Microsoft-Windows-Sysmon/Operational',
    'winlog.event_id': '1',
    'winlog.record_id': '6577',
    'winlog.computer_name': 'IEWIN7',
    'winlog.provider_name': 'Microsoft-Windows-Sysmon',
    'winlog.process.pid': 1912,
    'winlog.process.thread.id': 996,
    'winlog.opcode': 'Info',
    'winlog.version': 5,
    'winlog.user.identifier': 'S-1-5-18',
    'winlog.event_data.IntegrityLevel': 'High', // not renamed: stays in event_data
    'winlog.event_data.LogonId': '0xf4be',
    'winlog.event_data.Image': undefined, // renamed away
    'winlog.event_data.Hashes': undefined, // cleanup
    'winlog.event_data.ProcessId': undefined, // cleanup
    'winlog.event_data.User': undefined, // cleanup
    'winlog.event_data.UtcTime': undefined, // cleanup
    'winlog.time_created': undefined, // cleanup
  }));
});

test('sysmon 2: file creation time changed', async (t) => {
  const d = await doc(t, MALWARE, 6580);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['file'],
    'event.type': ['change'],
    'event.action': 'A process changed a file creation time',
    'file.path': 'C:\\Users\\IEUser\\AppData\\Roaming\\NvSmart.exe',
    'file.name': 'NvSmart.exe',
    'file.directory': 'C:\\Users\\IEUser\\AppData\\Roaming',
    'file.extension': 'exe',
    'process.name': 'Flash_update.exe',
    'winlog.event_data.CreationUtcTime': '2013-09-04 16:29:27.000',
    'winlog.event_data.PreviousCreationUtcTime': '2019-04-27 15:57:53.634',
  }));
});

test('sysmon 3: network connection', async (t) => {
  const d = await doc(t, PANACHE, 3757);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    '@timestamp': '2019-07-19T14:50:20.871Z',
    'event.category': ['network'],
    'event.type': ['start', 'connection', 'protocol'],
    'event.action': 'Network connection',
    'network.transport': 'tcp',
    'network.protocol': 'http', // DestinationPortName (SourcePortName was empty)
    'network.direction': 'egress', // Initiated true
    'network.type': 'ipv4', // SourceIsIpv6 false
    'source.ip': '10.0.2.15',
    'source.port': 49727,
    'source.domain': 'MSEDGEWIN10.home',
    'destination.ip': '172.217.17.132',
    'destination.port': 80,
    'destination.domain': 'ams15s30-in-f4.1e100.net',
    'process.name': 'powershell.exe',
    'user.name': 'IEUser',
    'user.domain': 'MSEDGEWIN10',
    'related.ip': ['10.0.2.15', '172.217.17.132'],
    'rule.name': 'Suspicious NetCon',
    'winlog.event_data.DestinationIsIpv6': undefined, // cleanup
    'winlog.event_data.Initiated': undefined,
  }));
});

test('sysmon 4 and 16: service state and configuration change', async (t) => {
  const d4 = await doc(t, 'Credential Access/babyshark_mimikatz_powershell.evtx', 2);
  if (!d4) return;
  assert.deepEqual(...expectFields(d4, {
    'event.category': ['process'],
    'event.type': ['change'],
    'event.action': 'Sysmon service state changed',
    'winlog.event_data.State': 'Started',
    'winlog.event_data.Version': '9.01',
  }));
  const d16 = await doc(t, 'Credential Access/babyshark_mimikatz_powershell.evtx', 1);
  assert.deepEqual(...expectFields(d16!, {
    'event.category': ['configuration'],
    'event.type': ['change'],
    'event.action': 'ServiceConfigurationChange',
    'user.id': 'S-1-5-21-3583694148-1414552638-2922671848-1000',
    'winlog.event_data.Configuration': 'C:\\Users\\IEUser\\Desktop\\Sysmon.exe  -i',
    'winlog.event_data.ConfigurationFileHash': undefined, // empty values are dropped
  }));
});

test('sysmon 5: process terminated', async (t) => {
  const d = await doc(t, MALWARE, 6623);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['process'],
    'event.type': ['end'],
    'event.action': 'Process terminated',
    'process.entity_id': '{365abb72-7c01-5cc4-0000-00102b3e0c00}',
    'process.pid': 2680,
    'process.name': 'Flash_update.exe',
  }));
});

test('sysmon 6: driver loaded (file hash, signature)', async (t) => {
  const d = await doc(t, 'Command and Control/DE_sysmon-3-rdp-tun.evtx', 1940912);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['driver'],
    'event.type': ['start'],
    'event.action': 'Driver loaded',
    'file.path': 'C:\\Windows\\System32\\rdpdd.dll',
    'file.name': 'rdpdd.dll',
    'file.extension': 'dll',
    'file.hash.sha1': '853533ad0fd5081e57931d98cf5b1cd4acbf0601',
    'file.code_signature.subject_name': 'Microsoft Windows',
    'file.code_signature.status': 'Valid',
    'file.code_signature.valid': true,
    'file.code_signature.trusted': true,
    'file.code_signature.exists': true,
    'dll.path': undefined, // only image loads (7) are libraries
    'process.hash': undefined,
  }));
});

test('sysmon 7: image loaded (file.* and dll.*)', async (t) => {
  const d = await doc(t, MALWARE, 6578);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    '@timestamp': '2019-04-27T15:57:53.509Z',
    'event.category': ['process', 'library'],
    'event.type': ['change', 'start'],
    'event.action': ['Image loaded', 'load'],
    'file.path': 'C:\\Windows\\System32\\winmm.dll',
    'file.name': 'winmm.dll',
    'file.directory': 'C:\\Windows\\System32',
    'file.pe.company': 'Microsoft Corporation',
    'file.pe.description': 'MCI API DLL',
    'file.pe.imphash': '1a7210f2c9930af9b51025300c67da77',
    'file.hash.md5': 'd5aefad57c08349a4393d987df7c715d',
    'dll.path': 'C:\\Windows\\System32\\winmm.dll',
    'dll.name': 'winmm.dll',
    'dll.hash.sha256': 'c36a45bc2448df30cd17bd2f8a17fc196fafb685612cacceb22dc7b58515c201',
    'dll.pe.imphash': '1a7210f2c9930af9b51025300c67da77',
    'dll.code_signature.subject_name': 'Microsoft Windows',
    'dll.code_signature.status': 'Valid',
    'dll.code_signature.trusted': true,
    'dll.code_signature.exists': true,
    'process.pe.company': undefined, // Company is the dll's for 7, not the process's
    'process.name': 'Flash_update.exe',
    'rule.name': 'dll side loading',
    'winlog.event_data.Signed': 'true', // kept
    'winlog.event_data.ImageLoaded': undefined, // renamed
  }));
});

test('sysmon 8: CreateRemoteThread (source process)', async (t) => {
  const d = await doc(t, 'AutomatedTestingTools/Malware/sideloading_uacbypass_rundll32_injection_c2.evtx', 417080);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['process'],
    'event.type': ['change'],
    'event.action': 'CreateRemoteThread',
    'process.entity_id': '{747f3d96-d8e5-5f8a-0000-0010e1bc7200}',
    'process.pid': 2920,
    'process.executable': 'C:\\Users\\IEUser\\AppData\\Roaming\\WINWORD.exe',
    'process.name': 'WINWORD.exe',
    // Conformity: TargetProcessGuid -> TargetProcessGUID
    'winlog.event_data.TargetProcessGUID': '{747f3d96-d8e8-5f8a-0000-00102cef7200}',
    'winlog.event_data.TargetProcessGuid': undefined,
    'winlog.event_data.TargetImage': '<unknown process>',
    'winlog.event_data.StartAddress': '0x0000000002FF0000',
  }));
});

test('sysmon 10: process access', async (t) => {
  const d = await doc(t, MALWARE, 6595);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['process'],
    'event.type': ['access'],
    'event.action': 'ProcessAccess',
    'process.entity_id': '{365abb72-7c01-5cc4-0000-0010f9530c00}', // SourceProcessGUID
    'process.pid': 2992,
    'process.thread.id': 3008,
    'process.executable': 'C:\\Users\\IEUser\\AppData\\Roaming\\NvSmart.exe',
    'process.name': 'NvSmart.exe',
    'winlog.event_data.TargetImage': 'C:\\Windows\\system32\\cmd.exe',
    'winlog.event_data.GrantedAccess': '0x1fffff',
    'winlog.event_data.TargetProcessGUID': '{365abb72-7c01-5cc4-0000-00105c5c0c00}',
  }));
});

test('sysmon 11: file create', async (t) => {
  const d = await doc(t, MALWARE, 6575);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['file'],
    'event.type': ['creation'],
    'event.action': 'FileCreate',
    'file.path': 'C:\\Users\\IEUser\\Downloads\\Flash_update.exe',
    'file.name': 'Flash_update.exe',
    'file.extension': 'exe',
    'process.executable': 'C:\\Windows\\Explorer.EXE',
    'process.name': 'Explorer.EXE',
    'rule.name': undefined, // empty RuleName
  }));
});

test('sysmon 12 and 13: registry key created, value set', async (t) => {
  const d12 = await doc(t, 'AutomatedTestingTools/Malware/rundll32_cmd_schtask.evtx', 424050);
  if (!d12) return;
  assert.deepEqual(...expectFields(d12, {
    'event.category': ['configuration', 'registry'],
    'event.type': ['change'],
    'event.action': 'RegistryEvent (Object create and delete)',
    'registry.path': 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Desktop\\NameSpace',
    'registry.hive': 'HKLM',
    'registry.key': 'SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Desktop\\NameSpace',
    'registry.value': 'NameSpace',
    'registry.data': undefined,
    'winlog.event_data.EventType': 'CreateKey',
    'winlog.event_data.TargetObject': undefined, // cleanup
  }));
  const d13 = await doc(t, MALWARE, 6593);
  assert.deepEqual(...expectFields(d13!, {
    'event.action': 'RegistryEvent (Value Set)',
    'registry.path': 'HKU\\S-1-5-21-3583694148-1414552638-2922671848-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\360v',
    'registry.hive': 'HKU',
    'registry.key': 'S-1-5-21-3583694148-1414552638-2922671848-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\360v',
    'registry.value': '360v',
    'registry.data.strings': ['C:\\Users\\IEUser\\AppData\\Roaming\\svchost.exe'],
    'registry.data.type': 'REG_SZ',
    'winlog.event_data.Details': 'C:\\Users\\IEUser\\AppData\\Roaming\\svchost.exe',
  }));
});

test('sysmon 15: file stream hash ("Unknown" hash gives no hash fields)', async (t) => {
  const d = await doc(t, 'Privilege Escalation/sysmon_11_1_15_WScriptBypassUAC.evtx', 11240);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['file'],
    'event.type': ['access'],
    'event.action': 'FileCreateStreamHash',
    'file.path': 'C:\\Users\\IEUser\\AppData',
    'file.name': 'AppData',
    'file.directory': 'C:\\Users\\IEUser',
    'file.extension': undefined,
    'file.hash': undefined,
    'related.hash': undefined,
  }));
});

test('sysmon 17 and 18: pipe created / connected', async (t) => {
  const rel = 'Credential Access/sysmon17_18_kekeo_tsssp_default_np.evtx';
  const d17 = await doc(t, rel, 37109);
  if (!d17) return;
  assert.deepEqual(...expectFields(d17, {
    'event.category': ['file'],
    'event.type': ['creation'],
    'event.action': 'PipeEvent (Pipe Created)',
    'file.name': '\\kekeo_tsssp_endpoint',
    'file.path': undefined,
    'process.executable': 'c:\\Users\\IEUser\\Desktop\\kekeo.exe',
    'process.name': 'kekeo.exe',
  }));
  const d18 = await doc(t, rel, 37110);
  assert.deepEqual(...expectFields(d18!, { 'event.type': ['access'], 'event.action': 'PipeEvent (Pipe Connected)', 'file.name': '\\kekeo_tsssp_endpoint' }));
});

test('sysmon 19, 20, 21: WMI filter, consumer, binding', async (t) => {
  const d19 = await doc(t, PANACHE, 4055);
  if (!d19) return;
  assert.deepEqual(...expectFields(d19, {
    'event.category': ['process'],
    'event.type': ['info'],
    'event.action': 'WmiEvent (WmiEventFilter activity detected)',
    'user.name': 'IEUser',
    'user.domain': 'MSEDGEWIN10',
    'winlog.event_data.Operation': 'Created',
    'winlog.event_data.Name': ' "AtomicRedTeam-WMIPersistence-Example"',
  }));
  const d20 = await doc(t, PANACHE, 4056);
  assert.deepEqual(...expectFields(d20!, {
    'event.type': ['change'],
    'event.action': 'WmiEvent (WmiEventConsumer activity detected)',
    'process.executable': ' "C:\\\\Windows\\\\System32\\\\notepad.exe"', // rename Destination -> process.executable
    'process.name': 'notepad.exe"',
    'winlog.event_data.Type': 'Command Line', // Type -> message only for 25
    'message': undefined,
  }));
  const d21 = await doc(t, PANACHE, 4057);
  assert.deepEqual(...expectFields(d21!, { 'event.type': ['access'], 'event.action': 'WmiEvent (WmiEventConsumerToFilter activity detected)' }));
});

test('sysmon 22: DNS query (status translated, "-" results dropped)', async (t) => {
  const d = await doc(t, 'Privilege Escalation/Sysmon_UACME_64.evtx', 1084);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['network'],
    'event.type': ['connection', 'protocol', 'info'],
    'event.action': 'DNSEvent (DNS query)',
    'network.protocol': 'dns',
    'dns.question.name': 'wpad',
    'dns.answers': undefined,
    'sysmon.dns.status': 'DNS_ERROR_RCODE_NAME_ERROR', // 9003
    'related.hosts': ['wpad'],
    'rule.name': undefined, // "-"
    'process.name': 'svchost.exe',
  }));
});

test('sysmon 23: file delete archived (process hashes, archived flags)', async (t) => {
  const d = await doc(t, 'Privilege Escalation/Sysmon_UACME_64.evtx', 769);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['file'],
    'event.type': ['deletion'],
    'event.action': 'FileDelete (File Delete archived)',
    'file.path': 'C:\\Users\\den\\AppData\\Local\\Temp\\dfcc1807-03a1-4ae1-ab29-5675b285edea\\consent.exe.dat',
    'file.name': 'consent.exe.dat',
    'file.extension': 'dat',
    // 23 puts the hashes under process.hash, as the pipeline does (the integration's own test event shows it)
    'process.hash.md5': 'ee2a1c85c472f89b146cc8ee598cccbc',
    'process.pe.imphash': '522d83761201075834f05037f5307949',
    'file.hash': undefined,
    'sysmon.file.archived': true,
    'sysmon.file.is_executable': true,
    'user.name': 'den',
    'user.domain': 'DESKTOP-NTSSLJD',
  }));
});
