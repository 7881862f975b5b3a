/**
 * Ordered (sequence) and unordered (sample) multi-event detections, as EQL writes them. Each stage
 * has its own filter; join keys tie the stages' events together. The catalog stores a rule's stages
 * here (each stage's filter is a Detection tree, counted once per stage by the statistics), and the
 * EQL engine keeps the parsed expression of each stage next to it for evaluation.
 */
import type { Detection } from './predicate.js';

/** One join key: the source text of its expression (a field name, or a computed expression). */
export interface JoinKey {
  /** As written, without the `?` marker. */
  text: string;
  /** `?field`: a missing (null) value is a valid key value instead of excluding the event. */
  optional: boolean;
}

export interface SequenceStage {
  /** Event category the stage reads (`any` for every category). */
  category: string;
  /** The stage's own filter (category included), as a predicate tree. */
  detection: Detection;
  /** Keys of this stage after the shared ones (`[...] by a, b`). */
  by: JoinKey[];
  /** `![...]`: the sequence matches only when NO such event occurs at this place. */
  missing: boolean;
  /** `with runs=N`: the stage repeats N times (N consecutive matches). */
  runs?: number;
  /** The stage's query text as written (for display and for engines that evaluate it directly). */
  text?: string;
}

export interface Sequence {
  /** `sequence` (ordered in time) or `sample` (unordered, no time window). */
  kind: 'sequence' | 'sample';
  /** Join keys shared by every stage (`sequence by a, b`). */
  by: JoinKey[];
  /** `with maxspan=...`: the whole sequence fits in this window, first to last event, inclusive. */
  maxspanMs?: number;
  /** maxspan as written (5s, 1m...). */
  maxspan?: string;
  stages: SequenceStage[];
  /** `until [...]`: an event of this stage (same keys) ends the pending sequences it interrupts. */
  until?: SequenceStage;
}

/** The stages whose filters count toward statistics (missing and until stages test absence). */
export function positiveStages(s: Sequence): SequenceStage[] {
  return s.stages.filter((st) => !st.missing);
}

/**
 * The stages as one `or` tree, missing-event and until stages under `not` (the shape statistics
 * read: each child is one stage, counted once; tree paths 0.i follow the stages, the until stage
 * last). It says nothing of order, keys or window: engines read the Sequence itself.
 */
export function sequenceTree(s: Sequence): Detection {
  const children: Detection[] = s.stages.map((st) => (st.missing ? { kind: 'not', child: st.detection } : st.detection));
  if (s.until) children.push({ kind: 'not', child: s.until.detection });
  return { kind: 'or', children };
}

/** Every stage filter of a sequence, the until stage included, with a function to rebuild it. */
export function mapStages(s: Sequence, f: (d: Detection) => Detection): Sequence {
  return {
    ...s,
    stages: s.stages.map((st) => ({ ...st, detection: f(st.detection) })),
    ...(s.until ? { until: { ...s.until, detection: f(s.until.detection) } } : {}),
  };
}
