/**
 * Sigma correlation rules evaluated over the timeline of base-rule matches: event_count,
 * value_count, value_sum, value_avg and value_percentile over a sliding `timespan` per group-by
 * key, temporal (all rules within the timespan, any order) and temporal_ordered (in order).
 * Chained correlations read the alerts of the correlations they name. State is per group and
 * bounded by the timespan.
 */
import type { Correlation, CorrelationCondition, Problem, Rule } from '../model/index.js';
import type { Fields } from '../events/normalize.js';
import { type Alert, alertRuleHead } from './alert.js';

/** A base-rule match kept for correlations. */
export interface Hit {
  ruleId: string;
  ruleName?: string;
  time: number;
  fields: Fields;
  event: Alert['event'];
}

/** Matches kept for correlations are bounded: past this the oldest are dropped and reported. */
export const MAX_HITS = 2_000_000;

export interface CorrelationOutput {
  alerts: Alert[];
  problems: Problem[];
}

/** The keys a correlation or filter can name a rule by: its id, and its `name` when it has one. */
export function ruleKeys(r: Rule): string[] {
  return r.extra.name ? [r.id, String(r.extra.name)] : [r.id];
}

export function referencedRuleKeys(correlations: Rule[]): Set<string> {
  return new Set(correlations.flatMap((c) => c.correlation!.rules));
}

/** Rules referenced only by correlations with `generate: false` produce no alerts of their own. */
export function suppressedRuleKeys(correlations: Rule[]): Set<string> {
  const generated = new Set(correlations.filter((c) => c.correlation!.generate).flatMap((c) => c.correlation!.rules));
  return new Set(correlations.flatMap((c) => c.correlation!.rules).filter((k) => !generated.has(k)));
}

export function runCorrelations(correlations: Rule[], hits: Hit[]): CorrelationOutput {
  const alerts: Alert[] = [];
  const problems: Problem[] = [];
  const byKey = new Map<string, Hit[]>();
  const add = (key: string | undefined, h: Hit): void => {
    if (!key) return;
    const l = byKey.get(key) ?? [];
    l.push(h);
    byKey.set(key, l);
  };
  for (const h of hits) {
    add(h.ruleId, h);
    if (h.ruleName && h.ruleName !== h.ruleId) add(h.ruleName, h);
  }
  // Correlations that name other correlations run after them.
  const pending = [...correlations];
  const done = new Set<string>();
  const corrKeys = new Set(correlations.flatMap(ruleKeys));
  let progress = true;
  while (pending.length && progress) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i];
      const deps = c.correlation!.rules.filter((r) => corrKeys.has(r));
      if (!deps.every((d) => done.has(d))) continue;
      pending.splice(i--, 1);
      progress = true;
      const out = evaluate(c, byKey);
      alerts.push(...out);
      for (const k of ruleKeys(c)) done.add(k);
      for (const a of out) {
        const h: Hit = {
          ruleId: c.id,
          ruleName: c.extra.name as string | undefined,
          time: Date.parse(a.correlation!.last ?? '') || 0,
          fields: Object.fromEntries(Object.entries(a.correlation!.group)) as Fields,
          event: a.event,
        };
        for (const k of ruleKeys(c)) add(k, h);
      }
    }
  }
  for (const c of pending) problems.push({ file: c.path, reason: 'correlation-cycle', message: `correlation '${c.title}' is part of a cycle of correlations` });
  return { alerts, problems };
}

function fieldFor(c: Correlation, name: string, h: Hit): string {
  const alias = c.aliases[name];
  if (!alias) return name;
  return alias[h.ruleName ?? ''] ?? alias[h.ruleId] ?? name;
}

function valueOf(fields: Fields, field: string): string | null {
  const v = fields[field];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : v.join(',');
}

function satisfied(cond: CorrelationCondition | undefined, n: number, fallback: number): boolean {
  if (!cond) return n >= fallback;
  const checks: Array<[number | undefined, (x: number) => boolean]> = [
    [cond.gt, (x) => n > x], [cond.gte, (x) => n >= x], [cond.lt, (x) => n < x],
    [cond.lte, (x) => n <= x], [cond.eq, (x) => n === x], [cond.neq, (x) => n !== x],
  ];
  let any = false;
  for (const [limit, ok] of checks) {
    if (limit === undefined) continue;
    any = true;
    if (!ok(limit)) return false;
  }
  return any ? true : n >= fallback;
}

/** Conditions with only lower bounds can fire as soon as they hold; others wait for the window to close. */
function monotone(cond: CorrelationCondition | undefined): boolean {
  return !cond || (cond.lt === undefined && cond.lte === undefined && cond.eq === undefined && cond.neq === undefined);
}

function evaluate(rule: Rule, byKey: Map<string, Hit[]>): Alert[] {
  const c = rule.correlation!;
  const hits = [...new Set(c.rules.flatMap((r) => byKey.get(r) ?? []))].sort((a, b) => a.time - b.time);
  const groups = new Map<string, Hit[]>();
  for (const h of hits) {
    const key = JSON.stringify(c.groupBy.map((g) => valueOf(h.fields, fieldFor(c, g, h))));
    const l = groups.get(key) ?? [];
    l.push(h);
    groups.set(key, l);
  }
  const alerts: Alert[] = [];
  for (const list of groups.values()) {
    evaluateGroup(rule, list, alerts);
  }
  return alerts.sort((a, b) => (a.correlation!.last ?? '').localeCompare(b.correlation!.last ?? ''));
}

