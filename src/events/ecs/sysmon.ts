/**
 * Applies the Sysmon tables (sysmon-table.ts) and the pipeline's scripts that are code, not tables:
 * hashes, command line splitting, process/file names, DNS answers, registry, users, signatures.
 */
import { splitWindowsCommandLine } from './command-line.js';
import { type EcsDoc, getParts, partsOf, setParts } from './doc.js';
import { parseHashes } from './hashes.js';
import { appendRelated, applyMoves } from './moves.js';
import { fileParts, nameAfterLastBackslash } from './paths.js';
import {
  DNS_STATUS, DNS_TYPES, FILE_HASH_CODES, PROCESS_HASH_CODES, REGISTRY_CODES, REGISTRY_HIVES, SYSMON_CLEANUP,
  SYSMON_EVENTS, SYSMON_MOVES,
} from './sysmon-table.js';
import { isoMillis, type WinContext } from './winlog.js';
import { ALL_FIELDS, type EcsNeeds } from './needs.js';
import { applyClass } from './classify.js';
import { deleteEach } from './empty-values.js';

/** The paths of the mapping's steps, split once (not looked up by their text on every event). */
const FILE_PATH = partsOf('file.path');
const SYSMON_DNS_STATUS = partsOf('sysmon.dns.status');
const USER_NAME = partsOf('user.name');
const SOURCE_IP = partsOf('source.ip');
const DESTINATION_IP = partsOf('destination.ip');
const FILE_NAME = partsOf('file.name');
const FILE_PE_ORIGINAL_FILE_NAME = partsOf('file.pe.original_file_name');
const DNS_QUESTION_NAME = partsOf('dns.question.name');
const WINLOG_USER_IDENTIFIER = partsOf('winlog.user.identifier');
const FILE_DIRECTORY = partsOf('file.directory');
const FILE_EXTENSION = partsOf('file.extension');
const FILE_CODE_SIGNATURE_EXISTS = partsOf('file.code_signature.exists');
const FILE_CODE_SIGNATURE_STATUS = partsOf('file.code_signature.status');
const FILE_CODE_SIGNATURE_VALID = partsOf('file.code_signature.valid');
const FILE_CODE_SIGNATURE_TRUSTED = partsOf('file.code_signature.trusted');
const DLL_PATH = partsOf('dll.path');
const DLL_NAME = partsOf('dll.name');
const DLL_PE_ORIGINAL_FILE_NAME = partsOf('dll.pe.original_file_name');
const NETWORK_PROTOCOL = partsOf('network.protocol');
const NETWORK_DIRECTION = partsOf('network.direction');
const NETWORK_TYPE = partsOf('network.type');
const DNS_ANSWERS = partsOf('dns.answers');
const DNS_RESOLVED_IP = partsOf('dns.resolved_ip');
const USER_ID = partsOf('user.id');
const USER_DOMAIN = partsOf('user.domain');
const REGISTRY_PATH = partsOf('registry.path');
const REGISTRY_HIVE = partsOf('registry.hive');
const REGISTRY_KEY = partsOf('registry.key');
const REGISTRY_VALUE = partsOf('registry.value');
const REGISTRY_DATA = partsOf('registry.data');

// The field moves before and after the process name/args scripts (the file moves start at TargetFilename).
const FILE_MOVES_AT = SYSMON_MOVES.findIndex((m) => m.from === 'TargetFilename');
const PROCESS_MOVES = SYSMON_MOVES.slice(0, FILE_MOVES_AT);
const LATER_MOVES = SYSMON_MOVES.slice(FILE_MOVES_AT);

