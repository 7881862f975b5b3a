/**
 * Pipeline -> one predicate tree: the filter conditions of every filtering stage (leading search,
 * tstats where, `search`, `where`, `regex`) AND-ed together in pipeline order. Conditions after an
 * aggregating command are kept and their origin says so (their fields may be computed). Subsearches
 * of other commands (join, append, map...) are lowered apart; an inner join's conditions are also an
 * and-branch of the tree. Conditions that cannot be read are `unknown` nodes.
 */
import type { Detection, Predicate } from '../../model/index.js';
import type { Pipeline } from './ast.js';
import { andOf, isTrue, LowerContext, notOf, type PredicateOrigin, type Unlowered } from './lower-context.js';
import { lowerEval } from './lower-eval.js';
import { lowerSearch } from './lower-search.js';
import { parsePipeline } from './parser.js';
import { regexValue } from './regex.js';
import { findSubsearches } from './subsearch.js';

/** Subsearches inside subsearches are lowered this deep; deeper ones are recorded, not lowered. */
const MAX_SUBSEARCH_DEPTH = 4;

/**
 * A subsearch of a command stage (join, append, map...): its conditions are on other events (the
 * joined or appended ones). Lowered on its own; only an inner join's conditions enter the rule's tree.
 */
export interface LoweredSubsearch {
  command: string;
  stage: number;
  /** [offset, end) in the parsed text, and the text itself. */
  offset: number;
  end: number;
  text: string;
  /** The subsearch's own predicate tree, when it parses and filters anything. */
  detection?: Detection;
  /**
   * The tree holds `detection` as an and-branch: an inner join keeps only the results that have a
   * match among the subsearch's events, so its conditions narrow what the rule reports (the join
   * itself, on its fields, is not modeled: the rule stays partial).
   */
  inTree: boolean;
  /** Why it was not lowered (a parse error, too deep). */
  error?: string;
}

/** Commands after which the events are statistics rows, not raw events. */
export const AGGREGATING = new Set(['stats', 'tstats', 'mstats', 'chart', 'timechart', 'top', 'rare', 'transaction', 'eventstats', 'streamstats', 'inputlookup', 'datamodel']);

export interface Lowered {
  /** Undefined when no stage filters anything. */
  detection?: Detection;
  origins: Map<import('../../model/index.js').Predicate, PredicateOrigin>;
  unlowered: Unlowered[];
  /** Data models named by tstats/from (Endpoint.Processes...). */
  datamodels: string[];
  /** Number of stages that carry a filter expression. */
  filterStages: number;
  /** Subsearches of command stages (join, append, appendpipe, map...), in order. */
  subsearches: LoweredSubsearch[];
}

export interface LowerOptions {
  /** Put the conditions of inner-join subsearches in the tree as and-branches (default true). */
  joinsInTree?: boolean;
}

/**
 * `source` is the parsed text (conditions that cannot be lowered are quoted from it). `depth` counts
 * the subsearches around this pipeline.
 */
