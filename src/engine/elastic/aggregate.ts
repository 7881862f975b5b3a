/**
 * The timeline aggregation of a threshold or new_terms rule, from the settings the loader keeps in
 * rule.extra (src/formats/elastic/rule-extra.ts); a bad setting is a skip reason.
 */
import type { Rule } from '../../model/index.js';
import type { Alert } from '../alert.js';
import type { AggEvent } from './aggregate-event.js';
import { DEFAULT_FROM_MS, lookbackMs } from './lookback.js';
import { NewTermsAggregator } from './new-terms.js';
import { ThresholdAggregator } from './threshold.js';

export interface Aggregator {
  push(ev: AggEvent): void;
}

/** What an aggregation adds to the alert of the event that triggered it. */
export type AggAlertPart = Pick<Alert, 'threshold' | 'new_terms'>;

export type AggregatorResult = { ok: true; agg: Aggregator } | { ok: false; reason: string; message: string };

const MAX_FIELDS = 5;

export function aggregatorFor(rule: Rule, onHit: (ev: AggEvent, part: AggAlertPart) => void): AggregatorResult {
  const bad = (message: string): AggregatorResult => ({ ok: false, reason: `${rule.type.replace('_', '-')}-settings`, message });
  const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
  if (rule.type === 'threshold') {
    const th = rule.extra.threshold as { fields?: string[]; value?: unknown; cardinality?: { field?: string; value?: unknown }[] } | undefined;
    if (!th) return bad('threshold rule without [rule.threshold]');
    const value = th.value;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return bad(`threshold.value '${String(value)}' is not a positive integer`);
    const fields = th.fields ?? [];
    if (fields.length > MAX_FIELDS) return bad(`threshold.field has ${fields.length} fields (at most ${MAX_FIELDS})`);
    const cards = th.cardinality ?? [];
    if (cards.length > 1) return bad('more than one threshold.cardinality');
    const c = cards[0];
    if (c && (!c.field || typeof c.value !== 'number' || !Number.isInteger(c.value) || c.value < 1 || c.value > 10_000)) {
      return bad('threshold.cardinality needs a field and an integer value from 1 to 10000');
    }
    const from = rule.extra.from as string | undefined;
    const windowMs = from === undefined ? DEFAULT_FROM_MS : lookbackMs(from);
    if (windowMs === null) return bad(`look-back from '${from}' is not "now-<n><s|m|h|d|w>"`);
    const agg = new ThresholdAggregator({ fields, value, ...(c ? { cardinality: { field: c.field as string, value: c.value as number } } : {}), windowMs }, (ev, hit) => {
      onHit(ev, {
        threshold: {
          group: hit.group,
          count: hit.count,
          ...(hit.cardinality !== undefined ? { cardinality: hit.cardinality } : {}),
          first: iso(hit.firstMs),
          last: iso(hit.lastMs),
        },
      });
    });
    return { ok: true, agg };
  }
  if (rule.type === 'new_terms') {
    const nt = rule.extra.new_terms as { fields?: string[]; history_window_start?: string } | undefined;
    const fields = nt?.fields ?? [];
    if (fields.length < 1 || fields.length > 3) return bad(`new_terms needs 1 to 3 fields (has ${fields.length})`);
    const historyMs = lookbackMs(nt?.history_window_start);
    if (historyMs === null) return bad(`history_window_start '${String(nt?.history_window_start)}' is not "now-<n><s|m|h|d|w>"`);
    const agg = new NewTermsAggregator({ fields, historyMs }, (ev, hit) => onHit(ev, { new_terms: { terms: hit.terms, history_window_start: nt?.history_window_start as string } }));
    return { ok: true, agg };
  }
  return bad(`rule type '${rule.type}' has no timeline aggregation`);
}
