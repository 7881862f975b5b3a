/**
 * The document Winlogbeat / the Elastic Agent's winlog input produce from one event, before the
 * integration's ingest pipeline: @timestamp, event.{code,kind,provider,created,outcome}, log.level,
 * host.*, and winlog.* (channel, event_id, record_id, computer_name, provider_name/guid, process.pid,
 * process.thread.id, opcode, keywords, version, user.identifier, activity_id, event_data, user_data,
 * time_created). Event data values are strings, as Winlogbeat renders them.
 */
import type { EventRecord } from '../types.js';
import type { FlatFields } from '../normalize.js';
import { type EcsDoc, settable } from './doc.js';
import { ALL_FIELDS, type EcsNeeds } from './needs.js';
import { CHANNEL_DATASETS, DEFAULT_DATASET, EMPTY_DROPPING_DATASETS, EMPTY_VALUES, EVENTLOG_TASKS, KEYWORD_NAMES, LEVEL_NAMES, OPCODE_NAMES, type Dataset } from './winlog-table.js';
import { SECURITY_TASKS } from './security-table.js';
import { type EventData, flatSource, isDataName, newEventData, renderedSystem, type SystemValues } from './event-source.js';
import { guidForm } from './guid.js';
import type { RecordClass } from './event-class.js';

export { dropEmptyValues } from './empty-values.js';

export type { EventData } from './event-source.js';

/** One event on its way to ECS: the document being built and what the mappings read. */
export interface WinContext {
  doc: EcsDoc;
  channel: string;
  provider: string;
  /** event.code: the event id as a string. */
  code: string;
  dataset: Dataset;
  /** winlog.event_data (the same object as in the document: mappings delete what they rename). */
  data: EventData;
  /** winlog.user_data fields, when the event has UserData. */
  userData?: EventData;
  /** The parts of the document the caller reads (ALL_FIELDS: the whole document). */
  needs: EcsNeeds;
  /** The empty values (EMPTY_VALUES) of `data` were left out already where the dataset drops them (EMPTY_DROPPING_DATASETS). */
  emptyDropped: boolean;
  /** The fields `data` was read from (winlogBase's reading of rec.flat), if so. */
  builtFrom?: FlatFields;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return guidForm(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    const parts = v.map(text).filter((s): s is string => s !== undefined);
    return parts.length ? parts.join('') : undefined;
  }
  if (isObject(v) && '#text' in v) return text(v['#text']);
  return undefined;
}

