/**
 * Elastic threshold rules over the event timeline. Kibana runs the rule every `interval` over the
 * last `from` of data and alerts on each `threshold.field` bucket whose count reaches `threshold.value`
 * (and whose distinct count of `cardinality.field` reaches `cardinality.value`). Offline we slide a
 * window of the look-back's duration per group instead: an alert when the events of a group within
 * any such window reach the value, on the event that crosses it; the group's state then restarts, so
 * the same events never alert twice (Kibana's threshold signal history plays that role).
 * State is bounded: at most MAX_GROUPS groups (least recently seen dropped), and per group at most
 * MAX_KEPT timestamps and `cardinality.value` distinct values.
 */
import type { Scalar } from '../eql/values.js';
import type { Combination, FieldReader } from './group-values.js';
import { combinations, groupObject, readers } from './group-values.js';
import type { AggEvent } from './aggregate-event.js';
import { LruMap } from './lru.js';

export const MAX_GROUPS = 50_000;
export const MAX_KEPT = 10_000;

export interface ThresholdSpec {
  fields: string[];
  value: number;
  cardinality?: { field: string; value: number };
  windowMs: number;
}

export interface ThresholdHit {
  group: Record<string, string | null>;
  count: number;
  cardinality?: number;
  /** Timestamps (ms) of the first counted event and of the crossing one. */
  firstMs: number;
  lastMs: number;
}

interface GroupState {
  /** Timestamps of the counted events in the window, oldest first (NaN: no usable time). */
  times: number[];
  /** The cardinality field's distinct values in the window, with the time each was last seen. */
  distinct?: Map<string, number>;
  lastMs: number;
}

export class ThresholdAggregator {
  private readonly groups = new LruMap<string, GroupState>(MAX_GROUPS);
  private readonly groupFields: FieldReader[];
  private readonly cardField?: FieldReader;
  private lastSeen = Number.NEGATIVE_INFINITY;

  constructor(private readonly spec: ThresholdSpec, private readonly onHit: (ev: AggEvent, hit: ThresholdHit) => void) {
    this.groupFields = readers(spec.fields);
    if (spec.cardinality) this.cardField = readers([spec.cardinality.field])[0];
  }

  /** One event that matched the rule's query (in stream order). */
  push(ev: AggEvent): void {
    const now = ev.ts;
    if (Number.isFinite(now) && now > this.lastSeen) {
      this.lastSeen = now;
      // Groups are kept least recently seen first: those whose window has passed go.
      this.groups.dropWhile((g) => g.lastMs < now - this.spec.windowMs);
    }
    let distinctValues: Scalar[] = [];
    if (this.cardField) {
      const v = this.cardField(ev.doc);
      distinctValues = (Array.isArray(v) ? v : [v]).filter((x) => x !== null);
    }
    for (const c of combinations(ev.doc, this.groupFields)) this.count(ev, c, distinctValues);
  }

  private count(ev: AggEvent, c: Combination, distinctValues: Scalar[]): void {
    const now = ev.ts;
    const g = this.groups.get(c.key) ?? { times: [], lastMs: now, ...(this.spec.cardinality ? { distinct: new Map<string, number>() } : {}) };
    if (Number.isFinite(now)) {
      const start = now - this.spec.windowMs;
      let drop = 0;
      while (drop < g.times.length && g.times[drop] < start) drop++;
      if (drop) g.times.splice(0, drop);
      if (g.distinct) for (const [k, t] of g.distinct) if (t < start) g.distinct.delete(k);
      g.lastMs = Math.max(Number.isFinite(g.lastMs) ? g.lastMs : now, now);
    }
    g.times.push(now);
    if (g.times.length > MAX_KEPT) g.times.shift();
    const card = this.spec.cardinality;
    if (g.distinct && card) {
      for (const v of distinctValues) {
        const k = JSON.stringify(v);
        if (g.distinct.has(k) || g.distinct.size < card.value) g.distinct.set(k, now);
      }
    }
    this.groups.set(c.key, g);
    if (g.times.length < this.spec.value) return;
    if (g.distinct && card && g.distinct.size < card.value) return;
    const firstMs = g.times.find((t) => Number.isFinite(t)) ?? Number.NaN;
    this.onHit(ev, {
      group: groupObject(this.spec.fields, c.values),
      count: g.times.length,
      ...(g.distinct ? { cardinality: g.distinct.size } : {}),
      firstMs,
      lastMs: now,
    });
    // The window restarts after an alert: the counted events do not alert again.
    this.groups.delete(c.key);
  }
}
