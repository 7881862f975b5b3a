/**
 * The full EQL syntax tree (Elasticsearch dialect, plus the legacy Python-EQL forms found in the
 * endgame conformance suite). Kept complete on purpose: the EQL execution engine is built on it.
 * Every node carries its source span so errors and opaque predicates can quote the query.
 */
import type { Span } from '../elastic/position.js';

export type Literal = string | number | boolean | null;

export type Expr =
  /** `real`: a number written with a fraction or exponent (2.0): arithmetic on it stays real. */
  | { type: 'literal'; value: Literal; real?: boolean; span: Span }
  /** A field reference; `optional` for `?field` (missing fields are null, not an error). */
  | { type: 'field'; path: string[]; name: string; optional: boolean; span: Span }
  | { type: 'and' | 'or'; operands: Expr[]; span: Span }
  | { type: 'not'; operand: Expr; span: Span }
  /** ==, !=, <, <=, >, >=, and the legacy `=` (Python EQL equality). */
  | { type: 'compare'; op: CompareOp; left: Expr; right: Expr; span: Span }
  /**
   * `:` (case-insensitive equality or `*` wildcard match; `!:` negated), `like` / `like~` (wildcards
   * `*` and `?`), `regex` / `regex~`: the right side may be a list of alternatives.
   */
  | { type: 'match'; op: ':' | 'like' | 'regex'; insensitive: boolean; negated: boolean; left: Expr; patterns: Expr[]; span: Span }
  /** `in` / `in~` / `not in`. */
  | { type: 'in'; insensitive: boolean; negated: boolean; left: Expr; values: Expr[]; span: Span }
  /** Function call; `insensitive` for the `name~(...)` form. */
  | { type: 'call'; name: string; insensitive: boolean; args: Expr[]; span: Span }
  | { type: 'arith'; op: '+' | '-' | '*' | '/' | '%'; left: Expr; right: Expr; span: Span }
  | { type: 'neg'; operand: Expr; span: Span }
  /** Python EQL lineage: `descendant of [q]`, `child of [q]`, `event of [q]`. */
  | { type: 'lineage'; relation: 'descendant' | 'child' | 'event'; query: EventQuery; span: Span };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=';

export interface EventQuery {
  type: 'event';
  /** Event category as written (`any` matches every category). */
  category: string;
  categorySpan: Span;
  condition: Expr;
  span: Span;
}

/** One bracketed query of a sequence / sample / join. */
export interface SequenceItem {
  query: EventQuery;
  by: Expr[];
  /** `![ ... ]`: a missing event (the sequence matches when no such event occurs). */
  missing: boolean;
  /** `with runs=N`: the item repeats N times. */
  runs?: number;
  /** Python EQL item options such as `fork=true`. */
  params?: Record<string, Literal>;
  span: Span;
}

export interface TimeSpan {
  value: number;
  unit: string;
  /** Milliseconds (undefined for an unknown unit). */
  ms?: number;
  text: string;
}

export interface SequenceQuery {
  type: 'sequence';
  by: Expr[];
  maxspan?: TimeSpan;
  items: SequenceItem[];
  until?: SequenceItem;
  span: Span;
}

export interface SampleQuery {
  type: 'sample';
  by: Expr[];
  items: SequenceItem[];
  span: Span;
}

/** Python EQL `join`: like a sequence, without order. */
export interface JoinQuery {
  type: 'join';
  by: Expr[];
  items: SequenceItem[];
  until?: SequenceItem;
  span: Span;
}

export interface Pipe {
  /** head, tail, filter, unique, unique_count, count, sort, window... as written (lower-case). */
  name: string;
  args: Expr[];
  span: Span;
}

export interface EqlQuery {
  body: EventQuery | SequenceQuery | SampleQuery | JoinQuery;
  pipes: Pipe[];
  /** The query text the spans point into. */
  source: string;
}
