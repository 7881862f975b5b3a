/**
 * Applies the Security tables (security-table.ts) in the order of the pipeline's scripts.
 */
import { memoPerObject } from '../../util/memo-per-object.js';
import { applyClass } from './classify.js';
import { splitOnUnquotedWhitespace } from './command-line.js';
import { type EcsDoc, getNested, getParts, partsOf, setParts, setPath } from './doc.js';
import { appendRelated, toLong } from './moves.js';
import { lastComponent } from './paths.js';
import {
  ACCESS_MASK_FLAGS, AUDIT_SUBCATEGORIES, KERBEROS_ENCRYPTION, KERBEROS_STATUS, LOGON_FAILURE_STATUS, LOGON_TYPES,
  MESSAGE_TABLE, SECURITY_EVENTS, SERVICE_TYPES, TICKET_OPTIONS, UAC_FLAGS, USER_SCRIPTS,
} from './security-table.js';
import type { EventData, WinContext } from './winlog.js';

/** The paths of the mapping's steps, split once (not looked up by their text on every event). */
const SOURCE_IP = partsOf('source.ip');
const USER_TARGET = partsOf('user.target');
const USER_TARGET_NAME = partsOf('user.target.name');
const USER_CHANGES_NAME = partsOf('user.changes.name');
const WINLOG_SCHEDULED_TASK_NAME = partsOf('winlog.scheduled_task.name');
const WINLOG_LOGON_TYPE = partsOf('winlog.logon.type');
const SERVICE_NAME = partsOf('service.name');
const SERVICE_TYPE = partsOf('service.type');
const WINLOG_LOGON_FAILURE_REASON = partsOf('winlog.logon.failure.reason');
const WINLOG_LOGON_FAILURE_STATUS = partsOf('winlog.logon.failure.status');
const WINLOG_LOGON_FAILURE_SUB_STATUS = partsOf('winlog.logon.failure.sub_status');
const USER_NAME = partsOf('user.name');
const USER_DOMAIN = partsOf('user.domain');
const SOURCE_DOMAIN = partsOf('source.domain');
const WINLOG_LOGON_ID = partsOf('winlog.logon.id');
const USER_TARGET_DOMAIN = partsOf('user.target.domain');
const GROUP_ID = partsOf('group.id');
const GROUP_NAME = partsOf('group.name');
const GROUP_DOMAIN = partsOf('group.domain');
const USER_ID = partsOf('user.id');
const PROCESS_PARENT_PID = partsOf('process.parent.pid');
const PROCESS_ARGS = partsOf('process.args');
const PROCESS_COMMAND_LINE = partsOf('process.command_line');
const FILE_NAME = partsOf('file.name');
const FILE_DIRECTORY = partsOf('file.directory');
const FILE_PATH = partsOf('file.path');
const FILE_TARGET_PATH = partsOf('file.target_path');
const FILE_EXTENSION = partsOf('file.extension');

type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** Code lists as sets, by the same names. */
function setsOf<K extends string>(lists: Readonly<Record<K, readonly string[]>>): Readonly<Record<K, ReadonlySet<string>>> {
  const out = {} as Record<K, ReadonlySet<string>>;
  for (const k of Object.keys(lists) as K[]) out[k] = new Set(lists[k]);
  return out;
}

/** USER_SCRIPTS' code lists as sets (a Security event tests a dozen of them, some of 70 codes). */
const SCRIPTS = setsOf(USER_SCRIPTS);

/** Flags set in `value` (a number in hex or decimal), by a flag table, in table order (a new list). */
function flagNames(value: string, table: Readonly<Record<string, string>>): string[] {
  // A log holds few distinct masks: each one's names are computed once per table (BigInt is slow).
  const names = flagNamesOf(table, value);
  return [...names];
}

const flagNamesOf = memoPerObject<Readonly<Record<string, string>>, readonly string[]>(1024, (table, value) => computeFlagNames(value, table));

function computeFlagNames(value: string, table: Readonly<Record<string, string>>): string[] {
  let v: bigint;
  try {
    v = BigInt(value.trim());
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const [flag, name] of Object.entries(table)) {
    const f = BigInt(flag);
    if ((v & f) === f) out.push(name);
  }
  return out;
}

