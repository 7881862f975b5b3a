/**
 * The fields of a Windows event's ECS document that its channel and event id alone decide, told
 * without building the document: toEcs takes them from tables keyed by the channel (the dataset)
 * and the code (winlog.ts buildBase; the categorization of sysmon.ts, security.ts, powershell.ts),
 * and no other step of the mapping writes them. A scan's Elastic rules are first tested on these
 * (a rule requiring event.category "process" never concerns a Security 4663 event): the events no
 * rule can concern are not mapped at all.
 *
 * The class is the channel, the provider, the code and the task name: event.action is the
 * categorization table's (when it has the code) or the task name. event.outcome is never decided
 * (the keywords give it).
 */
import type { EventRecord } from '../types.js';
import { SECURITY_EVENTS } from './security-table.js';
import { SYSMON_EVENTS, type EventClass } from './sysmon-table.js';
import { POWERSHELL_EVENT_TYPES } from './powershell-table.js';
import { channelText, datasetOf, eventCode, providerText, taskNameOf } from './winlog.js';
import type { Dataset } from './winlog-table.js';

export interface RecordClass {
  /** A number per class made (callers keep their answers per class in an array). */
  id: number;
  channel: string;
  code: string;
  /** event.provider, the dataset and the task name (winlog.ts taskNameOf): what buildBase reads of the class (toEcs takes them from here when given the class). */
  provider: string;
  dataset: Dataset;
  taskName: string | undefined;
  /**
   * Dotted field -> its value in every document of the class (null: the field is absent). A field
   * not listed may differ from event to event.
   */
  fields: ReadonlyMap<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isPrimitive = (v: unknown): boolean => v === null || (typeof v !== 'object' && typeof v !== 'function');

function attr(v: unknown, name: string): unknown {
  if (!isObject(v)) return undefined;
  const a = v['#attributes'];
  return isObject(a) ? a[name] : undefined;
}

/** Distinct values per level of the class cache (an input has few channels, providers, codes and tasks). */
const MAX_PER_LEVEL = 1024;
type Level = Map<unknown, unknown>;
/** Classes by System's raw channel, provider, EventID and Task (primitives), or by their texts when one is not. */
const byRaw: Level = new Map();
const byText: Level = new Map();

/**
 * The class of a Windows event (not an ECS document given as input: see recordIndex): read from
 * System's Channel, Provider Name, EventID and Task, as winlog.ts buildBase reads them.
 */
export function recordClass(rec: EventRecord): RecordClass {
  let channel: unknown, provider: unknown, id: unknown, task: unknown;
  if (rec.flat) {
    const f = rec.flat.fields;
    [channel, provider, id, task] = [rec.flat.channel, f.Provider_Name, f.EventID, f.Task];
  } else {
    const sys = isObject(rec.event.System) ? rec.event.System : {};
    [channel, provider, id, task] = [sys.Channel, attr(sys.Provider, 'Name'), sys.EventID, sys.Task];
  }
  if (isPrimitive(channel) && isPrimitive(provider) && isPrimitive(id) && isPrimitive(task)) {
    return cached(byRaw, [channel, provider, id, task], () => classOfRaw(channel, provider, id, task));
  }
  const texts = [channelText(channel), providerText(provider), eventCode(id), taskNameOf(providerText(provider), task) ?? ''];
  return cached(byText, texts, () => classOfRaw(channel, provider, id, task));
}

function classOfRaw(channel: unknown, provider: unknown, id: unknown, task: unknown): RecordClass {
  const p = providerText(provider);
  return classOf(channelText(channel), p, eventCode(id), taskNameOf(p, task));
}

/** The class under keys (one per level), made and kept when new (beyond the bounds, made and not kept). */
function cached(root: Level, keys: unknown[], make: () => RecordClass): RecordClass {
  let level = root;
  let keep = true;
  for (let i = 0; i < keys.length - 1; i++) {
    let next = level.get(keys[i]) as Level | undefined;
    if (!next) {
      if (level.size >= MAX_PER_LEVEL) {
        keep = false;
        break;
      }
      level.set(keys[i], (next = new Map()));
    }
    level = next;
  }
  if (!keep) return make();
  const last = keys[keys.length - 1];
  let c = level.get(last) as RecordClass | undefined;
  if (!c) {
    c = make();
    if (level.size < MAX_PER_LEVEL) level.set(last, c);
  }
  return c;
}

const listOrNull = (l: readonly string[] | undefined): string[] | null => (l && l.length ? [...l] : null);

/**
 * The fields decided by a channel (as winlog.channel holds it), a provider (event.provider), an
 * event code and the task name of the event's provider and task (taskNameOf).
 */
/** The fields every class decides (classOf sets each of them). */
export const DECIDED_FIELDS: ReadonlySet<string> = new Set([
  'event.provider', 'event.code', 'winlog.event_id', 'winlog.channel', 'event.kind', 'event.module', 'event.dataset', 'data_stream.type',
  'data_stream.dataset', 'data_stream.namespace', 'host.os.type', 'event.category', 'event.type', 'event.action',
]);

let classesMade = 0;

export function classOf(channel: string, provider: string, code: string, taskName: string | undefined): RecordClass {
  const id = classesMade++;
  const dataset = datasetOf(channel);
  const fields = new Map<string, unknown>([
    ['event.provider', provider || null],
    ['event.code', code || null],
    ['winlog.event_id', code || null],
    ['winlog.channel', channel || null],
    ['event.kind', 'event'],
    ['event.module', dataset.module],
    ['event.dataset', dataset.dataset],
    ['data_stream.type', 'logs'],
    ['data_stream.dataset', dataset.dataset],
    ['data_stream.namespace', 'default'],
    ['host.os.type', 'windows'],
  ]);
  let table: Readonly<Record<string, EventClass>> | undefined;
  switch (dataset.dataset) {
    case 'windows.sysmon_operational':
      table = SYSMON_EVENTS;
      break;
    case 'system.security':
      table = SECURITY_EVENTS;
      break;
    case 'windows.powershell_operational':
    case 'windows.powershell':
      // powershell.ts classify: every event of both logs.
      fields.set('event.category', ['process']);
      fields.set('event.type', [POWERSHELL_EVENT_TYPES[code] ?? 'info']);
      fields.set('event.action', taskName ?? null);
      return { id, channel, code, provider, dataset, taskName, fields };
    default:
      // The Winlogbeat base document only (index.ts toEcs): no categorization, the task name as action.
      fields.set('event.category', null);
      fields.set('event.type', null);
      fields.set('event.action', taskName ?? null);
      return { id, channel, code, provider, dataset, taskName, fields };
  }
  const c = Object.hasOwn(table, code) ? table[code] : undefined;
  // classify.ts applyClass: category and type from the entry (none without one); the entry's action
  // replaces the task name unless empty.
  fields.set('event.category', listOrNull(c?.category));
  fields.set('event.type', listOrNull(c?.type));
  // An empty action is not set (doc.ts setPath): the task name stays.
  fields.set('event.action', c && c.action.length ? (typeof c.action === 'string' ? c.action : [...c.action]) : (taskName ?? null));
  return { id, channel, code, provider, dataset, taskName, fields };
}
