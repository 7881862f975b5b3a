/** The alert of the CLI contract (one JSON object per line in jsonl output). */
export interface Alert {
  rule: { id: string; title: string; level: string; source: string; type?: string };
  event: {
    file: string;
    record_id: number | null;
    timestamp: string | null;
    computer: string | null;
    channel: string | null;
    event_id: number | null;
    /** A deleted record carved from EVTX chunk slack (scan --recover). */
    recovered?: true;
    /** Only part of the record could be decoded. */
    partial?: true;
  };
  techniques: string[];
  matched: Record<string, string | string[] | null>;
  /** Sequence and sample alerts (Elastic EQL): every event of the sequence, in order. */
  events?: Alert['event'][];
  /** Correlation alerts: the group, how many events, and the time range. */
  correlation?: {
    type: string;
    group: Record<string, string | null>;
    count: number;
    value?: number;
    first: string | null;
    last: string | null;
    rules: string[];
  };
  /** Elastic threshold alerts: the group, how many events (and distinct values) in the window, its time range. */
  threshold?: {
    group: Record<string, string | null>;
    count: number;
    cardinality?: number;
    first: string | null;
    last: string | null;
  };
  /** Elastic new_terms alerts: the term combination not seen in the history window before the event. */
  new_terms?: {
    terms: Record<string, string | null>;
    history_window_start: string;
  };
}

export const LEVEL_ORDER: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * The `rule` object of a rule's alerts, one per rule, source and type (alerts are values, never
 * changed): the JSON writer (cli/output/alert-json.ts) writes a shared object once and then reuses
 * its text, where a new object per alert was stringified and remembered again for each alert.
 * `typed`: the object has a `type` key, `type` (default: the rule's type, even when undefined, as
 * Elastic alerts have it; correlation alerts give "correlation").
 */
const heads = new WeakMap<object, Map<string, Alert['rule']>>();
export function alertRuleHead(rule: { id: string; title: string; level?: string; type?: string }, source: string, typed = false, type = rule.type): Alert['rule'] {
  let bySource = heads.get(rule);
  if (!bySource) heads.set(rule, (bySource = new Map()));
  const key = typed ? `${source}\u0000${type ?? '\u0000'}` : source;
  let head = bySource.get(key);
  if (!head) {
    head = typed ? { id: rule.id, title: rule.title, level: rule.level ?? 'medium', source, type } : { id: rule.id, title: rule.title, level: rule.level ?? 'medium', source };
    bySource.set(key, head);
  }
  return head;
}