function aggregate(c: Correlation, window: Hit[]): number {
  const field = c.condition?.field ?? '';
  switch (c.type) {
    case 'event_count':
      return window.length;
    case 'value_count':
      return new Set(window.map((h) => valueOf(h.fields, fieldFor(c, field, h))).filter((v) => v !== null)).size;
    case 'value_sum':
    case 'value_avg': {
      const nums = window.map((h) => Number(valueOf(h.fields, fieldFor(c, field, h)))).filter((n) => Number.isFinite(n));
      const sum = nums.reduce((a, b) => a + b, 0);
      return c.type === 'value_sum' ? sum : nums.length ? sum / nums.length : 0;
    }
    case 'value_percentile': {
      // The share (in percent) of the newest event's value among the window's values: rare values score low.
      const last = window[window.length - 1];
      const v = valueOf(last.fields, fieldFor(c, field, last));
      const same = window.filter((h) => valueOf(h.fields, fieldFor(c, field, h)) === v).length;
      return (100 * same) / window.length;
    }
    default:
      return 0;
  }
}

function evaluateGroup(rule: Rule, list: Hit[], alerts: Alert[]): void {
  const g = groupEvaluator<Hit>(rule.correlation!, (window, n) => alerts.push(toAlert(rule, window, n)));
  for (const h of list) g.push(h);
  g.end();
}

/** scan's evaluation of one group of one correlation, fed its hits one at a time in time order. */
export interface GroupEvaluator<H extends Hit> {
  push(h: H): void;
  /** No more hits: judges the open window (upper bounds). */
  end(): void;
}

/**
 * The state machine scan runs over each group's hits (also run by stores that stream a group's
 * hits sorted: store/clickhouse/streamed-correlation.ts). State is bounded by the timespan.
 * `fire` gets the window's hits (valid during the call only) and the correlation's value.
 */
export function groupEvaluator<H extends Hit>(c: Correlation, fire: (window: H[], value: number) => void): GroupEvaluator<H> {
  if (c.type === 'temporal' || c.type === 'temporal_ordered') return temporalEvaluator(c, fire);
  let window: H[] = [];
  if (c.type === 'value_percentile') {
    // Judged per event: how rare is this event's value among the group's recent events.
    return {
      push: (h) => {
        window.push(h);
        while (h.time - window[0].time > c.timespanMs) window.shift();
        const n = aggregate(c, window);
        if (window.length > 1 && satisfied(c.condition, n, 1)) fire(window, n);
      },
      end: () => {},
    };
  }
  if (monotone(c.condition)) {
    // Lower bounds only: a sliding window that fires as soon as the condition holds, then starts over.
    return {
      push: (h) => {
        window.push(h);
        while (h.time - window[0].time > c.timespanMs) window.shift();
        const n = aggregate(c, window);
        if (satisfied(c.condition, n, 1)) {
          fire(window, n);
          window = [];
        }
      },
      end: () => {},
    };
  }
  // Upper bounds: windows of `timespan` from their first event, judged when they close.
  const judge = (): void => {
    const n = aggregate(c, window);
    if (satisfied(c.condition, n, 1)) fire(window, n);
    window = [];
  };
  return {
    push: (h) => {
      if (window.length && h.time - window[0].time > c.timespanMs) judge();
      window.push(h);
    },
    end: () => {
      if (window.length) judge();
    },
  };
}

function temporalEvaluator<H extends Hit>(c: Correlation, fire: (window: H[], value: number) => void): GroupEvaluator<H> {
  const ordered = c.type === 'temporal_ordered';
  const n = c.rules.length;
  const idx = (h: Hit): number[] => c.rules.map((r, i) => (r === h.ruleId || r === h.ruleName ? i : -1)).filter((i) => i >= 0);
  if (!ordered) {
    const lastSeen = new Map<number, H>();
    return {
      push: (h) => {
        for (const i of idx(h)) lastSeen.set(i, h);
        for (const [i, seen] of lastSeen) if (h.time - seen.time > c.timespanMs) lastSeen.delete(i);
        if (satisfied(c.condition, lastSeen.size, n)) {
          const window = [...new Set(lastSeen.values())].sort((a, b) => a.time - b.time);
          fire(window, lastSeen.size);
          lastSeen.clear();
        }
      },
      end: () => {},
    };
  }
  // chain[i]: the latest-starting run of rules 0..i seen in order, as its hits.
  let chain: Array<H[] | undefined> = new Array(n).fill(undefined);
  return {
    push: (h) => {
      for (const i of idx(h).sort((a, b) => b - a)) {
        if (i === 0) chain[0] = [h];
        else {
          const prev = chain[i - 1];
          if (prev && h.time - prev[0].time <= c.timespanMs) chain[i] = [...prev, h];
        }
      }
      const full = chain[n - 1];
      if (full) {
        fire(full, n);
        chain = new Array(n).fill(undefined);
      }
    },
    end: () => {},
  };
}

function toAlert(rule: Rule, window: Hit[], value: number): Alert {
  const c = rule.correlation!;
  const last = window[window.length - 1];
  const group: Record<string, string | null> = {};
  for (const g of c.groupBy) group[g] = valueOf(last.fields, fieldFor(c, g, last));
  const iso = (t: number): string | null => (Number.isFinite(t) && t > 0 ? new Date(t).toISOString() : null);
  return {
    rule: alertRuleHead(rule, 'sigma', true, 'correlation'),
    event: last.event,
    techniques: rule.techniques,
    matched: { ...group },
    correlation: {
      type: c.type,
      group,
      count: window.length,
      value,
      first: iso(window[0].time),
      last: iso(last.time),
      rules: [...new Set(window.map((h) => h.ruleId))],
    },
  };
}