export function lowerPipeline(p: Pipeline, macroAt?: (offset: number) => string | undefined, source = '', depth = 0, opts: LowerOptions = {}): Lowered {
  const ctx = new LowerContext(macroAt, source);
  const subsearches: LoweredSubsearch[] = [];
  /** Inner-join subsearch trees: and-branches of the rule's AND, each kept whole (not flattened into it). */
  const joins: Detection[] = [];
  const parts: Detection[] = [];
  const datamodels: string[] = [];
  let filterStages = 0;
  p.stages.forEach((s, k) => {
    ctx.stage = k;
    ctx.command = s.command;
    switch (s.kind) {
      case 'search':
        if (s.expr) {
          filterStages++;
          parts.push(lowerSearch(s.expr, ctx));
        }
        break;
      case 'where':
        filterStages++;
        parts.push(lowerEval(s.expr, ctx));
        break;
      case 'regex': {
        filterStages++;
        const r = regexValue(s.pattern);
        const pr = ctx.pred(s.field, 'regex_match', [r.value], r.flags, s.offset);
        parts.push(s.negated ? notOf(pr) : pr);
        break;
      }
      case 'tstats':
        if (s.datamodel) datamodels.push(s.datamodel);
        if (s.where) {
          filterStages++;
          parts.push(lowerSearch(s.where, ctx));
        }
        ctx.aggregated = true;
        break;
      case 'opaque': {
        const dm = /^from\s+datamodel(?:[:=]|\s+)\s*"?([\w.]+)/i.exec(s.text) ?? /^datamodel\s+(\w+)\s+(\w+)/i.exec(s.text);
        if (dm) datamodels.push(dm[2] ? `${dm[1]}.${dm[2]}` : dm[1]);
        if (AGGREGATING.has(s.command)) ctx.aggregated = true;
        for (const sub of findSubsearches(s.text, 0, s.text.length, s.command)) {
          const at = { command: s.command, stage: k, offset: s.offset + sub.offset, end: s.offset + sub.end, text: s.text.slice(sub.offset, sub.end) };
          const inTree = opts.joinsInTree !== false && s.command === 'join' && innerJoin(s.text.slice(0, sub.offset));
          const low = lowerSubsearch(sub.inner, sub.innerOffset < 0 ? -1 : s.offset + sub.innerOffset, { ...at, inTree }, macroAt, depth);
          subsearches.push(low.sub);
          if (inTree && low.sub.detection) {
            joins.push(low.sub.detection);
            for (const [pr, o] of low.origins) ctx.origins.set(pr, { ...o, stage: k, command: 'join', aggregated: ctx.aggregated, offset: at.offset });
          } else low.sub.inTree = false;
        }
        break;
      }
      case 'macro':
        break;
    }
  });
  const main = andOf(parts);
  const children = [...(isTrue(main) ? [] : main.kind === 'and' ? main.children : [main]), ...joins];
  const all: Detection = joins.length === 0 ? main : children.length === 1 ? children[0] : { kind: 'and', children };
  return {
    ...((parts.length || joins.length) && !isTrue(all) ? { detection: all } : {}),
    origins: ctx.origins,
    unlowered: ctx.unlowered,
    datamodels,
    filterStages,
    subsearches,
  };
}

function lowerSubsearch(
  inner: string, innerOffset: number, at: Omit<LoweredSubsearch, 'detection' | 'error'>,
  macroAt: ((offset: number) => string | undefined) | undefined, depth: number,
): { sub: LoweredSubsearch; origins: Map<Predicate, PredicateOrigin> } {
  const none = new Map<Predicate, PredicateOrigin>();
  if (depth >= MAX_SUBSEARCH_DEPTH) return { sub: { ...at, error: `subsearch nested deeper than ${MAX_SUBSEARCH_DEPTH} levels: not lowered` }, origins: none };
  const parsed = parsePipeline(inner);
  if (!parsed.pipeline) return { sub: { ...at, error: parsed.error?.message ?? 'does not parse' }, origins: none };
  const shift = innerOffset >= 0 && macroAt ? (o: number) => macroAt(o + innerOffset) : undefined;
  const low = lowerPipeline(parsed.pipeline, shift, inner, depth + 1, { joinsInTree: false });
  // unknown conditions or subsearches inside: the branch would not say what the subsearch filters
  const whole = low.unlowered.length === 0 && low.subsearches.length === 0;
  return { sub: { ...at, ...(low.detection && whole ? { detection: low.detection } : {}), ...(whole ? {} : { error: 'holds conditions that could not be lowered' }) }, origins: low.origins };
}

/** `join` options before the subsearch: type=inner (the default) keeps only matched results. */
function innerJoin(options: string): boolean {
  const t = /\btype\s*=\s*"?(\w+)/i.exec(options);
  return !t || t[1].toLowerCase() === 'inner';
}