export function mapSysmon(ctx: WinContext): void {
  const { doc, data, code, needs } = ctx;
  // related.* is only appended to: left out with its values' lookups when not read.
  const related = needs.related ? appendRelated : noRelated;
  // sysmon default.yml: date UtcTime (yyyy-MM-dd HH:mm:ss.SSS, UTC) -> @timestamp
  const utc = data.UtcTime !== undefined ? isoMillis(data.UtcTime) : undefined;
  if (utc) doc['@timestamp'] = utc;
  applyClass(doc, SYSMON_EVENTS[code]);
  // rename Hash -> Hashes, then kv + script: lower-cased, empty hashes dropped
  if (data.Hash !== undefined && data.Hashes === undefined) {
    data.Hashes = data.Hash;
    delete data.Hash;
  }
  const hashes = data.Hashes !== undefined && needs.hashes ? hashesOf(data.Hashes, needs) : undefined;
  if (hashes) for (const h of Object.values(hashes)) related(doc, 'related.hash', h);
  if (hashes && PROCESS_HASH_CODES.includes(code)) putHashes(doc, 'process', hashes); // rename _temp.hashes -> process.hash
  applyMoves(doc, data, code, PROCESS_MOVES, needs);
  processArgsAndNames(doc, needs.args);
  if (hashes && FILE_HASH_CODES.includes(code)) putHashes(doc, 'file', hashes); // rename _temp.hashes -> file.hash
  applyMoves(doc, data, code, LATER_MOVES, needs);
  if (needs.signature) signature(doc, data);
  const path = getParts(doc, FILE_PATH);
  if (typeof path === 'string' && path.length > 1) {
    // "Adds file information"
    const p = fileParts(path);
    if (p) {
      setParts(doc, FILE_NAME, p.name);
      setParts(doc, FILE_DIRECTORY, p.directory);
      setParts(doc, FILE_EXTENSION, p.extension);
    }
  }
  if (code === '7') library(doc, hashes);
  network(doc, data, code, needs.dnsAnswers, related);
  user(doc, data);
  const status = getParts(doc, SYSMON_DNS_STATUS);
  if (typeof status === 'string' && DNS_STATUS[status]) setParts(doc, SYSMON_DNS_STATUS, DNS_STATUS[status]); // "Translate DNS Query status"
  if (needs.related) {
    appendRelated(doc, 'related.user', getParts(doc, USER_NAME));
    appendRelated(doc, 'related.ip', getParts(doc, SOURCE_IP));
    appendRelated(doc, 'related.ip', getParts(doc, DESTINATION_IP));
  }
  if (REGISTRY_CODES.includes(code) && data.TargetObject) registry(doc, data.TargetObject, needs.registryData ? data.Details : undefined);
  // "Conformity": TargetProcessGuid -> TargetProcessGUID
  if (data.TargetProcessGuid !== undefined) {
    data.TargetProcessGUID = data.TargetProcessGuid;
    delete data.TargetProcessGuid;
  }
  deleteEach(data, SYSMON_CLEANUP);
  delete (doc.winlog as Record<string, unknown>).time_created; // cleanup: winlog.time_created
}

/**
 * Per needs: which hash names (sha256, imphash...) the caller reads under process, file or dll (or
 * related.hash: every one). Names are few: the answers are kept.
 */
const keepers = new WeakMap<EcsNeeds, (key: string) => boolean>();
function hashKeeper(needs: EcsNeeds): (key: string) => boolean {
  let keep = keepers.get(needs);
  if (!keep) {
    const answers = new Map<string, boolean>();
    keep = (key) => {
      let k = answers.get(key);
      if (k === undefined) {
        k = needs.wants('related.hash') || (['process', 'file', 'dll'] as const).some((p) => needs.wants(hashParts(p, key).join('.')));
        if (answers.size < 64) answers.set(key, k);
      }
      return k;
    };
    keepers.set(needs, keep);
  }
  return keep;
}

/**
 * Parsed Hashes values per needs (a binary's hashes recur on each of its starts and loads). The
 * parsed object is only read (its values copied into the document), so one is shared by events.
 */
const HASH_MEMO_ENTRIES = 1024;
const HASH_MEMO_LENGTH = 1024;
const parsedHashes = new WeakMap<EcsNeeds, Map<string, Record<string, string>>>();
function hashesOf(text: string, needs: EcsNeeds): Readonly<Record<string, string>> {
  const keep = (): ((key: string) => boolean) | undefined => (needs === ALL_FIELDS ? undefined : hashKeeper(needs));
  if (text.length > HASH_MEMO_LENGTH) return parseHashes(text, keep());
  let memo = parsedHashes.get(needs);
  if (!memo) parsedHashes.set(needs, (memo = new Map()));
  let h = memo.get(text);
  if (!h) {
    // The keeper is looked up only when the text is parsed (not on the usual hit).
    h = parseHashes(text, keep());
    if (memo.size >= HASH_MEMO_ENTRIES) memo.clear();
    memo.set(text, h);
  }
  return h;
}

/** Per prefix and hash name: the split path of its field (the names of a log are few: bounded cache). */
const HASH_PATHS: Record<string, Map<string, readonly string[]>> = { process: new Map(), file: new Map(), dll: new Map() };

