/**
 * Security (and System 7045) -> ECS on real events of EVTX-ATTACK-SAMPLES, each listed id present
 * there, plus hand-made 4688 / 4697 / 4647 events for what the samples lack (a 4688 with a command
 * line, a service install, a user logoff). Expected values derived by hand from each event and the
 * system integration's security pipeline scripts (standard.yml / security_common.yml).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPath, toEcs } from '../../../src/events/ecs/index.js';
import { requireShared } from '../../helpers/shared.js';
import { sampleRecord } from '../../helpers/samples.js';
import { expectFields } from './pick.js';
import { makeEvent, security } from './make-event.js';

const RDP = 'Command and Control/DE_RDP_Tunnel_5156.evtx';
const ACL = 'Credential Access/ACL_ForcePwd_SPNAdd_User_Computer_Accounts.evtx';
const KERB = 'Credential Access/kerberos_pwd_spray_4771.evtx';
const SAMACC = 'Privilege Escalation/samaccount_spoofing_CVE-2021-42287_CVE-2021-42278_DC_securitylogs.evtx';

async function doc(t: import('node:test').TestContext, rel: string, rid: number): Promise<Record<string, unknown> | undefined> {
  const shared = requireShared(t);
  if (!shared) return undefined;
  return toEcs(await sampleRecord(shared, rel, rid));
}

test('4624 logon: target user, logon type, source, process', async (t) => {
  const d = await doc(t, RDP, 227701);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.code': '4624',
    'event.category': ['authentication'],
    'event.type': ['start'],
    'event.action': 'logged-in',
    'event.outcome': 'success', // Audit Success keyword
    'event.dataset': 'system.security',
    'user.id': 'S-1-5-21-1587066498-1489273250-1035260531-1106',
    'user.name': 'user01',
    'user.domain': 'EXAMPLE',
    'winlog.logon.type': 'CachedInteractive', // LogonType 11
    'winlog.logon.id': '0x3e7', // set copy_from SubjectLogonId runs last
    'winlog.keywords': ['Audit Success'],
    'process.pid': 1796,
    'process.executable': 'C:\\Windows\\System32\\winlogon.exe',
    'process.name': 'winlogon.exe',
    'source.ip': '127.0.0.1',
    'source.port': 0,
    'source.domain': 'PC01',
    'related.user': ['user01', 'PC01$'],
    'related.ip': ['127.0.0.1'],
    'host.name': 'PC01.example.corp',
    'winlog.task': 'Logon', // Task 12544
    'winlog.event_data.IpAddress': undefined, // renamed by "Rename Common Auth Fields"
    'winlog.event_data.TargetUserName': 'user01',
    'winlog.event_data.LogonGuid': undefined, // the null GUID is an empty value
  }));
});

test('4625 failed logon: failure reason, status and sub-status', async (t) => {
  const d = await doc(t, 'Credential Access/CA_4624_4625_LogonType2_LogonProc_chrome.evtx', 137222);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.action': 'logon-failed',
    'event.outcome': 'failure', // Audit Failure keyword
    'user.id': 'S-1-0-0',
    'user.name': 'IEUser',
    'user.domain': 'MSEDGEWIN10',
    'winlog.logon.type': 'Interactive',
    'winlog.logon.failure.reason': 'Unknown user name or bad password.', // %%2313
    'winlog.logon.failure.status': 'This is either due to a bad username or authentication information', // 0xc000006d
    'winlog.logon.failure.sub_status': 'User logon with misspelled or bad password', // 0xc000006a
    'process.pid': 4952, // 0x1358
    'process.name': 'chrome.exe',
    'source.domain': 'MSEDGEWIN10',
    'source.ip': undefined, // IpAddress "-"
    'winlog.event_data.LogonProcessName': 'Chrome',
  }));
});

test('4634 logoff: logon id from TargetLogonId', async (t) => {
  const d = await doc(t, 'Privilege Escalation/4624 LT3 AnonymousLogon Localhost - JuicyPotato.evtx', 25050);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['authentication'],
    'event.type': ['end'],
    'event.action': 'logged-out',
    'user.id': 'S-1-5-7',
    'user.name': 'ANONYMOUS LOGON',
    'user.domain': 'NT AUTHORITY',
    'winlog.logon.id': '0x1d12916',
    'winlog.logon.type': 'Network',
  }));
});

test('4672 special privileges: privilege list split', async (t) => {
  const d = await doc(t, RDP, 227739);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['iam'],
    'event.type': ['admin'],
    'event.action': 'logged-in-special',
    'user.name': 'admin01',
    'user.id': 'S-1-5-21-1587066498-1489273250-1035260531-1108',
    'winlog.logon.id': '0x14871d',
    'winlog.event_data.PrivilegeList': [
      'SeSecurityPrivilege', 'SeBackupPrivilege', 'SeRestorePrivilege', 'SeTakeOwnershipPrivilege',
      'SeDebugPrivilege', 'SeSystemEnvironmentPrivilege', 'SeLoadDriverPrivilege', 'SeImpersonatePrivilege',
    ],
  }));
});

test('1102 audit log cleared: subject from user_data', async (t) => {
  const d = await doc(t, RDP, 227693);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.provider': 'Microsoft-Windows-Eventlog',
    'event.category': ['iam'],
    'event.type': ['admin', 'change'],
    'event.action': 'audit-log-cleared',
    'user.id': 'S-1-5-21-1587066498-1489273250-1035260531-1108',
    'user.name': 'admin01',
    'user.domain': 'EXAMPLE',
    'winlog.logon.id': '0xaf855',
    'winlog.user_data.xml_name': 'LogFileCleared',
    'winlog.user_data.SubjectUserName': 'admin01',
    'winlog.task': 'Log clear', // Eventlog task 104
  }));
});

test('4698 / 4699 / 4702 scheduled tasks', async (t) => {
  const d = await doc(t, 'Execution/temp_scheduled_task_4698_4699.evtx', 566836);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['iam', 'configuration'],
    'event.type': ['creation', 'admin'],
    'event.action': 'scheduled-task-created',
    'user.name': 'Administrator',
    'user.id': 'S-1-5-21-1587066498-1489273250-1035260531-500',
    'winlog.scheduled_task.name': '\\CYAlyNSS',
    'winlog.logon.id': '0x17e2d2',
  }));
  const deleted = await doc(t, 'Execution/temp_scheduled_task_4698_4699.evtx', 566840);
  assert.deepEqual(...expectFields(deleted!, { 'event.type': ['deletion', 'admin'], 'event.action': 'scheduled-task-deleted' }));
  const updated = await doc(t, ACL, 198238563);
  assert.deepEqual(...expectFields(updated!, {
    'event.action': 'scheduled-task-updated',
    'user.id': 'S-1-5-20',
    'user.name': 'DC1$',
    'winlog.scheduled_task.name': '\\Microsoft\\Windows\\SoftwareProtectionPlatform\\SvcRestartTask',
  }));
});

test('4719 audit policy change: subcategory and decoded changes', async (t) => {
  const d = await doc(t, ACL, 198238054);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.action': 'changed-audit-config',
    'event.type': ['admin', 'change'],
    'user.name': 'DC1$',
    'user.domain': 'insecurebank',
    'winlog.event_data.Category': 'Logon/Logoff',
    'winlog.event_data.SubCategory': 'Logon',
    'winlog.event_data.AuditPolicyChangesDescription': ['Success Added', 'Failure Added'],
  }));
});

test('4662 directory object operation: access mask decoded', async (t) => {
  const d = await doc(t, ACL, 198238041);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.action': 'object-operation-performed',
    'event.category': ['iam', 'configuration'],
    'user.id': 'S-1-5-18',
    'user.name': 'DC1$',
    'winlog.event_data.AccessMask': ['0x100'],
    'winlog.event_data.AccessMaskDescription': ['Control Access'],
    'winlog.event_data.AccessListDescription': ['Control Access'], // %%7688
    'winlog.event_data.OperationType': 'Object Access',
    'winlog.event_data.AdditionalInfo': undefined, // "-"
  }));
});

test('5140 / 5145 network share access: file fields', async (t) => {
  const d = await doc(t, 'Discovery/dicovery_4661_net_group_domain_admins_target.evtx', 565600);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['network', 'file'],
    'event.type': ['info', 'access'],
    'event.action': 'network-share-object-accessed',
    'user.name': 'user01',
    'source.ip': '10.0.2.17',
    'source.port': 49222,
    'related.ip': ['10.0.2.17'],
    'file.name': undefined,
    'winlog.event_data.ShareName': '\\\\*\\IPC$',
    'winlog.event_data.AccessListDescription': ['ReadData (or ListDirectory)'],
    'winlog.event_data.AccessMaskDescription': ['Create Child'], // 0x1 in the AccessMaskDescriptions table
  }));
  const s = await doc(t, 'Credential Access/CA_protectedstorage_5145_rpc_masterkey.evtx', 886983);
  assert.deepEqual(...expectFields(s!, {
    'event.action': 'network-share-object-access-checked',
    'user.name': 'backdoor',
    'user.domain': '3B',
    'source.ip': '172.16.66.1',
    'file.name': 'protected_storage',
    'file.directory': undefined, // ShareLocalPath is empty
    'file.path': undefined,
    'file.target_path': '\\\\*\\IPC$\\protected_storage',
    // AccessList items are separated by line breaks, and the pipeline splits on spaces: nothing decodes
    'winlog.event_data.AccessListDescription': undefined,
    'winlog.event_data.AccessMaskDescription': [
      'Create Child', 'Delete Child', 'List Contents', 'SELF', 'Read Property', 'List Object', 'Control Access', 'READ_CONTROL', 'SYNCHRONIZE',
    ],
  }));
});

test('4720 / 4738 / 4732 account and group management', async (t) => {
  const d = await doc(t, 'Defense Evasion/DE_Fake_ComputerAccount_4720.evtx', 769629);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['iam'],
    'event.type': ['user', 'creation'],
    'event.action': 'added-user-account',
    'user.id': 'S-1-5-18',
    'user.name': '01566S-WIN16-IR$',
    'user.domain': '3B',
    'user.target.id': 'S-1-5-21-308926384-506822093-3341789130-107103',
    'user.target.name': '$',
    'user.target.domain': '3B',
    'related.user': ['01566S-WIN16-IR$', '$'],
    'winlog.event_data.NewUACList': ['SCRIPT', 'LOCKOUT'], // 0x15
    'winlog.event_data.UserAccountControl': ['2080', '2082', '2084'],
  }));
  const m = await doc(t, ACL, 198238499);
  assert.deepEqual(...expectFields(m!, {
    'event.action': 'modified-user-account',
    'user.name': 'bob',
    'user.target.name': 'alice',
    'user.target.id': 'S-1-5-21-738609754-2819869699-4189121830-1107',
  }));
  const g = await doc(t, 'Persistence/Network_Service_Guest_added_to_admins_4732.evtx', 191029);
  assert.deepEqual(...expectFields(g!, {
    'event.type': ['group', 'change'],
    'event.action': 'added-member-to-group',
    'user.name': 'IEUser',
    'group.id': 'S-1-5-32-544',
    'group.name': 'Administrators',
    'group.domain': 'Builtin',
    'user.target': undefined, // MemberName "-"
    'winlog.event_data.MemberSid': 'S-1-5-21-3461203602-4096304019-2269080069-501',
  }));
});

test('4768 / 4769 / 4771 Kerberos', async (t) => {
  const tgt = await doc(t, KERB, 887107);
  if (!tgt) return;
  assert.deepEqual(...expectFields(tgt, {
    'event.action': 'kerberos-authentication-ticket-requested',
    'user.id': 'S-1-0-0',
    'user.name': 'HD01',
    'user.domain': 'THREEBEESCO.COM',
    'source.ip': '172.16.66.1',
    'source.port': 55961,
    'service.name': 'krbtgt/THREEBEESCO.COM',
    'winlog.event_data.TicketOptionsDescription': ['Renewable-ok'],
    'winlog.event_data.TicketEncryptionTypeDescription': 'FAIL',
    'winlog.event_data.StatusDescription': 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
  }));
  const tgs = await doc(t, SAMACC, 2982083);
  assert.deepEqual(...expectFields(tgs!, {
    'event.action': 'kerberos-service-ticket-requested',
    'user.name': 'lgrove', // "lgrove@THREEBEESCO.COM" split at @
    'user.id': undefined,
    'source.ip': '172.16.66.19', // ::ffff: mapped address
    'winlog.event_data.TicketOptionsDescription': ['Forwardable', 'Renewable', 'Name-canonicalize'],
    'winlog.event_data.TicketEncryptionTypeDescription': 'AES256-CTS-HMAC-SHA1-96',
    'winlog.event_data.StatusDescription': 'KDC_ERR_NONE',
  }));
  const pre = await doc(t, KERB, 887114);
  assert.deepEqual(...expectFields(pre!, {
    'event.action': 'kerberos-preauth-failed',
    'user.name': 'Administrator',
    'user.id': 'S-1-5-21-308926384-506822093-3341789130-500',
    'winlog.event_data.StatusDescription': 'KDC_ERR_PREAUTH_FAILED',
  }));
});

test('4688 process creation (sample without command line)', async (t) => {
  const d = await doc(t, RDP, 227695);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.category': ['process'],
    'event.type': ['start'],
    'event.action': 'created-process',
    'process.pid': 508, // 0x1fc
    'process.executable': 'C:\\Windows\\System32\\TSTheme.exe',
    'process.name': 'TSTheme.exe',
    'process.parent.pid': 632, // 0x278
    'process.command_line': undefined,
    'process.args': undefined,
    'user.name': 'PC01$',
    'user.id': 'S-1-5-18',
    'winlog.event_data.ProcessId': '0x278', // kept for 4688
    'winlog.event_data.NewProcessId': undefined,
  }));
});

test('4688 with a command line, target user and parent name (hand-made, version 2)', () => {
  const d = toEcs(security(4688, {
    SubjectUserSid: 'S-1-5-21-1-2-3-1001', SubjectUserName: 'alice', SubjectDomainName: 'CORP', SubjectLogonId: '0x1234',
    NewProcessId: '0x1a2b', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', TokenElevationType: '%%1938',
    ProcessId: '0x10', CommandLine: '"C:\\Windows\\System32\\cmd.exe"  /c "echo a b"', TargetUserSid: 'S-1-0-0',
    TargetUserName: '-', TargetDomainName: '-', TargetLogonId: '0x0', ParentProcessName: 'C:\\Windows\\explorer.exe',
    MandatoryLabel: 'S-1-16-8192',
  }));
  assert.deepEqual(...expectFields(d, {
    'process.pid': 6699,
    'process.parent.pid': 16,
    'process.parent.executable': 'C:\\Windows\\explorer.exe',
    'process.parent.name': 'explorer.exe',
    'process.command_line': '"C:\\Windows\\System32\\cmd.exe"  /c "echo a b"',
    'process.args': ['"C:\\Windows\\System32\\cmd.exe"', '/c', '"echo a b"'],
    'user.name': 'alice',
    'user.effective.id': 'S-1-0-0',
    'user.effective.name': undefined, // "-" is empty
    'related.user': ['alice'],
  }));
});

test('4697 service installed and 4647 user logoff (hand-made)', () => {
  const s = toEcs(security(4697, {
    SubjectUserSid: 'S-1-5-18', SubjectUserName: 'HOST1$', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7',
    ServiceName: 'evil', ServiceFileName: 'C:\\Temp\\evil.exe', ServiceType: '0x10', ServiceStartType: '2', ServiceAccount: 'LocalSystem',
  }));
  assert.deepEqual(...expectFields(s, {
    'event.category': ['iam', 'configuration'],
    'event.type': ['admin', 'change'],
    'event.action': 'service-installed',
    'service.name': 'evil',
    'service.type': 'Win32 Own Process',
    'user.name': 'HOST1$',
    'winlog.event_data.ServiceFileName': 'C:\\Temp\\evil.exe',
  }));
  const l = toEcs(security(4647, { TargetUserSid: 'S-1-5-21-1-2-3-1001', TargetUserName: 'alice', TargetDomainName: 'CORP', TargetLogonId: '0x99' }));
  assert.deepEqual(...expectFields(l, { 'event.action': 'logged-out', 'event.type': ['end'], 'user.name': 'alice', 'winlog.logon.id': '0x99' }));
});

test('System 7045: the base document only (the system.system pipeline adds no mapping)', async (t) => {
  const d = await doc(t, 'Lateral Movement/LM_Remote_Service02_7045.evtx', 4480);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.code': '7045',
    'event.provider': 'Service Control Manager',
    'event.dataset': 'system.system',
    'event.module': 'system',
    'event.category': undefined,
    'event.action': undefined,
    'service.name': undefined,
    'host.name': 'WIN-77LTAPHIQ1R.example.corp',
    'winlog.channel': 'System',
    'winlog.user.identifier': 'S-1-5-21-1587066498-1489273250-1035260531-1108',
    'winlog.event_data.ServiceName': 'spoolfool',
    'winlog.event_data.ImagePath': 'cmd.exe',
    'winlog.event_data.AccountName': 'LocalSystem',
  }));
});

test('a channel no integration pipeline maps keeps all its data', () => {
  const d = toEcs(makeEvent('Microsoft-Windows-WinRM/Operational', 'Microsoft-Windows-WinRM', 91, { resourceUri: 'x', shellId: '-' }));
  assert.deepEqual(...expectFields(d, { 'event.dataset': 'winlog.winlog', 'winlog.event_data.resourceUri': 'x', 'winlog.event_data.shellId': '-' }));
});

test('codes without a categorization: event.action is the task name, as Winlogbeat renders it', async (t) => {
  const d = await doc(t, 'Credential Access/tutto_malseclogon.evtx', 329915);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.code': '4703',
    'event.action': 'Token Right Adjusted Events', // Task 13317
    'winlog.task': 'Token Right Adjusted Events',
    'event.category': undefined,
    'winlog.event_data.SubjectUserName': 'IEUser',
    'user.name': undefined, // no user script runs for 4703
  }));
});

test('4674 privileged operation, as the integration\'s test-4674 document (hand-made from its event)', () => {
  const d = toEcs(security(4674, {
    SubjectUserSid: 'S-1-5-21-1717121054-434620538-60925301-2794', SubjectUserName: 'at_adm', SubjectDomainName: 'TEST', SubjectLogonId: '0x5e2887',
    ObjectServer: 'Security', ObjectType: 'File', ObjectName: 'C:\\Windows\\System32\\Tasks\\x', HandleId: '0x1684',
    AccessMask: '%%1538\n\t\t\t\t%%1542', PrivilegeList: 'SeSecurityPrivilege', ProcessId: '0x3e4', ProcessName: 'C:\\Windows\\System32\\svchost.exe',
  }, { keywords: '0x8020000000000000', task: 13056 }));
  assert.deepEqual(...expectFields(d, {
    'winlog.task': 'Sensitive Privilege Use',
    'event.outcome': 'success',
    'event.action': 'privileged-operation',
    'event.category': ['iam'],
    'event.type': ['admin'],
    'process.executable': 'C:\\Windows\\System32\\svchost.exe',
    'process.name': 'svchost.exe',
    'process.pid': 996,
    'user.name': 'at_adm',
    'winlog.logon.id': '0x5e2887',
    'winlog.event_data.AccessMask': ['1538', '1542'],
    'winlog.event_data.AccessMaskDescription': ['Delete Child', 'List Contents'],
    'winlog.event_data.PrivilegeList': ['SeSecurityPrivilege'],
    'winlog.event_data.ProcessName': undefined, // renamed to process.executable
    'winlog.event_data.ProcessId': undefined,
  }));
});

test('System 104 log cleared: event.action is the Eventlog task name the rules read ("Log clear")', async (t) => {
  const d = await doc(t, 'Credential Access/Zerologon_CVE-2020-1472_DFIR_System_NetLogon_Error_EventID_5805.evtx', 63220);
  if (!d) return;
  assert.deepEqual(...expectFields(d, {
    'event.code': '104',
    'event.action': 'Log clear',
    'winlog.task': 'Log clear',
    'winlog.channel': 'System',
    'winlog.user_data.SubjectUserName': 'a-jbrown',
    'winlog.user_data.Channel': 'System',
    'user.name': undefined, // no pipeline maps System events
  }));
});

test('flag lists (ticket options) are equal for events with the same mask, and each event has its own list', () => {
  const list = (): string[] => getPath(toEcs(security(4769, { TicketOptions: '0x40810000', ServiceName: 'krbtgt' })), 'winlog.event_data.TicketOptionsDescription') as string[];
  const a = list();
  assert.ok(a.includes('Forwardable') && a.includes('Renewable') && !a.includes('Proxy'), a.join(', '));
  const b = list();
  assert.deepEqual(b, a);
  assert.notEqual(b, a);
  const before = [...a];
  a.push('changed');
  assert.deepEqual(list(), before);
});
