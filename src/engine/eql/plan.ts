/**
 * The executable form of an EQL query (output of analyze.ts, input of the executors): stages with
 * compiled filters and join keys, the sequence window, and the pipes. No AST past this point.
 */
import type { Eval } from './compile-expr.js';
import type { Doc } from './values.js';

export interface StagePlan {
  /** Event category, or null for `any`. */
  category: string | null;
  /** The stage's condition (without the category test). */
  filter: (doc: Doc) => boolean;
  /** Join keys: the shared `by` keys first, then the stage's own. */
  keys: Eval[];
  /** Per key: `?field` (a null value is a valid key value). */
  optional: boolean[];
  /** `![...]` stage. */
  missing: boolean;
  /** Source text of the stage (for messages). */
  text: string;
}

export type PipePlan = { kind: 'head' | 'tail'; n: number } | { kind: 'filter'; test: (doc: Doc) => boolean };

export type QueryPlan =
  | { kind: 'event'; stage: StagePlan; pipes: PipePlan[] }
  /** Stages in order, `with runs=N` already expanded into N stages. */
  | { kind: 'sequence'; stages: StagePlan[]; maxspanMs?: number; until?: StagePlan; pipes: PipePlan[] }
  | { kind: 'sample'; stages: StagePlan[]; pipes: PipePlan[] };

/** One event as the executors see it. */
export interface EqlEvent {
  doc: Doc;
  /** Milliseconds since the epoch (NaN when unknown: maxspan then never holds). */
  ts: number;
  /** Position in the input order (the tiebreaker). */
  seq: number;
}

/** One result: an event (event queries) or the events of a sequence / sample, with its join key. */
export interface EqlMatch<E extends EqlEvent = EqlEvent> {
  events: E[];
  key?: unknown[];
}