export function mapSecurity(ctx: WinContext): void {
  const { doc, code } = ctx;
  const data = ctx.data as Data;
  applyClass(doc, SECURITY_EVENTS[code]);
  decodeFields(doc, data, code);
  users(doc, data, ctx.userData, code);
  processFields(doc, data, code);
  related(doc, data, code);
  if (SCRIPTS.privilegeList.has(code) && str(data.PrivilegeList)) {
    data.PrivilegeList = (data.PrivilegeList as string).split(/\s+/).filter((s) => s !== ''); // split PrivilegeList
  }
  setParts(doc, USER_TARGET_NAME, str(data.OldTargetUserName)); // set user.target.name copy_from OldTargetUserName
  setParts(doc, USER_CHANGES_NAME, str(data.NewTargetUserName)); // set user.changes.name copy_from NewTargetUserName
  appendRelated(doc, 'related.user', data.NewTargetUserName);
  appendRelated(doc, 'related.user', data.OldTargetUserName);
  if (SCRIPTS.share.has(code)) share(doc, data);
  // security_common.yml
  if (SCRIPTS.scheduledTask.has(code)) setParts(doc, WINLOG_SCHEDULED_TASK_NAME, str(data.TaskName));
  const sip = getParts(doc, SOURCE_IP);
  if (typeof sip === 'string') {
    setParts(doc, SOURCE_IP, sip.replace(/^\[?::ffff:(\d+\.\d+\.\d+\.\d+)(?:\](?::\d+)?)?$/, '$1')); // gsub source.ip
    appendRelated(doc, 'related.ip', getParts(doc, SOURCE_IP));
  }
}

/** The decoding scripts: logon type, UAC, Kerberos, service, audit subcategory, message table, failure status. */
function decodeFields(doc: EcsDoc, data: Data, code: string): void {
  const logonType = str(data.LogonType);
  if (logonType && LOGON_TYPES[logonType]) setParts(doc, WINLOG_LOGON_TYPE, LOGON_TYPES[logonType]); // "Set Logon Type"
  const uac = str(data.NewUacValue);
  if (uac) {
    // "Set User Account Control"
    const list = flagNames(uac, UAC_FLAGS);
    if (list.length) {
      data.NewUACList = list;
      const uacText = str(data.UserAccountControl);
      if (uacText) data.UserAccountControl = uacText.split('%%').map((s) => s.trim()).filter((s) => s.length > 0);
    }
  }
  const opts = str(data.TicketOptions);
  if (opts) {
    const list = flagNames(opts, TICKET_OPTIONS); // "Set Kerberos Ticket Options"
    if (list.length) data.TicketOptionsDescription = list;
  }
  const enc = str(data.TicketEncryptionType);
  if (enc && KERBEROS_ENCRYPTION[enc.toLowerCase()]) data.TicketEncryptionTypeDescription = KERBEROS_ENCRYPTION[enc.toLowerCase()];
  const status = str(data.Status);
  if (status && ['4768', '4769', '4770', '4771'].includes(code) && KERBEROS_STATUS[status]) data.StatusDescription = KERBEROS_STATUS[status];
  // "Set Service Type and Name"
  setParts(doc, SERVICE_NAME, str(data.ServiceName));
  const stype = str(data.ServiceType);
  if (stype) setParts(doc, SERVICE_TYPE, SERVICE_TYPES[stype]);
  const sub = str(data.SubcategoryGuid);
  if (sub) {
    // "Set Audit Information"
    const hit = AUDIT_SUBCATEGORIES[sub.replace(/[{}]/g, '').toUpperCase()];
    if (hit) {
      data.Category = hit[1];
      data.SubCategory = hit[0];
    }
  }
  // "Decode message table"
  const reason = str(data.FailureReason);
  if (reason && MESSAGE_TABLE[reason.replace('%%', '')]) setParts(doc, WINLOG_LOGON_FAILURE_REASON, MESSAGE_TABLE[reason.replace('%%', '')]);
  const apc = str(data.AuditPolicyChanges);
  if (apc) {
    const list = apc.split(',').map((e) => MESSAGE_TABLE[e.replace(/%%/g, '').trim()]).filter((s): s is string => !!s);
    if (list.length) data.AuditPolicyChangesDescription = list;
  }
  const access = str(data.AccessList);
  if (access) {
    const list = access.split(' ').map((e) => MESSAGE_TABLE[e.replace(/%%/g, '').trim()]).filter((s): s is string => !!s);
    if (list.length) data.AccessListDescription = list;
  }
  const mask = str(data.AccessMask);
  if (mask) {
    const masks = mask.trim().split(/\s+/).filter((m) => m !== '');
    const names: string[] = [];
    for (const m of masks) for (const n of flagNames(m.replace(/%%/g, ''), ACCESS_MASK_FLAGS)) if (!names.includes(n)) names.push(n);
    // The newest pipeline keeps AccessMask as a list without the "%%" (its test-4662 / test-4674 expected documents).
    data.AccessMask = masks.map((m) => m.replace(/%%/g, ''));
    if (names.length) data.AccessMaskDescription = names;
  }
  if (status && (code === '4625' || code === '4776')) {
    // "4625 and 4776 Set Status and SubStatus"
    if (LOGON_FAILURE_STATUS[status]) setParts(doc, WINLOG_LOGON_FAILURE_STATUS, LOGON_FAILURE_STATUS[status]);
    const subStatus = str(data.SubStatus);
    if (subStatus && LOGON_FAILURE_STATUS[subStatus]) setParts(doc, WINLOG_LOGON_FAILURE_SUB_STATUS, LOGON_FAILURE_STATUS[subStatus]);
  }
  if (code === '4778' || code === '4779') {
    // "Add Session Events"
    setParts(doc, USER_NAME, str(data.AccountName));
    appendRelated(doc, 'related.user', data.AccountName);
    setParts(doc, USER_DOMAIN, str(data.AccountDomain));
    setParts(doc, SOURCE_IP, str(data.ClientAddress));
    appendRelated(doc, 'related.ip', data.ClientAddress);
    setParts(doc, SOURCE_DOMAIN, str(data.ClientName));
    setParts(doc, WINLOG_LOGON_ID, str(data.LogonID));
  }
}

