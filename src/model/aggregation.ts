/**
 * An aggregation stage: events (or the rows of the stage before) grouped by keys into one row per
 * group, with aggregate columns, and a condition on the groups (ES|QL `STATS c = COUNT(*) BY host.id
 * | WHERE c > 5`). The same shape as an Elastic threshold rule's threshold (group fields, a count and
 * distinct counts compared to a value), open to any aggregate function. Columns and the condition's
 * tests are computed values (model/computed.ts): statistics do not count them as event fields.
 */
import type { Detection } from './predicate.js';
import type { ValueExpr } from './computed.js';

export interface NamedValue {
  /** The column name (as written, or the expression's text when the rule gives none). */
  name: string;
  value: ValueExpr;
  /** An aggregate over only the rows meeting this condition (ES|QL `COUNT(*) WHERE cond`). */
  where?: Detection;
}

export interface Aggregation {
  /** Group keys, in order (none: one group of every row). */
  by: NamedValue[];
  /** Aggregate columns: a call of an aggregate function (count, count_distinct, values, max...) over row values. */
  columns: NamedValue[];
  /** The condition a group must meet (WHEREs after the stage, and-ed), on columns and keys. */
  having?: Detection;
}