function hashParts(prefix: 'process' | 'file' | 'dll', k: string): readonly string[] {
  const cache = HASH_PATHS[prefix];
  let parts = cache.get(k);
  if (!parts) {
    // rename <prefix>.hash.imphash -> <prefix>.pe.imphash
    parts = k === 'imphash' ? [prefix, 'pe', 'imphash'] : [prefix, 'hash', k];
    if (cache.size < 64) cache.set(k, parts);
  }
  return parts;
}

function putHashes(doc: EcsDoc, prefix: 'process' | 'file' | 'dll', hashes: Readonly<Record<string, string>>): void {
  for (const k in hashes) setParts(doc, hashParts(prefix, k), hashes[k]);
}

/** The process and its parent: the split paths the name and args scripts read and write. */
const PROCESS_PATHS = ['process', 'process.parent'].map((p) => ({
  commandLine: `${p}.command_line`.split('.'),
  args: `${p}.args`.split('.'),
  argsCount: `${p}.args_count`.split('.'),
  executable: `${p}.executable`.split('.'),
  name: `${p}.name`.split('.'),
}));

const noRelated: typeof appendRelated = () => undefined;

/** "Implements Windows-like SplitCommandLine" (when `args`) and "Adds process name information". */
function processArgsAndNames(doc: EcsDoc, split: boolean): void {
  if (split) for (const p of PROCESS_PATHS) {
    const cmd = getParts(doc, p.commandLine);
    if (typeof cmd === 'string' && cmd !== '') {
      const args = splitWindowsCommandLine(cmd);
      setParts(doc, p.args, args);
      setParts(doc, p.argsCount, args.length);
    }
  }
  for (const p of PROCESS_PATHS) {
    const exe = getParts(doc, p.executable);
    if (typeof exe === 'string' && exe.length > 1 && getParts(doc, p.name) === undefined) {
      const name = nameAfterLastBackslash(exe);
      if (name !== '') setParts(doc, p.name, name);
    }
  }
}

/**
 * Signed / SignatureStatus. The pipeline sets file.code_signature.valid when the status is "Valid"
 * and marks signed files; ECS names that `exists`, and `trusted` is what the rules read: a valid
 * signature on a signed file. A Signed value other than true/false (Sysmon writes e.g. "failed:
 * Invalid hash") is the status, as the newest pipeline test shows.
 */
function signature(doc: EcsDoc, data: Record<string, string>): void {
  const signed = data.Signed?.trim().toLowerCase();
  if (signed === undefined && data.SignatureStatus === undefined) return;
  if (signed === 'true' || signed === 'false') setParts(doc, FILE_CODE_SIGNATURE_EXISTS, signed === 'true');
  else if (data.Signed !== undefined && data.SignatureStatus === undefined) setParts(doc, FILE_CODE_SIGNATURE_STATUS, data.Signed);
  if (data.SignatureStatus === 'Valid') setParts(doc, FILE_CODE_SIGNATURE_VALID, true);
  if (signed !== undefined) setParts(doc, FILE_CODE_SIGNATURE_TRUSTED, signed === 'true' && (data.SignatureStatus ?? 'Valid') === 'Valid');
}

const SIGNATURE_COPIES = ['exists', 'status', 'subject_name', 'trusted', 'valid'].map((f) => [['dll', 'code_signature', f], ['file', 'code_signature', f]] as const);

/** Image loads also fill dll.* (the newest pipeline; its test document shows dll.path/name/hash/pe/code_signature). */
function library(doc: EcsDoc, hashes: Readonly<Record<string, string>> | undefined): void {
  const path = getParts(doc, FILE_PATH);
  if (typeof path !== 'string') return;
  setParts(doc, DLL_PATH, path);
  setParts(doc, DLL_NAME, getParts(doc, FILE_NAME) ?? path);
  if (hashes) putHashes(doc, 'dll', hashes);
  setParts(doc, DLL_PE_ORIGINAL_FILE_NAME, getParts(doc, FILE_PE_ORIGINAL_FILE_NAME));
  for (const [to, from] of SIGNATURE_COPIES) setParts(doc, to, getParts(doc, from));
}

