/**
 * Pipeline -> one predicate tree: the filter conditions of every filtering stage (leading search,
 * tstats where, `search`, `where`, `regex`) AND-ed together in pipeline order. Conditions after an
 * aggregating command are kept and their origin says so (their fields may be computed).
 */
import type { Detection } from '../../model/index.js';
import type { Pipeline } from './ast.js';
import { andOf, isTrue, LowerContext, notOf, type PredicateOrigin, type Unlowered } from './lower-context.js';
import { lowerEval } from './lower-eval.js';
import { lowerSearch } from './lower-search.js';
import { regexValue } from './regex.js';

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
}

export function lowerPipeline(p: Pipeline, macroAt?: (offset: number) => string | undefined): Lowered {
  const ctx = new LowerContext(macroAt);
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
        break;
      }
      case 'macro':
        break;
    }
  });
  const all = andOf(parts);
  return {
    ...(parts.length && !isTrue(all) ? { detection: all } : {}),
    origins: ctx.origins,
    unlowered: ctx.unlowered,
    datamodels,
    filterStages,
  };
}