/** Sets user.<f> when free, else user.<alt>.<f> (the "Copy Target User" script's rule). */
function setUserOrAlt(doc: EcsDoc, f: string, value: string | undefined, alt: string): void {
  if (value === undefined) return;
  if (getNested(doc, `user.${f}`) === undefined) setPath(doc, `user.${f}`, value);
  else setPath(doc, `user.${alt}.${f}`, value);
}

function users(doc: EcsDoc, data: Data, userData: EventData | undefined, code: string): void {
  if (SCRIPTS.copyTargetUser.has(code)) {
    setUserOrAlt(doc, 'id', str(data.TargetUserSid) ?? str(data.TargetSid), 'target');
    const tun = str(data.TargetUserName);
    if (tun) {
      const name = tun.split('@')[0];
      setUserOrAlt(doc, 'name', name, 'target');
      appendRelated(doc, 'related.user', name);
    }
    setUserOrAlt(doc, 'domain', str(data.TargetDomainName), 'target');
  }
  if (SCRIPTS.memberToGroup.has(code)) {
    const member = str(data.MemberName);
    if (member) {
      const parts = member.split(',');
      const name = parts[0].replace('CN=', '').replace('cn=', '');
      setParts(doc, USER_TARGET_NAME, name);
      appendRelated(doc, 'related.user', name);
      if (parts.length >= 4) setParts(doc, USER_TARGET_DOMAIN, parts[3].replace('DC=', '').replace('dc=', ''));
    }
    setParts(doc, GROUP_ID, str(data.TargetUserSid));
    setParts(doc, GROUP_ID, str(data.TargetSid));
    setParts(doc, GROUP_NAME, str(data.TargetUserName));
    const dom = str(data.TargetDomainName);
    if (dom) setParts(doc, GROUP_DOMAIN, dom.replace('DC=', '').replace('dc=', ''));
    if (getParts(doc, USER_TARGET) !== undefined) {
      for (const f of ['id', 'name', 'domain']) setPath(doc, `user.target.group.${f}`, getNested(doc, `group.${f}`));
    }
  }
  if (SCRIPTS.computerObject.has(code)) {
    setPath(doc, 'winlog.computerObject.id', str(data.TargetSid));
    setPath(doc, 'winlog.computerObject.name', str(data.TargetUserName));
    setPath(doc, 'winlog.computerObject.domain', str(data.TargetDomainName));
  }
  if (SCRIPTS.targetLogonId.has(code)) setParts(doc, WINLOG_LOGON_ID, str(data.TargetLogonId));
  if (SCRIPTS.copySubjectUser.has(code)) {
    setParts(doc, USER_ID, str(data.SubjectUserSid));
    setParts(doc, USER_NAME, str(data.SubjectUserName));
    appendRelated(doc, 'related.user', data.SubjectUserName);
    setParts(doc, USER_DOMAIN, str(data.SubjectDomainName));
  }
  if (SCRIPTS.targetToTarget.has(code)) copyTargetTo(doc, data, 'target', str(data.TargetSid));
  if (SCRIPTS.targetToEffective.has(code)) copyTargetTo(doc, data, 'effective', str(data.TargetUserSid));
  if (SCRIPTS.subjectFromUserData.has(code) && userData) {
    setParts(doc, USER_ID, str(userData.SubjectUserSid));
    setParts(doc, USER_NAME, str(userData.SubjectUserName));
    appendRelated(doc, 'related.user', userData.SubjectUserName);
    setParts(doc, USER_DOMAIN, str(userData.SubjectDomainName));
  }
  setParts(doc, WINLOG_LOGON_ID, str(data.SubjectLogonId)); // set winlog.logon.id copy_from SubjectLogonId
  if (code === '1102' && userData) setParts(doc, WINLOG_LOGON_ID, str(userData.SubjectLogonId));
}