function network(doc: EcsDoc, data: Record<string, string>, code: string, answers: boolean, related: typeof appendRelated): void {
  // Each set is one call whatever the event (setParts sets no undefined): a network event met after
  // the mapping was optimized does not take a branch it never took (the compiled code would be dropped).
  setParts(doc, NETWORK_PROTOCOL, code === '22' ? 'dns' : undefined); // set network.protocol dns (22)
  const initiated = data.Initiated;
  setParts(doc, NETWORK_DIRECTION, initiated === 'true' ? 'egress' : initiated === 'false' ? 'ingress' : undefined); // set network.direction egress / ingress
  const ipv6 = data.SourceIsIpv6;
  setParts(doc, NETWORK_TYPE, ipv6 === 'false' ? 'ipv4' : ipv6 === 'true' ? 'ipv6' : undefined); // set network.type ipv4 / ipv6
  if (data.QueryResults && answers) dnsAnswers(doc, data.QueryResults);
  related(doc, 'related.hosts', getParts(doc, DNS_QUESTION_NAME));
}

/** "Splits the QueryResults field": "type:  5 name;::ffff:1.2.3.4;" -> dns.answers, dns.resolved_ip. */
function dnsAnswers(doc: EcsDoc, results: string): void {
  const answers: Record<string, string>[] = [];
  const ips: string[] = [];
  for (const answer of results.split(';')) {
    if (answer === '') continue;
    if (answer.startsWith('type:')) {
      const parts = answer.split(/\s+/);
      const type = DNS_TYPES[parts[1] ?? ''];
      const a: Record<string, string> = {};
      if (type) a.type = type;
      if (parts.length === 3) {
        a.data = parts[2];
        appendRelated(doc, 'related.hosts', parts[2]);
      }
      answers.push(a);
    } else {
      // V4-mapped addresses become plain IPv4; what is not an address is dropped (convert ip on_failure remove)
      const ip = answer.replace(/^\[?::ffff:(\d+\.\d+\.\d+\.\d+)(?:\](?::\d+)?)?$/, '$1').trim();
      if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || /^[0-9a-f:]+$/i.test(ip)) ips.push(ip);
    }
  }
  // "Convert V4MAPPED addresses": each resolved IP is also an A / AAAA answer
  for (const ip of ips) answers.push({ type: ip.includes(':') ? 'AAAA' : 'A', data: ip });
  if (answers.length) setParts(doc, DNS_ANSWERS, answers);
  if (ips.length) setParts(doc, DNS_RESOLVED_IP, ips);
  for (const ip of ips) appendRelated(doc, 'related.ip', ip);
}

/** "User fields": user.id from the event's Security UserID, user.domain/name from User "DOMAIN\name". */
function user(doc: EcsDoc, data: Record<string, string>): void {
  setParts(doc, USER_ID, getParts(doc, WINLOG_USER_IDENTIFIER));
  if (data.User !== undefined) {
    // split on "\\": exactly two parts (one backslash), without the list split() makes
    const u = data.User;
    const at = u.indexOf('\\');
    if (at >= 0 && u.indexOf('\\', at + 1) < 0) {
      setParts(doc, USER_DOMAIN, u.slice(0, at));
      setParts(doc, USER_NAME, u.slice(at + 1));
    }
  }
}

/** "Set registry fields": path, hive, key, value, and data.strings/type from Details. */
export function registry(doc: EcsDoc, path: string, details: string | undefined): void {
  setParts(doc, REGISTRY_PATH, path);
  const tokens = path.split('\\');
  const hive = REGISTRY_HIVES[tokens[0]];
  if (hive) {
    setParts(doc, REGISTRY_HIVE, hive);
    if (tokens.length > 1) setParts(doc, REGISTRY_KEY, tokens.slice(1).join('\\'));
  }
  setParts(doc, REGISTRY_VALUE, tokens[tokens.length - 1]);
  if (details === undefined || details === '') return;
  const qword = /^QWORD \(((0x[0-9A-F]{8})-(0x[0-9A-F]{8}))\)$/i.exec(details);
  if (qword) {
    // The pipeline combines the halves as (high << 8) + low; kept as it computes it.
    const value = (BigInt(parseInt(qword[2].slice(2), 16)) << 8n) + BigInt(parseInt(qword[3].slice(2), 16));
    setParts(doc, REGISTRY_DATA, { strings: [value.toString()], type: 'SZ_QWORD' });
    return;
  }
  const dword = /^DWORD \((0x[0-9A-F]{8})\)$/i.exec(details);
  if (dword) {
    setParts(doc, REGISTRY_DATA, { strings: [String(parseInt(dword[1].slice(2), 16))], type: 'SZ_DWORD' });
    return;
  }
  if (details === 'Binary Data') {
    setParts(doc, REGISTRY_DATA, { strings: [details], type: 'REG_BINARY' });
    return;
  }
  setParts(doc, REGISTRY_DATA, { strings: [details], type: 'REG_SZ' });
}
