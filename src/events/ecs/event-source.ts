/**
 * What the Winlogbeat base document (winlog.ts) reads of a Windows event: System's values (raw, as
 * the record holds them) and the event data. Two sources give the same values:
 * - the rendered record (rec.event, evtx_dump's JSON shape): every reader's records;
 * - the fields the EVTX reader already decoded for the Sigma rules (rec.flat), when they tell the
 *   event apart exactly (FlatFields.dataKeys: no UserData, EventData only named values). A scan
 *   then does not render each record a second time for its ECS document.
 */
import type { EventRecord } from '../types.js';
import type { FlatFields } from '../normalize.js';
import { guidForm } from './guid.js';
import { isOneOf, listOf } from './empty-values.js';

export type EventData = Record<string, string>;

/**
 * A new event data object: without a prototype (a dictionary from the start). Each event's names
 * are added one by one and the mappings delete some: an ordinary object would go through a new
 * hidden class per name (met by hundreds of shapes, such sites miss V8's caches) and then become a
 * dictionary at the first delete anyway. "__proto__" is no name (isDataName).
 */
export const newEventData = (): EventData => Object.create(null) as EventData;

/**
 * Can a name be an event data key? Not "__proto__": set on an ordinary object it is no key at all
 * (the value, a string, is not taken as a prototype), which is what event data objects always did.
 */
export const isDataName = (k: string): boolean => k !== '__proto__';

/** System's values as read, before text()/num() (winlog.ts). */
export interface SystemValues {
  channel: unknown;
  provider: unknown;
  providerGuid: unknown;
  eventId: unknown;
  version: unknown;
  level: unknown;
  task: unknown;
  opcode: unknown;
  keywords: unknown;
  timeCreated: unknown;
  recordId: unknown;
  activityId: unknown;
  relatedActivityId: unknown;
  pid: unknown;
  tid: unknown;
  computer: unknown;
  sid: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function attr(v: unknown, name: string): unknown {
  if (!isObject(v)) return undefined;
  const a = v['#attributes'];
  return isObject(a) ? a[name] : undefined;
}

/** System's values of a rendered record. */
export function renderedSystem(rec: EventRecord): SystemValues {
  const sys = isObject(rec.event.System) ? rec.event.System : {};
  return {
    channel: sys.Channel,
    provider: attr(sys.Provider, 'Name'),
    providerGuid: attr(sys.Provider, 'Guid'),
    eventId: sys.EventID,
    version: sys.Version,
    level: sys.Level,
    task: sys.Task,
    opcode: sys.Opcode,
    keywords: sys.Keywords,
    timeCreated: attr(sys.TimeCreated, 'SystemTime'),
    recordId: sys.EventRecordID,
    activityId: attr(sys.Correlation, 'ActivityID'),
    relatedActivityId: attr(sys.Correlation, 'RelatedActivityID'),
    pid: attr(sys.Execution, 'ProcessID'),
    tid: attr(sys.Execution, 'ThreadID'),
    computer: sys.Computer,
    sid: attr(sys.Security, 'UserID'),
  };
}

/**
 * The flattened names of the System values read (Tag_Attribute): an event data value of one of these
 * names would hide System's in the fields (the first value of a name wins), so such events are rendered.
 */
const SYSTEM_KEYS: ReadonlySet<string> = new Set([
  'Provider_Name', 'Provider_Guid', 'EventID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'TimeCreated_SystemTime',
  'EventRecordID', 'Correlation_ActivityID', 'Correlation_RelatedActivityID', 'Execution_ProcessID', 'Execution_ThreadID', 'Security_UserID',
]);

/** An event read from its fields: System's values and its event data in Winlogbeat's text form. */
export interface FlatSource {
  sys: SystemValues;
  data: EventData;
}

/**
 * What flatSource needs to know of a list of names (an EVTX layout's: records of one template share
 * it), found once per list rather than per event.
 */
interface SourcePlan {
  n: number;
  /** No name among the first n is "Data", one of SYSTEM_KEYS, or has a space. */
  ok: boolean;
  /** The position of "Binary" among the first n (-1: none). */
  binary: number;
}

const plans = new WeakMap<readonly string[], SourcePlan>();

function sourcePlan(keys: readonly string[], n: number): SourcePlan {
  let plan = plans.get(keys);
  if (plan?.n === n) return plan;
  let ok = true;
  let binary = -1;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k === 'Data' || SYSTEM_KEYS.has(k) || k.indexOf(' ') >= 0) ok = false;
    if (k === 'Binary') binary = i;
  }
  plan = { n, ok, binary };
  plans.set(keys, plan);
  return plan;
}

/**
 * The event as the fields give it, or undefined when they cannot give exactly what rendering would:
 * a shape FlatFields.dataKeys leaves out, a data value that is a list (rendering joins it), a name
 * with spaces (flattening adds a second name without them), a name "Data" (unnamed values) or one of
 * SYSTEM_KEYS. Event data values are GUID-normalized as winlog.ts does; those in `empty` are left out
 * (the pipelines' dropping of empty values, done here rather than by deleting them afterwards).
 */
export function flatSource(flat: FlatFields, empty?: ReadonlySet<string>): FlatSource | undefined {
  const n = flat.dataKeys;
  if (n === undefined) return undefined;
  const { fields, keys } = flat;
  const plan = sourcePlan(keys, n);
  if (!plan.ok) return undefined;
  const data = newEventData();
  const emptyList = empty ? listOf(empty) : undefined;
  let binary: string | undefined;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    const v = fields[k];
    if (v === null) continue; // an empty element: rendered as null, which Winlogbeat leaves out
    if (typeof v !== 'string') return undefined;
    const s = guidForm(v);
    if (emptyList !== undefined && isOneOf(s, emptyList)) continue;
    if (i === plan.binary) binary = s;
    else if (isDataName(k)) data[k] = s;
  }
  if (binary !== undefined) data.Binary = binary; // last, as winlog.ts puts it
  return sourceOf(flat, data);
}

function sourceOf(flat: FlatFields, data: EventData): FlatSource {
  const f = flat.fields;
  return {
    sys: {
      channel: flat.channel,
      provider: f.Provider_Name,
      providerGuid: f.Provider_Guid,
      eventId: f.EventID,
      version: f.Version,
      level: f.Level,
      task: f.Task,
      opcode: f.Opcode,
      keywords: f.Keywords,
      timeCreated: f.TimeCreated_SystemTime,
      recordId: f.EventRecordID,
      activityId: f.Correlation_ActivityID,
      relatedActivityId: f.Correlation_RelatedActivityID,
      pid: f.Execution_ProcessID,
      tid: f.Execution_ThreadID,
      computer: flat.computer,
      sid: f.Security_UserID,
    },
    data,
  };
}
