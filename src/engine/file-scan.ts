/**
 * Matching the events of one file (or one part of an .evtx file) with a compiled matcher: the unit
 * of work of both the single-thread scan and the worker threads.
 */
import type { Rule } from '../model/index.js';
import { flattenEvent, type FlatEvent } from '../events/normalize.js';
import { type ChunkRange, readEventFile } from '../events/read.js';
import type { EventRecord, ReadProblem } from '../events/types.js';
import { type Alert, alertRuleHead, LEVEL_ORDER } from './alert.js';
import { type Hit, referencedRuleKeys, ruleKeys, suppressedRuleKeys } from './correlation.js';
import { alertFields, type CompiledVariant, type Matcher } from './matcher.js';
import { foldString } from './case-fold.js';
import type { ElasticRunner, OrderedEvent, PreparedEvent } from './elastic/runner.js';
import { SCAN_BATCH_CHUNKS } from './batch-size.js';

export interface MatchContext {
  matcher: Matcher;
  /** Elastic rules, fed the same events: the stateless ones here, the stateful ones through `ordered`. */
  elastic?: ElasticRunner;
  /**
   * Where the events for stateful Elastic rules go: the runner itself in a one-thread scan; unset on
   * a worker's share, whose result then carries them (FileResult.ordered) for the main thread.
   */
  ordered?: (o: OrderedEvent) => void;
  correlationKeys: Set<string>;
  suppressed: Set<string>;
  minLevel?: number;
}

export function matchContext(matcher: Matcher, correlations: Rule[], minLevel?: string): MatchContext {
  return {
    matcher,
    correlationKeys: referencedRuleKeys(correlations),
    suppressed: suppressedRuleKeys(correlations),
    minLevel: minLevel ? LEVEL_ORDER[minLevel] : undefined,
  };
}

export interface FileResult {
  events: number;
  /** Matches of rules that correlations read, with a valid timestamp. */
  hits: Hit[];
  /** Matches of correlation rules' base rules without a valid timestamp. */
  untimed: number;
  /** Events for the stateful Elastic rules (when MatchContext.ordered is unset), each with its place among the alerts. */
  ordered: PlacedEvent[];
}

/** An event for the stateful Elastic rules, to run after the first `at` alerts of its task were emitted. */
export interface PlacedEvent extends OrderedEvent {
  at: number;
}

/** Where a scan's events come from, when not read here (the decoding thread of a 2-stage scan: parallel/decode-thread.ts). */
export type EventSource = (onProblem: (p: ReadProblem) => void) => AsyncIterable<EventRecord[]>;

/**
 * Scans one file (or a chunk range of an .evtx file); alerts and problems go to the callbacks as
 * they happen. `source`: the file's events as read elsewhere (its reader problems come from it too).
 */
