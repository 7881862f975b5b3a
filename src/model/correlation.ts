/** Sigma correlation rules (meta rules over the matches of other rules), vendor-neutral. */
export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile';

export interface CorrelationCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
  /** The field whose values are counted / summed / averaged. */
  field?: string;
  /** For value_percentile: the percentile rank. */
  percentile?: number;
}

export interface Correlation {
  type: CorrelationType;
  /** Referenced rules, by id or name, in order (order matters for temporal_ordered). */
  rules: string[];
  groupBy: string[];
  /** Milliseconds. */
  timespanMs: number;
  condition?: CorrelationCondition;
  /** alias -> (rule id or name -> field of that rule's events). */
  aliases: Record<string, Record<string, string>>;
  /** Whether the referenced rules also produce alerts of their own. */
  generate: boolean;
}