/** "Copy Target User to Target" / "... to Effective": user.<to>.id/name/domain. */
function copyTargetTo(doc: EcsDoc, data: Data, to: 'target' | 'effective', id: string | undefined): void {
  setPath(doc, `user.${to}.id`, id);
  const tun = str(data.TargetUserName);
  if (tun) {
    const name = tun.split('@')[0];
    setPath(doc, `user.${to}.name`, name);
    appendRelated(doc, 'related.user', name);
  }
  setPath(doc, `user.${to}.domain`, str(data.TargetDomainName));
}

function processFields(doc: EcsDoc, data: Data, code: string): void {
  if (SCRIPTS.commonAuth.has(code)) {
    // "Rename Common Auth Fields"
    take(doc, data, 'ProcessId', 'process.pid', toLong);
    take(doc, data, 'ProcessName', 'process.executable');
    take(doc, data, 'IpAddress', 'source.ip');
    take(doc, data, 'IpPort', 'source.port', toLong);
    take(doc, data, 'WorkstationName', 'source.domain');
    take(doc, data, 'ClientAddress', 'related.ip');
    nameFromExecutable(doc, 'process');
  }
  if (code === '4688') {
    // "Process Event 4688"
    take(doc, data, 'NewProcessId', 'process.pid', toLong);
    take(doc, data, 'NewProcessName', 'process.executable');
    take(doc, data, 'ParentProcessName', 'process.parent.executable');
    nameFromExecutable(doc, 'process');
    nameFromExecutable(doc, 'process.parent');
    const ppid = str(data.ProcessId);
    if (ppid) setParts(doc, PROCESS_PARENT_PID, toLong(ppid));
    const cmd = str(data.CommandLine);
    if (cmd) {
      setParts(doc, PROCESS_ARGS, splitOnUnquotedWhitespace(cmd));
      setParts(doc, PROCESS_COMMAND_LINE, cmd);
    }
  }
}

/** The pipelines' rename (with an optional convert): a present event data field moves to an ECS field. */
function take(doc: EcsDoc, data: Data, from: string, to: string, convert: (v: string) => unknown = (v) => v): void {
  const v = str(data[from]);
  if (v === undefined) return;
  setPath(doc, to, convert(v));
  delete data[from];
}

function nameFromExecutable(doc: EcsDoc, p: string): void {
  const exe = getNested(doc, `${p}.executable`);
  if (getNested(doc, `${p}.name`) === undefined && typeof exe === 'string') setPath(doc, `${p}.name`, lastComponent(exe));
}

function related(doc: EcsDoc, data: Data, code: string): void {
  if (code === '4688') appendRelated(doc, 'related.user', data.TargetUserName);
  if (SCRIPTS.relatedSubject.has(code)) appendRelated(doc, 'related.user', data.SubjectUserName);
  if (SCRIPTS.relatedTarget.has(code)) appendRelated(doc, 'related.user', data.TargetUserName);
}

/** 5140 / 5145: RelativeTargetName, ShareLocalPath, ShareName -> file.name/directory/path/target_path/extension. */
function share(doc: EcsDoc, data: Data): void {
  const name = str(data.RelativeTargetName);
  const dir = str(data.ShareLocalPath);
  setParts(doc, FILE_NAME, name);
  setParts(doc, FILE_DIRECTORY, dir);
  if (name && dir) setParts(doc, FILE_PATH, `${dir}\\${name}`);
  const shareName = str(data.ShareName);
  if (shareName && name) setParts(doc, FILE_TARGET_PATH, `${shareName}\\${name}`);
  if (name) {
    const dot = name.lastIndexOf('.');
    if (dot > -1) setParts(doc, FILE_EXTENSION, name.slice(dot + 1));
  }
}