export async function scanFile(
  file: string,
  ctx: MatchContext,
  onAlert: (a: Alert) => void,
  onProblem: (p: ReadProblem) => void,
  range?: ChunkRange,
  onBatch?: (events: number) => void,
  recover = false,
  source?: EventSource,
): Promise<FileResult> {
  const result: FileResult = { events: 0, hits: [], untimed: 0, ordered: [] };
  let emitted = 0;
  const alert = (a: Alert): void => {
    emitted++;
    onAlert(a);
  };
  const sigmaAlerts = (ev: FlatEvent, matches: readonly CompiledVariant[]): void => {
    for (const m of matches) {
      const keys = ruleKeys(m.rule);
      if (keys.some((k) => ctx.correlationKeys.has(k))) {
        const hit = toHit(m, ev);
        if (Number.isNaN(hit.time)) result.untimed++;
        else result.hits.push(hit);
      }
      if (keys.some((k) => ctx.suppressed.has(k))) continue;
      if (ctx.minLevel !== undefined && (LEVEL_ORDER[m.rule.level ?? 'medium'] ?? 2) < ctx.minLevel) continue;
      alert(toAlert(m, ev));
    }
  };
  try {
    for await (const batch of source ? source(onProblem) : readEventFile(file, onProblem, range, recover, true, SCAN_BATCH_CHUNKS)) {
      const elastic = ctx.elastic;
      if (elastic) {
        // In phases over the whole batch: the Sigma rules, the Elastic documents, their candidates,
        // then event by event the Elastic rules and the alerts, in the same order as event by event
        // (an event's Elastic alerts, then its Sigma ones). Each phase then runs over consecutive
        // events with its own code and tables in the CPU's caches.
        const n = batch.length;
        const evs = new Array<FlatEvent>(n);
        const found = new Array<readonly CompiledVariant[]>(n);
        const matcher = ctx.matcher;
        for (let i = 0; i < n; i++) found[i] = matcher.match((evs[i] = flattenEvent(batch[i])));
        const prepared = new Array<PreparedEvent | undefined>(n);
        for (let i = 0; i < n; i++) prepared[i] = elastic.prepareEvent(batch[i]);
        const candidates = new Array<readonly number[]>(n);
        for (let i = 0; i < n; i++) candidates[i] = elastic.candidatesOf(prepared[i]);
        for (let i = 0; i < n; i++) {
          result.events++;
          const p = prepared[i];
          // Events handed on at once are not cut (see ElasticRunner.local).
          const o = p ? elastic.run(p, candidates[i], alert, !ctx.ordered) : undefined;
          if (o) {
            if (ctx.ordered) ctx.ordered(o);
            else result.ordered.push({ ...o, at: emitted });
          }
          if (found[i].length) sigmaAlerts(evs[i], found[i]);
        }
      } else {
        for (const rec of batch) {
          result.events++;
          const ev = flattenEvent(rec);
          const matches = ctx.matcher.match(ev);
          // Most events match nothing: the call is made only for those that do.
          if (matches.length) sigmaAlerts(ev, matches);
        }
      }
      onBatch?.(result.events);
    }
  } catch (e) {
    // A reader must not throw; if one does, the file is reported and the run goes on.
    onProblem({ file, reason: 'read-error', message: (e as Error).message });
  }
  return result;
}

function eventInfo(ev: FlatEvent): Alert['event'] {
  return {
    file: ev.record.file,
    record_id: ev.record.recordId ?? null,
    timestamp: ev.record.timestamp ?? null,
    computer: ev.computer,
    channel: ev.channel || null,
    event_id: Number.isNaN(ev.eventId) ? null : ev.eventId,
    ...(ev.record.recovered ? { recovered: true as const } : {}),
    ...(ev.record.partial ? { partial: true as const } : {}),
  };
}

export function toAlert(m: CompiledVariant, ev: FlatEvent): Alert {
  const matched: Alert['matched'] = {};
  const { shownFields, keywords } = alertFields(m);
  for (const [shown, field] of shownFields) {
    const v = ev.fields[field];
    if (v !== undefined) matched[shown] = v;
  }
  if (keywords.length) {
    // Which keywords the event holds (only alerts pay for this).
    const found = keywords.filter(([k]) => ev.keys.some((key) => {
      const v = ev.fields[key];
      return typeof v === 'string' ? foldString(v).includes(k) : Array.isArray(v) && v.some((x) => foldString(x).includes(k));
    }));
    if (found.length) matched.keywords = found.map(([, shown]) => shown);
  }
  return {
    rule: alertRuleHead(m.rule, 'sigma'),
    event: eventInfo(ev),
    techniques: m.rule.techniques,
    matched,
  };
}

function toHit(m: CompiledVariant, ev: FlatEvent): Hit {
  return {
    ruleId: m.rule.id,
    ruleName: m.rule.extra.name as string | undefined,
    time: ev.record.timestamp ? Date.parse(ev.record.timestamp) : NaN,
    fields: ev.fields,
    event: eventInfo(ev),
  };
}
