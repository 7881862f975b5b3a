/**
 * Elastic new_terms rules over the event timeline. Kibana alerts when a combination of the
 * `new_terms_fields` values appears in the rule's run window and nowhere in the history window
 * (`history_window_start`, e.g. now-10d, up to the run window). Offline, the history of an event is
 * the matching events seen before it in the input within that duration: an event alerts once per
 * combination not seen in the preceding history window; every occurrence refreshes the combination,
 * so a term alerts again only after a gap longer than the window. At the start of the input there is
 * no history, so each first combination alerts (Kibana would have had the indexed history).
 * State is bounded: at most MAX_TERMS combinations (least recently seen dropped first; dropping one
 * can only make it alert again, never hide an alert).
 */
import type { Scalar } from '../eql/values.js';
import type { AggEvent } from './aggregate-event.js';
import type { FieldReader } from './group-values.js';
import { combinations, groupObject, readers } from './group-values.js';
import { LruMap } from './lru.js';

export const MAX_TERMS = 200_000;

export interface NewTermsSpec {
  fields: string[];
  historyMs: number;
}

export interface NewTermsHit {
  terms: Record<string, string | null>;
  values: Scalar[];
}

export class NewTermsAggregator {
  /** Combination key -> time it was last seen (ms; NaN: no usable time). */
  private readonly seen = new LruMap<string, number>(MAX_TERMS);
  private readonly fields: FieldReader[];
  private latest = Number.NEGATIVE_INFINITY;

  constructor(private readonly spec: NewTermsSpec, private readonly onHit: (ev: AggEvent, hit: NewTermsHit) => void) {
    this.fields = readers(spec.fields);
  }

  /** One event that matched the rule's query (in stream order). */
  push(ev: AggEvent): void {
    const now = ev.ts;
    const timed = Number.isFinite(now);
    if (timed && now > this.latest) {
      this.latest = now;
      this.seen.dropWhile((t) => t < now - this.spec.historyMs);
    }
    for (const c of combinations(ev.doc, this.fields)) {
      const last = this.seen.get(c.key);
      // Seen before and, when both times are known, within the history window before this event.
      const known = last !== undefined && (!timed || !Number.isFinite(last) || (last >= now - this.spec.historyMs));
      this.seen.set(c.key, timed && last !== undefined && Number.isFinite(last) ? Math.max(last, now) : now);
      if (!known) this.onHit(ev, { terms: groupObject(this.spec.fields, c.values), values: c.values });
    }
  }
}
