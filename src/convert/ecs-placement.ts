/**
 * Where the ECS document of a Windows event keeps a raw event field's value as written, found by
 * asking the normalizer itself (src/events/ecs): an event of the channel and EventID carrying only a
 * marker value in the field is normalized, and the paths holding the marker unchanged are the
 * field's places. A field whose value the integration splits or rewrites (Sysmon User into
 * user.domain and user.name, Hashes into hash.*, LogonType as a name) has no such place: a query
 * on ECS fields cannot test it as the raw event's field, and the conversion says so.
 */
import { toEcs } from '../events/ecs/index.js';
import { EMPTY_VALUES } from '../events/ecs/winlog-table.js';
import { SECURITY_EVENTS } from '../events/ecs/security-table.js';
import { SYSMON_EVENTS } from '../events/ecs/sysmon-table.js';

/** A path of the ECS document, and whether it holds the value as a number (ports, pids). */
export type Placement = { path: string; numeric: boolean; userData?: string } | { error: string };

const SYSMON = 'microsoft-windows-sysmon/operational';
/** Characters the pipelines split or parse on (domain\user, k=v lists, paths, separators). */
const MARKER = 'Zq\\y z,Q=1|w;x/v:0';
const MARKER2 = 'Wk\\u v,P=2|x';
const NUMBER = '48213';

const PROVIDERS: Record<string, string> = {
  [SYSMON]: 'Microsoft-Windows-Sysmon',
  security: 'Microsoft-Windows-Security-Auditing',
};

/** System fields of the flattened event and their Winlogbeat names (same value, same spelling). */
export const SYSTEM_FIELDS: Readonly<Record<string, string>> = {
  Channel: 'winlog.channel',
  EventID: 'winlog.event_id',
  Provider_Name: 'winlog.provider_name',
  Computer: 'winlog.computer_name',
};

/** Channels whose event data names have spaces: the Sigma matcher reads each also with them removed. */
const SPACED_FIELD_CHANNELS: ReadonlySet<string> = new Set(['microsoft-windows-windows defender/operational']);

/** Event ids whose ECS mapping differs on the channel (an event of any other id gets the base document). */
function knownIds(channel: string): number[] {
  if (channel === SYSMON) return Object.keys(SYSMON_EVENTS).map(Number);
  if (channel === 'security') return Object.keys(SECURITY_EVENTS).map(Number);
  if (channel.includes('powershell')) return [400, 403, 600, 800, 4103, 4104, 4105, 4106];
  return [];
}

const cache = new Map<string, Placement>();

/**
 * The place of raw field `field` in the ECS documents of `channel` (lower case, as the plan gives
 * it) events of `eventIds` (undefined: any id; every id the mapping knows must agree).
 */
export function placeField(channel: string, eventIds: number[] | undefined, field: string): Placement {
  if (SYSTEM_FIELDS[field]) return { path: SYSTEM_FIELDS[field], numeric: false };
  if (SPACED_FIELD_CHANNELS.has(channel)) {
    return { error: `${field} of ${channel}: its events name fields with spaces ("Threat Name"), which Sigma also reads without them; an ECS query names one spelling` };
  }
  const ids = eventIds ?? [0, ...knownIds(channel)];
  let found: Placement | undefined;
  for (const id of ids) {
    const p = placeOne(channel, id, field);
    if ('error' in p) return p;
    if (found && 'path' in found && (found.path !== p.path || found.numeric !== p.numeric || found.userData !== p.userData)) {
      return { error: `${field}: the ECS documents of ${channel} keep it at ${found.path} or ${p.path} depending on the event id` };
    }
    found = p;
  }
  return found ?? { error: `${field}: no event id to place it` };
}

function placeOne(channel: string, eventId: number, field: string): Placement {
  const key = `${channel}\n${eventId}\n${field}`;
  let p = cache.get(key);
  if (!p) cache.set(key, (p = probe(channel, eventId, field)));
  return p;
}

function probe(channel: string, eventId: number, field: string): Placement {
  const where = `${field} of ${channel} ${eventId}`;
  if (field.startsWith('__')) return { error: `${where}: a field the Sigma matcher derives from the event, not in its ECS document` };
  // Unnamed <Data> elements (an array) become param1..N: one element's place is not the field's.
  const text = field === 'Data' ? [MARKER, MARKER2] : MARKER;
  const str = find(normalize(channel, eventId, field, text), (v) => JSON.stringify(v) === JSON.stringify(text), field);
  if (str) {
    // Events of other channels may carry <UserData> instead (WMI-Activity): Winlogbeat's winlog.user_data.
    const user = channel === SYSMON || channel === 'security' ? undefined : find(normalize(channel, eventId, field, text, true), (v) => JSON.stringify(v) === JSON.stringify(text), field);
    return user && user !== str ? { path: str, numeric: false, userData: user } : { path: str, numeric: false };
  }
  const num = find(normalize(channel, eventId, field, NUMBER), (v) => v === Number(NUMBER) || v === NUMBER, field);
  if (num) return { path: num, numeric: true };
  return { error: `${where}: the ECS document does not keep the value as written (the integration splits or rewrites it)` };
}

function normalize(channel: string, eventId: number, field: string, value: unknown, userData = false): Record<string, unknown> {
  const system = { Channel: channel, EventID: eventId, Provider: { '#attributes': { Name: PROVIDERS[channel] ?? '' } } };
  const data = userData ? { UserData: { Probe: { [field]: value } } } : { EventData: { [field]: value } };
  return toEcs({ file: 'probe', event: { System: system, ...data } });
}

/** The path whose value passes `is`, preferring winlog.event_data.<field> (Winlogbeat's own place). */
function find(doc: Record<string, unknown>, is: (v: unknown) => boolean, field: string): string | undefined {
  const hits: string[] = [];
  const walk = (o: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (is(v)) hits.push(path);
      else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, path);
    }
  };
  walk(doc, '');
  const own = `winlog.event_data.${field}`;
  return hits.includes(own) ? own : hits[0];
}

/**
 * A value the pipelines drop as empty ('-', '', the null GUID) that a string test would match: the
 * raw event has it, the ECS document has no field there, so the test's outcome differs.
 */
export function matchesDroppedValue(channel: string, op: string, values: unknown[]): string | undefined {
  if (channel !== SYSMON && channel !== 'security') return undefined;
  for (const e of EMPTY_VALUES) {
    const lower = e.toLowerCase();
    for (const v of values) {
      if (typeof v !== 'string') continue;
      const w = v.toLowerCase();
      const hit = op === 'eq' ? lower === w : op === 'contains' ? lower.includes(w) : op === 'starts_with' ? lower.startsWith(w) : op === 'ends_with' ? lower.endsWith(w) : false;
      if (hit) return e;
    }
  }
  return undefined;
}
