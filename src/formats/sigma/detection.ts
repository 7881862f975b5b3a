/** The `detection` section: named search identifiers, then the condition that combines them. */
import { type Detection, and, or } from '../../model/index.js';
import { compileItem, type ItemContext } from './detection-item.js';
import { parseCondition, splitAggregation } from './condition.js';
import { SigmaError } from './errors.js';

/** One search identifier: a map (AND of items), a list of maps (OR), or a list of keywords (OR). */
export function compileSearch(name: string, body: unknown, ctx: ItemContext): Detection {
  if (body === null || body === undefined) throw new SigmaError('invalid-detection', `search identifier '${name}' is empty`);
  if (Array.isArray(body)) {
    if (body.length === 0) throw new SigmaError('invalid-detection', `search identifier '${name}' is an empty list`);
    if (body.every((b) => b !== null && typeof b === 'object' && !Array.isArray(b))) {
      return or(body.map((m) => compileMap(name, m as Record<string, unknown>, ctx)));
    }
    if (body.every((b) => b === null || typeof b !== 'object')) return compileItem(null, body, ctx);
    throw new SigmaError('invalid-detection', `search identifier '${name}' mixes maps and plain values`);
  }
  if (typeof body === 'object') return compileMap(name, body as Record<string, unknown>, ctx);
  return compileItem(null, body, ctx);
}

function compileMap(name: string, map: Record<string, unknown>, ctx: ItemContext): Detection {
  const entries = Object.entries(map);
  if (entries.length === 0) throw new SigmaError('invalid-detection', `search identifier '${name}' is an empty map`);
  return and(entries.map(([k, v]) => compileItem(k, v, ctx)));
}

/**
 * All search identifiers and the condition (a string or a list of strings, OR-ed). With
 * `ctx.lenient` (catalog use), Sigma 1 aggregations and timeframes are kept in `ctx.aggregations`
 * instead of failing the rule, since their selections are still worth counting.
 */
export function compileDetection(detection: unknown, ctx: ItemContext & { lenient?: boolean; aggregations?: string[] }): Detection {
  if (!detection || typeof detection !== 'object' || Array.isArray(detection)) {
    throw new SigmaError('invalid-detection', "'detection' must be a map");
  }
  const d = detection as Record<string, unknown>;
  const cond = d.condition;
  if (cond === undefined) throw new SigmaError('invalid-detection', "'detection' has no 'condition'");
  const ids = new Map<string, Detection>();
  for (const [name, body] of Object.entries(d)) {
    if (name === 'condition' || name === 'timeframe') continue;
    ids.set(name, compileSearch(name, body, ctx));
  }
  const conds = Array.isArray(cond) ? cond : [cond];
  if (conds.length === 0 || conds.some((c) => typeof c !== 'string')) {
    throw new SigmaError('invalid-detection', "'condition' must be a string or a list of strings");
  }
  if (d.timeframe !== undefined && !ctx.lenient) {
    throw new SigmaError('unsupported', "'timeframe' with an aggregation is Sigma 1 syntax: use a correlation rule");
  }
  return or((conds as string[]).map((c) => {
    const { boolean, aggregation } = splitAggregation(c);
    if (aggregation !== undefined) {
      if (!ctx.lenient) {
        throw new SigmaError('unsupported', `aggregation '| ${aggregation}' is Sigma 1 syntax: use a correlation rule`);
      }
      ctx.aggregations?.push(aggregation);
    }
    return parseCondition(boolean, ids);
  }));
}

