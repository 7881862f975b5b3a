/**
 * Computed values: a test of a value the rule computes (ES|QL `EVAL x = LENGTH(f) | WHERE x > 3`,
 * a GROK capture, an aggregate column after STATS) instead of an event field. The computation is
 * kept as a structured expression, so the condition is held exactly, but it is no vendor field:
 * statistics skip computed tests (walkPredicates does not visit them) and engines refuse rules
 * that hold one unless they evaluate the expression.
 */
import type { Detection, Op, PredicateFlags, Scalar } from './predicate.js';

export type ValueExpr =
  /** An event field, by its vendor name. */
  | { kind: 'field'; field: string }
  | { kind: 'literal'; value: Scalar }
  /**
   * A function of the rule's language (lower-case name: length, to_lower, case, count...), or an
   * operator named by its symbol (`+`, `-`, `*`, `/`, `%`, `==`, `!=`, `<`...), applied to its arguments.
   */
  | { kind: 'call'; fn: string; args: ValueExpr[] }
  /** A condition used as a value (the tests of CASE, a boolean EVAL): true, false or null. */
  | { kind: 'test'; detection: Detection }
  /** The capture `key` of a GROK or DISSECT pattern applied to `input` (null when it does not match). */
  | { kind: 'extract'; command: 'grok' | 'dissect'; input: ValueExpr; pattern: string; key: string }
  /** A column of the aggregation stage before (a group key or an aggregate), by its name. */
  | { kind: 'column'; name: string }
  /**
   * An aggregate joined back to each row (ES|QL INLINE STATS): `value` (an aggregate call) over the
   * rows sharing this row's `by` values, among the rows meeting `over` (the filters before it);
   * `where` filters the aggregated rows. `name` is the column it fills.
   */
  | { kind: 'window'; name: string; value: ValueExpr; by: ValueExpr[]; over?: Detection; where?: Detection };

/** A test of a computed value; op, values and flags read as in a Predicate. */
export interface ComputedTest {
  kind: 'computed';
  /** The name the rule gives the value (`EVAL name = ...`), null for an expression tested in place. */
  name: string | null;
  value: ValueExpr;
  op: Op;
  values: Scalar[];
  flags: PredicateFlags;
}

/** Does the tree test a computed value anywhere? */
export function hasComputed(d: Detection): boolean {
  switch (d.kind) {
    case 'computed':
      return true;
    case 'and':
    case 'or':
      return d.children.some(hasComputed);
    case 'not':
      return hasComputed(d.child);
    default:
      return false;
  }
}

/** The event fields a value reads (for display; they are not counted as predicates). */
export function valueFields(v: ValueExpr, out: Set<string> = new Set()): Set<string> {
  switch (v.kind) {
    case 'field':
      out.add(v.field);
      break;
    case 'call':
      for (const a of v.args) valueFields(a, out);
      break;
    case 'extract':
      valueFields(v.input, out);
      break;
    case 'window':
      for (const a of [v.value, ...v.by]) valueFields(a, out);
      break;
    case 'literal':
    case 'test':
    case 'column':
      break;
  }
  return out;
}
