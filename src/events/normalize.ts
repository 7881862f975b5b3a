/**
 * Flattens an evtx_dump-shaped event into the field map rules read: System attributes become
 * `Tag_Attribute` (Provider_Name, Execution_ProcessID, Security_UserID, ...) as the Sigma spec says,
 * EventData / UserData leaves become their names, every value a string (lists stay lists).
 * Derived fields (prefixed "__") serve field mappings such as Security 4688 -> process_creation.
 *
 * Field lookup: a name present both in System and in EventData / UserData reads the event's own
 * data (Event 104 "log cleared" has UserData Channel = the cleared log, System Channel = System).
 * Routing by channel and EventID, and the alert's event identity, always use System.
 */
import { INTEGRITY_LEVELS } from '../taxonomy/field-mapping-windows.js';
import type { EventRecord } from './types.js';

export type FieldValue = string | string[] | null;
export type Fields = Record<string, FieldValue>;

export interface FlatEvent extends FlatFields {
  record: EventRecord;
}

/** A flattened event without its record (what a reader that flattens while decoding attaches: EventRecord.flat). */
export interface FlatFields {
  fields: Fields;
  /** The field names, in order (cheaper to walk than the map's own keys). */
  keys: readonly string[];
  /** System/Channel (routing), whatever the event's data holds under the same name. */
  channel: string;
  /** System/EventID. */
  eventId: number;
  /** System/Computer. */
  computer: string | null;
  /**
   * Set by the EVTX reader when the record has no UserData and its EventData holds only named
   * values (no nested elements, no unnamed Data): the number of leading keys that are EventData's
   * (System's follow). The ECS mapping then reads the event from the fields (events/ecs/flat-source.ts).
   */
  dataKeys?: number;
  /**
   * Only on a thread that sends events on (evtx/record-plan.ts valuesOnly): the values in key order,
   * and `fields` left empty (the receiver builds the map: engine/parallel/event-wire.ts).
   */
  values?: FieldValue[];
}

// Field values are matched whole: their size is bounded by the readers (a JSON line, an EVTX chunk).
export function scalar(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null;
}

/** Keys of the event being flattened, in order (flattening is synchronous, so one list serves). */
let keys: string[] = [];

function put(fields: Fields, key: string, v: unknown): void {
  putField(fields, keys, key, v);
}

/** A field's value as events hold it: strings as they are, lists of strings, other scalars as strings, null. */
export function fieldValue(v: unknown): FieldValue {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const list: string[] = [];
    for (const x of v) {
      const s = x !== null && typeof x === 'object' ? textOf(x) : scalar(x);
      if (s !== null) list.push(s);
    }
    return list.length === 1 ? list[0] : list;
  }
  return scalar(v);
}

/** Adds a field (shared with the EVTX reader's direct flattening, src/events/evtx/flat.ts). */
export function putField(fields: Fields, keys: string[], key: string, v: unknown): void {
  // The first value of a name wins: EventData / UserData are flattened before System.
  if (fields[key] !== undefined) return;
  keys.push(key);
  fields[key] = fieldValue(v);
  // Sigma names fields as the event does with spaces removed ("Source Name" -> SourceName).
  if (key.indexOf(' ') >= 0) {
    const stripped = key.replace(/ /g, '');
    if (fields[stripped] === undefined) {
      fields[stripped] = fields[key];
      keys.push(stripped);
    }
  }
}

function textOf(o: object): string | null {
  const t = (o as Record<string, unknown>)['#text'];
  if (Array.isArray(t)) return t.map((x) => scalar(x) ?? '').join('');
  return scalar(t);
}

/** Leaves of a nested EventData / UserData element; attributes (xmlns...) are not fields. */
function flattenData(fields: Fields, o: Record<string, unknown>, depth: number): void {
  for (const key in o) {
    if (key === '#attributes') continue;
    const v = o[key];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const rec = v as Record<string, unknown>;
      if ('#text' in rec) put(fields, key === '#text' ? 'Data' : key, rec['#text']);
      else if (depth < 8) flattenData(fields, rec, depth + 1);
    } else {
      put(fields, key === '#text' ? 'Data' : key, v);
    }
  }
}

function flattenSystem(fields: Fields, sys: Record<string, unknown>): void {
  for (const key in sys) {
    const v = sys[key];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const rec = v as Record<string, unknown>;
      if ('#text' in rec) put(fields, key, rec['#text']);
      const attrs = rec['#attributes'] as Record<string, unknown> | undefined;
      if (attrs && typeof attrs === 'object') {
        for (const a in attrs) put(fields, `${key}_${a}`, attrs[a]);
      }
    } else {
      put(fields, key, v);
    }
  }
}

/** The text of a System element (`Channel`, `EventID`, ...), whether stored bare or with attributes. */
function systemText(sys: Record<string, unknown> | undefined, name: string): string | null {
  if (!sys || typeof sys !== 'object') return null;
  const v = sys[name];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? scalar((v as Record<string, unknown>)['#text']) : scalar(v);
}

export function flattenEvent(record: EventRecord): FlatEvent {
  // The EVTX reader's fast path flattened the record already (same fields, same order).
  const pre = record.flat;
  if (pre) return { fields: pre.fields, keys: pre.keys, channel: pre.channel, eventId: pre.eventId, computer: pre.computer, record };
  const fields: Fields = Object.create(null) as Fields;
  keys = [];
  const ev = record.event;
  const data = ev.EventData;
  if (data && typeof data === 'object') flattenData(fields, data as Record<string, unknown>, 0);
  else if (data !== undefined && data !== null) put(fields, 'Data', data);
  const user = ev.UserData;
  if (user && typeof user === 'object') flattenData(fields, user as Record<string, unknown>, 0);
  const sys = ev.System as Record<string, unknown> | undefined;
  if (sys && typeof sys === 'object') flattenSystem(fields, sys);
  const channel = systemText(sys, 'Channel') ?? '';
  const id = systemText(sys, 'EventID');
  const eventId = id === null ? NaN : Number(id);
  deriveFields(fields, channel, eventId);
  return { fields, keys, channel, eventId, computer: systemText(sys, 'Computer'), record };
}

/** The routing fields and derived fields of an event flattened elsewhere (the EVTX reader), as flattenEvent sets them. */
export function finishFlat(fields: Fields, keys: readonly string[], channelText: unknown, eventIdText: unknown, computerText: unknown, dataKeys?: number): FlatFields {
  const channel = scalar(channelText) ?? '';
  const id = scalar(eventIdText);
  const eventId = id === null ? NaN : Number(id);
  deriveFields(fields, channel, eventId);
  return { fields, keys, channel, eventId, computer: scalar(computerText), dataKeys };
}

/**
 * Adds the derived fields (not in the key list) of an event whose fields are set: the same result
 * when called again on the same values (a field map rebuilt from its keys, parallel/event-wire.ts).
 */
export function deriveFields(fields: Fields, channel: string, eventId: number): void {
  if (eventId === 4688 && channel.toLowerCase() === 'security') derive4688(fields);
}

function derive4688(f: Fields): void {
  const user = f.SubjectUserName;
  const domain = f.SubjectDomainName;
  if (typeof user === 'string') f.__User = typeof domain === 'string' && domain ? `${domain}\\${user}` : user;
  const label = f.MandatoryLabel;
  if (typeof label === 'string') f.__IntegrityLevel = INTEGRITY_LEVELS[label.toUpperCase()] ?? label;
}
