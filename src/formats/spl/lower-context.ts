/**
 * State shared by the lowering passes: where each predicate came from (stage, command, macro,
 * whether it filters aggregated results) and the conditions that could not be lowered (each one
 * an `unknown` node in the tree, with its text, and an entry in `unlowered`).
 */
import { unknown, type Detection, type Op, type Predicate, type PredicateFlags, type Scalar } from '../../model/index.js';

export interface PredicateOrigin {
  /** Index of the pipeline stage. */
  stage: number;
  command: string;
  /** The outermost macro whose expansion produced the predicate. */
  macro?: string;
  /** The stage comes after an aggregating command (stats, tstats...): fields may be computed. */
  aggregated: boolean;
  /** Offset in the expanded query. */
  offset: number;
}

export interface Unlowered {
  stage: number;
  command: string;
  offset: number;
  what: string;
  /** Short category: computed-comparison, unsupported-function, subsearch, macro-missing, unsupported-expression. */
  reason: string;
  /** The condition as written (a slice of the parsed, macro-expanded text). */
  text: string;
}

export class LowerContext {
  readonly origins = new Map<Predicate, PredicateOrigin>();
  readonly unlowered: Unlowered[] = [];
  stage = 0;
  command = 'search';
  aggregated = false;

  constructor(
    private readonly macroAt: (offset: number) => string | undefined = () => undefined,
    /** The parsed text, to quote conditions that cannot be lowered. */
    private readonly source = '',
  ) {}

  pred(field: string | null, op: Op, values: Scalar[], flags: PredicateFlags, offset: number): Predicate {
    const p: Predicate = { kind: 'pred', field, authoredField: field, op, values, flags };
    const macro = this.macroAt(offset);
    this.origins.set(p, { stage: this.stage, command: this.command, ...(macro ? { macro } : {}), aggregated: this.aggregated, offset });
    return p;
  }

  /**
   * A condition the lowering cannot read: an `unknown` node (never `true`: under a NOT that would
   * make the rule match nothing), recorded in `unlowered`. `end` bounds its text in the source;
   * `text` is used when the condition's text is known otherwise.
   */
  unknown(offset: number, reason: string, what: string, end?: number, text?: string): Detection {
    const quoted = text ?? (end !== undefined && end > offset ? this.source.slice(offset, end) : this.source.slice(offset, offset + 80).split(/[|\n]/)[0]).trim();
    this.unlowered.push({ stage: this.stage, command: this.command, offset, what, reason, text: quoted });
    return unknown(quoted, what);
  }
}

export const TRUE: Detection = { kind: 'const', value: true };

export function isTrue(d: Detection): boolean {
  return d.kind === 'const' && d.value;
}

/** AND that drops `true` children and flattens nested ANDs. */
export function andOf(children: Detection[]): Detection {
  const kept: Detection[] = [];
  for (const c of children) {
    if (isTrue(c)) continue;
    if (c.kind === 'and') kept.push(...c.children);
    else kept.push(c);
  }
  if (!kept.length) return TRUE;
  return kept.length === 1 ? kept[0] : { kind: 'and', children: kept };
}

/** OR that flattens nested ORs (a `true` child is kept: dropping it would narrow the rule). */
export function orOf(children: Detection[]): Detection {
  const kept: Detection[] = [];
  for (const c of children) {
    if (c.kind === 'or') kept.push(...c.children);
    else kept.push(c);
  }
  return kept.length === 1 ? kept[0] : { kind: 'or', children: kept };
}

export function notOf(child: Detection): Detection {
  return { kind: 'not', child };
}

/** Unquoted decimal integers become numbers (EventCode=4688); everything else stays a string. */
export function scalarOf(text: string, quoted: boolean): Scalar {
  if (!quoted && /^-?(0|[1-9]\d{0,14})$/.test(text)) return Number(text);
  return text;
}
