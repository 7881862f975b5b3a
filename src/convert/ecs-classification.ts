/**
 * An Elastic rule's tests of how the Windows integrations classify an event (event.category,
 * event.type, host.os.type, data_stream.dataset...) as tests of the raw event's Channel and EventID,
 * for a Sigma rule (raw Windows events have no such fields). Each test is evaluated, by the Elastic
 * engine's own evaluator, on the ECS document the normalizer (src/events/ecs) makes for every
 * channel and event id its tables know, and for any other id and any other channel; the test
 * becomes the sources where it holds. The classification of those events does not depend on their
 * data, so the rewrite selects the same events.
 */
import type { Detection, Predicate } from '../model/index.js';
import { and, mapPredicates, not, or, pred, walkPredicates } from '../model/index.js';
import { toEcs } from '../events/ecs/index.js';
import { CHANNEL_DATASETS } from '../events/ecs/winlog-table.js';
import { SECURITY_EVENTS } from '../events/ecs/security-table.js';
import { SYSMON_EVENTS } from '../events/ecs/sysmon-table.js';
import { POWERSHELL_EVENT_TYPES } from '../events/ecs/powershell-table.js';
import { compileDetection } from '../engine/elastic/detection-eval.js';
import type { Doc } from '../engine/eql/values.js';
import { WINDOWS_CATEGORIES } from '../taxonomy/logsource-windows.js';

/** ECS fields the integrations set from the channel and event id alone. */
export const CLASSIFICATION_FIELDS: ReadonlySet<string> = new Set([
  'host.os.type', 'host.os.family', 'host.os.platform', 'event.category', 'event.type', 'event.module', 'event.dataset', 'data_stream.dataset', 'event.kind', 'data_stream.type',
]);

const PROVIDERS: Record<string, string> = {
  'microsoft-windows-sysmon/operational': 'Microsoft-Windows-Sysmon',
  security: 'Microsoft-Windows-Security-Auditing',
};

/** An event id no table lists (0 is none of theirs). */
const OTHER_ID = 0;
const OTHER_CHANNEL = 'detectory-unlisted-channel';

function listedIds(channel: string): number[] {
  if (channel === 'microsoft-windows-sysmon/operational') return Object.keys(SYSMON_EVENTS).map(Number);
  if (channel === 'security') return Object.keys(SECURITY_EVENTS).map(Number);
  if (channel.includes('powershell')) return Object.keys(POWERSHELL_EVENT_TYPES).map(Number).filter((n) => Number.isInteger(n));
  return [];
}

const docs = new Map<string, Doc>();
function docOf(channel: string, eventId: number): Doc {
  const key = `${channel}\n${eventId}`;
  let d = docs.get(key);
  if (!d) {
    const system = { Channel: channel, EventID: eventId, Provider: { '#attributes': { Name: PROVIDERS[channel] ?? '' } } };
    docs.set(key, (d = toEcs({ file: 'classification', event: { System: system, EventData: {} } }) as Doc));
  }
  return d;
}

/** The classification test as Channel / EventID tests of the sources where it holds. */
function sourcesWhere(p: Predicate): Detection {
  const test = compileDetection(p);
  const channels = Object.keys(CHANNEL_DATASETS);
  const terms: Detection[] = [];
  let all = true;
  for (const ch of channels) {
    const ids = listedIds(ch);
    const yes = ids.filter((id) => test(docOf(ch, id)));
    const no = ids.filter((id) => !test(docOf(ch, id)));
    const other = test(docOf(ch, OTHER_ID));
    if (no.length || !other) all = false;
    const channel = pred('Channel', 'eq', [ch]);
    if (other) terms.push(no.length ? and([channel, not(pred('EventID', 'eq', no))]) : channel);
    else if (yes.length) terms.push(and([channel, pred('EventID', 'eq', yes)]));
  }
  const otherChannel = test(docOf(OTHER_CHANNEL, OTHER_ID));
  if (otherChannel && all) return { kind: 'const', value: true };
  if (otherChannel) terms.push(not(pred('Channel', 'eq', channels)));
  return terms.length ? or(terms) : { kind: 'const', value: false };
}

/** One kind of Windows event as the ECS tables see it: a channel and an event id (OTHER_ID: any unlisted id). */
export interface EventSource {
  channel: string;
  id: number;
}

/** Every kind of event the tables distinguish, and an unlisted channel; `extra`: more ids for every channel. */
function universe(extra: number[]): EventSource[] {
  const out: EventSource[] = [];
  for (const ch of [...Object.keys(CHANNEL_DATASETS), OTHER_CHANNEL]) {
    for (const id of new Set([...listedIds(ch), ...extra, OTHER_ID])) out.push({ channel: ch, id });
  }
  return out;
}

/** The event ids the tree's event.code / winlog.event_id tests name. */
function codesIn(d: Detection): number[] {
  const ids = new Set<number>();
  walkPredicates(d, (p) => {
    if (p.field !== null && CODE_FIELDS.includes(p.field)) for (const v of p.values) if (/^\d{1,5}$/.test(String(v))) ids.add(Number(v));
  });
  return [...ids];
}

/**
 * The kinds of events the rule can fire on as far as its classification, channel and event code
 * tell: those where every such test that is a top-level conjunct holds (every kind when there is none).
 */
export function classifiedSources(d: Detection): EventSource[] {
  const conjuncts = (d.kind === 'and' ? d.children : [d]).filter(onlySourceTests);
  const tests = conjuncts.map((c) => compileDetection(c));
  return universe(codesIn(d)).filter((s) => tests.every((t) => t(docOf(s.channel, s.id))));
}

const CODE_FIELDS = ['event.code', 'winlog.event_id'];

/** Fields naming the kind of event, besides the classification: its channel, provider and code. */
const SOURCE_FIELDS: ReadonlySet<string> = new Set([...CLASSIFICATION_FIELDS, ...CODE_FIELDS, 'winlog.channel']);

function onlySourceTests(d: Detection): boolean {
  switch (d.kind) {
    case 'pred':
      return d.field !== null && SOURCE_FIELDS.has(d.field) && !d.flags.fieldref;
    case 'and':
    case 'or':
      return d.children.every(onlySourceTests);
    case 'not':
      return onlySourceTests(d.child);
    default:
      return false;
  }
}

/** The Windows category reading the fewest kinds of events that covers `sources`, if one does. */
export function coveringCategory(sources: EventSource[]): string | undefined {
  if (sources.length === 0) return undefined;
  let best: { name: string; size: number } | undefined;
  for (const [name, srcs] of Object.entries(WINDOWS_CATEGORIES)) {
    const covers = sources.every((s) => srcs.some((c) => c.channel.toLowerCase() === s.channel && (!c.eventIds || (s.id !== OTHER_ID && c.eventIds.includes(s.id)))));
    if (!covers) continue;
    const size = srcs.reduce((n, c) => n + (c.eventIds?.length ?? 1000), 0);
    if (!best || size < best.size) best = { name, size };
  }
  return best?.name;
}

/** The tree with every classification test replaced; `changed` when there was one. */
export function classificationAsSources(d: Detection): { tree: Detection; changed: boolean } {
  let changed = false;
  const tree = mapPredicates(d, (x) => {
    if (x.field === null || !CLASSIFICATION_FIELDS.has(x.field) || x.flags.fieldref) return x;
    changed = true;
    return sourcesWhere(x);
  });
  return { tree, changed };
}