function num(v: unknown): number | undefined {
  const s = text(v);
  if (s === undefined || s === '') return undefined;
  const n = s.startsWith('0x') || s.startsWith('0X') ? parseInt(s, 16) : Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** EventData as Winlogbeat names it: named Data by name, unnamed Data as param1, param2, ... */
function eventDataOf(v: unknown): EventData {
  const out = newEventData();
  if (!isObject(v)) {
    const s = text(v);
    if (s !== undefined) out.param1 = s;
    return out;
  }
  for (const key of Object.keys(v)) {
    if (key === '#attributes' || key === 'Binary') continue;
    const value = v[key];
    if (key === 'Data' || key === '#text') {
      const inner = isObject(value) && '#text' in value ? value['#text'] : value;
      const list = Array.isArray(inner) ? inner : [inner];
      list.forEach((item, i) => {
        const s = text(item);
        if (s !== undefined) out[`param${i + 1}`] = s;
      });
      continue;
    }
    const s = text(value);
    if (s !== undefined && isDataName(key)) out[key] = s;
  }
  const binary = text(v.Binary);
  if (binary) out.Binary = binary;
  return out;
}

/** UserData holds one element (e.g. LogFileCleared): its children, plus xml_name as Winlogbeat adds it. */
function userDataOf(v: unknown): EventData | undefined {
  if (!isObject(v)) return undefined;
  const name = Object.keys(v).find((k) => k !== '#attributes');
  if (!name) return undefined;
  const inner = v[name];
  const out = isObject(inner) ? eventDataOf(inner) : newEventData();
  out.xml_name = name;
  return out;
}

/** "2019-07-18T03:34:02.025223900Z" -> "2019-07-18T03:34:02.025Z" (Elasticsearch date, millisecond precision). */
export function isoMillis(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const s = t.trim();
  const fast = isoMillisFast(s);
  if (fast !== undefined) return fast;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/.exec(s);
  if (!m) return undefined;
  const frac = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  return `${m[1]}T${m[2]}.${frac}Z`;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Offsets of the digits and separators of "yyyy-MM-ddTHH:mm:ss". */
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/**
 * isoMillis without the regex, for the strings it accepts in the usual shapes (every event has two
 * or three timestamps); undefined: left to the regex (which also rejects).
 */
function isoMillisFast(s: string): string | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return undefined;
  for (const i of DATE_DIGITS) if (!isDigit(s.charCodeAt(i))) return undefined;
  let end = n;
  if (s.charCodeAt(end - 1) === 90) end--; // Z
  let frac = '';
  if (end > 19) {
    if (s.charCodeAt(19) !== 46 || end === 20) return undefined;
    for (let i = 20; i < end; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
    frac = s.slice(20, Math.min(end, 23));
  }
  return `${s.slice(0, 10)}T${s.slice(11, 19)}.${frac.padEnd(3, '0')}Z`;
}

/** Keyword masks are few (one per provider and kind of event): their names are read once. */
const KEYWORD_CACHE = new Map<string, { names: readonly string[]; outcome?: string }>();
const NO_KEYWORDS = { names: [] };

function keywords(mask: unknown): { names: readonly string[]; outcome?: string } {
  const s = text(mask);
  if (!s) return NO_KEYWORDS;
  let k = KEYWORD_CACHE.get(s);
  if (!k) {
    k = keywordNames(s);
    if (KEYWORD_CACHE.size < 1024) KEYWORD_CACHE.set(s, k);
  }
  return k;
}

function keywordNames(s: string): { names: string[]; outcome?: string } {
  let bits: bigint;
  try {
    bits = BigInt(s);
  } catch {
    return { names: [] };
  }
  const names: string[] = [];
  let outcome: string | undefined;
  for (const k of KEYWORD_NAMES) {
    if ((bits & k.bit) !== 0n) {
      names.push(k.name);
      if (k.outcome) outcome = k.outcome;
    }
  }
  return { names, outcome };
}

/** Task names by provider, where known without the provider's metadata. */
const TASK_NAMES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  'Microsoft-Windows-Security-Auditing': SECURITY_TASKS,
  'Microsoft-Windows-Eventlog': EVENTLOG_TASKS,
};


const channelOf = (sys: Record<string, unknown>): string => text(sys.Channel) ?? '';
/** Datasets by channel as written (an input has few channels: each is lower-cased once). */
const datasetsByChannel = new Map<string, Dataset>();
export function datasetOf(channel: string): Dataset {
  let d = datasetsByChannel.get(channel);
  if (!d) {
    d = CHANNEL_DATASETS[channel.toLowerCase()] ?? DEFAULT_DATASET;
    if (datasetsByChannel.size < 1024) datasetsByChannel.set(channel, d);
  }
  return d;
}

/** The data stream dataset of a Windows event's document (read from its channel alone, without building it). */
export function recordDataset(rec: EventRecord): string {
  // A record the EVTX reader flattened carries its System/Channel: reading it does not render `event`.
  if (rec.flat) return datasetOf(rec.flat.channel).dataset;
  return datasetOf(channelOf(isObject(rec.event.System) ? rec.event.System : {})).dataset;
}

/**
 * Builds the base document of a Windows event (no source-specific mapping yet); `needs` leaves out
 * OPTIONAL_BASE fields. Read from the fields the EVTX reader decoded when they give the event
 * exactly (event-source.ts), else from the rendered record.
 */
export function winlogBase(rec: EventRecord, needs: EcsNeeds = ALL_FIELDS, cls?: RecordClass): WinContext {
  if (rec.flat?.dataKeys !== undefined) {
    const flat = flatSource(rec.flat, EMPTY_DROPPING_DATASETS.has((cls?.dataset ?? datasetOf(rec.flat.channel)).dataset) ? EMPTY_VALUES : undefined);
    if (flat) return buildBase(rec, flat.sys, flat.data, undefined, needs, rec.flat, cls);
  }
  const data = eventDataOf(rec.event.EventData);
  const userData = rec.event.UserData !== undefined ? userDataOf(rec.event.UserData) : undefined;
  return buildBase(rec, renderedSystem(rec), data, userData, needs, undefined, cls);
}

/** The document's winlog.channel as buildBase reads it from System's raw value ('' when none). */
export const channelText = (v: unknown): string => text(v) ?? '';

/** event.provider as buildBase reads it from System's raw Provider Name ('' when none). */
export const providerText = (v: unknown): string => text(v) ?? '';

/** The task name buildBase gives winlog.task and event.action (before the categorization), from the provider and System's raw Task. */
export function taskNameOf(provider: string, task: unknown): string | undefined {
  const t = num(task);
  return t === undefined ? undefined : TASK_NAMES[provider]?.[t];
}

/** The document's event.code as buildBase reads it from System's raw EventID ('' when none). */
export function eventCode(v: unknown): string {
  const id = num(v);
  return id === undefined ? '' : String(id);
}

/**
 * `cls`: the event's class (recordClass(rec)), when the caller has it: its channel, provider, code,
 * dataset and task name are the ones read here from System (classOf reads them with the same
 * functions), and are not read again.
 */
function buildBase(rec: EventRecord, sys: SystemValues, data: EventData, userData: EventData | undefined, needs: EcsNeeds, builtFrom?: FlatFields, cls?: RecordClass): WinContext {
  const b = needs.base;
  const channel = cls ? cls.channel : channelText(sys.channel);
  const provider = cls ? cls.provider : (text(sys.provider) ?? '');
  const code = cls ? cls.code : eventCode(sys.eventId);
  const dataset = cls ? cls.dataset : datasetOf(channel);
  const timeCreated = text(sys.timeCreated) ?? rec.timestamp;
  const computer = text(sys.computer);
  const level = num(sys.level);
  const opcode = num(sys.opcode);
  const kw = keywords(sys.keywords);
  const recordId = num(sys.recordId) ?? rec.recordId;
  const taskName = cls ? cls.taskName : taskNameOf(provider, sys.task);

  // Built as object literals with named stores (every event goes through here: a shared put(o, key, v)
  // made every store one megamorphic keyed store); settable() leaves out empty values.
  const created = isoMillis(timeCreated);
  const event: Record<string, unknown> = b['event.kind'] ? { kind: 'event' } : {};
  if (settable(code)) event.code = code;
  if (b['event.provider'] && settable(provider)) event.provider = provider;
  if (b['event.created'] && settable(created)) event.created = created;
  if (settable(kw.outcome)) event.outcome = kw.outcome;
  if (settable(taskName)) event.action = taskName; // winlogbeat: the task name; the pipelines' categorization may replace it
  if (b['event.module']) event.module = dataset.module;
  event.dataset = dataset.dataset;
  // The computer that logged the event; the log carries no machine GUID, so host.id is the name too
  // (rules join sequences `by host.id`).
  const host: Record<string, unknown> = {};
  if (settable(computer)) host.name = computer;
  if (b['host.hostname'] && settable(computer)) host.hostname = computer;
  if (b['host.id'] && settable(computer)) host.id = computer;
  host.os = b['host.os.family'] ? { type: 'windows', family: 'windows' } : { type: 'windows' };
  const winlog: Record<string, unknown> = {};
  if (settable(channel)) winlog.channel = channel;
  if (settable(code)) winlog.event_id = code;
  if (b['winlog.record_id']) {
    const v = recordId === undefined ? undefined : String(recordId);
    if (settable(v)) winlog.record_id = v;
  }
  if (settable(computer)) winlog.computer_name = computer;
  if (b['winlog.provider_name'] && settable(provider)) winlog.provider_name = provider;
  if (b['winlog.provider_guid']) {
    const v = text(sys.providerGuid);
    if (settable(v)) winlog.provider_guid = v;
  }
  const pid = num(sys.pid);
  const tid = num(sys.tid);
  if (pid !== undefined || tid !== undefined) {
    const proc: Record<string, unknown> = {};
    if (settable(pid)) proc.pid = pid;
    if (tid !== undefined) proc.thread = { id: tid };
    winlog.process = proc;
  }
  if (b['winlog.opcode']) {
    const v = opcode === undefined ? undefined : OPCODE_NAMES[opcode];
    if (settable(v)) winlog.opcode = v;
  }
  if (kw.names.length && b['winlog.keywords']) winlog.keywords = [...kw.names]; // a list of its own: the document is the caller's
  if (b['winlog.version']) {
    const v = num(sys.version);
    if (settable(v)) winlog.version = v;
  }
  if (b['winlog.task'] && settable(taskName)) winlog.task = taskName;
  const sid = text(sys.sid);
  if (sid) winlog.user = { identifier: sid };
  if (b['winlog.activity_id']) {
    const v = text(sys.activityId);
    if (settable(v)) winlog.activity_id = v;
  }
  if (b['winlog.related_activity_id']) {
    const v = text(sys.relatedActivityId);
    if (settable(v)) winlog.related_activity_id = v;
  }
  if (b['winlog.time_created'] && settable(timeCreated)) winlog.time_created = timeCreated;
  const doc: EcsDoc = {};
  if (settable(created)) doc['@timestamp'] = created;
  if (b['ecs.version']) doc.ecs = { version: '8.11.0' };
  doc.event = event;
  doc.data_stream = { type: 'logs', dataset: dataset.dataset, namespace: 'default' };
  const levelName = level === undefined ? undefined : LEVEL_NAMES[level];
  if (levelName && b['log.level']) doc.log = { level: levelName };
  doc.host = host;
  doc.winlog = winlog;

  winlog.event_data = data;
  if (userData) winlog.user_data = userData;
  return { doc, channel, provider, code, dataset, data, userData, needs, emptyDropped: builtFrom !== undefined, builtFrom };
}

/**
 * Does `o` hold a key? The names of the fields it was built from are tried first: a for-in over an
 * object the mapping deleted from (dictionary mode) lists every key before the first is seen.
 */
function hasKeys(o: object, from: FlatFields | undefined): boolean {
  const n = from?.dataKeys ?? 0;
  for (let i = 0; i < n; i++) if (Object.hasOwn(o, from!.keys[i])) return true;
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** Removes winlog.event_data when nothing is left in it (the pipelines' "Remove empty event data"). */
export function finishEventData(ctx: WinContext): void {
  const winlog = ctx.doc.winlog as Record<string, unknown>;
  if (!hasKeys(ctx.data, ctx.builtFrom)) delete winlog.event_data;
}
