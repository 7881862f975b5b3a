/**
 * Search-language expressions -> predicate tree. Values compare case-insensitively
 * (flags.cased false) unless written with CASE(); `*` patterns become the simplest operator;
 * `field=*` is `exists`; `!=` on a literal is op 'ne', on a pattern a 'not' node; IN lists
 * become one any-of predicate per resulting operator.
 */
import type { Detection, Op, Predicate } from '../../model/index.js';
import type { SearchExpr, SearchValue } from './ast.js';
import { andOf, LowerContext, notOf, orOf, scalarOf, TRUE } from './lower-context.js';
import { classify, isMatchAll, splParts } from './wildcard.js';

const RANGE: Record<string, Op> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

export function lowerSearch(e: SearchExpr, ctx: LowerContext): Detection {
  switch (e.kind) {
    case 'and':
      return andOf(e.items.map((i) => lowerSearch(i, ctx)));
    case 'or':
      return orOf(e.items.map((i) => lowerSearch(i, ctx)));
    case 'not':
      return notOf(lowerSearch(e.item, ctx));
    case 'cmp':
      return lowerCmp(e, ctx);
    case 'in':
      return anyOf(e.field, e.values, false, e.offset, ctx);
    case 'term':
      return lowerTerm(e.value, e.cased, e.offset, ctx);
    case 'opaque':
      return lowerOpaque(e, ctx);
  }
}

/**
 * A subsearch or an unexpanded macro inside a search. A missing `<detection>_filter` macro is
 * `search *` by the corpus' convention: it filters nothing and is no loss.
 */
function lowerOpaque(e: Extract<SearchExpr, { kind: 'opaque' }>, ctx: LowerContext): Detection {
  if (e.what === 'macro') {
    if (/_filter`$/.test(e.text.trim())) return TRUE;
    return ctx.unknown(e.offset, 'macro-missing', `unexpanded macro ${e.text}`, undefined, e.text);
  }
  return ctx.unknown(e.offset, 'subsearch', 'a subsearch: its results are conditions the tree does not hold', undefined, e.text);
}

function valuePred(field: string, v: SearchValue, cased: boolean, offset: number, ctx: LowerContext): Predicate {
  const parts = splParts(v.text);
  if (isMatchAll(parts)) return ctx.pred(field, 'exists', [], {}, offset);
  const { op, value } = classify(parts);
  return ctx.pred(field, op, [op === 'eq' ? scalarOf(value, v.quoted) : value], { cased }, offset);
}

/** Search-time arguments written like field comparisons: they pick the time range, not events. */
export const TIME_MODIFIERS: ReadonlySet<string> = new Set([
  'earliest', 'latest', 'earliest_time', 'latest_time', 'starttime', 'endtime', 'starttimeu', 'endtimeu',
  'startdaysago', 'enddaysago', 'starthoursago', 'endhoursago', 'startminutesago', 'endminutesago',
  'daysago', 'hoursago', 'minutesago', 'searchtimespandays', 'searchtimespanhours', 'searchtimespanminutes', 'timeformat',
]);

function lowerCmp(e: Extract<SearchExpr, { kind: 'cmp' }>, ctx: LowerContext): Detection {
  if (TIME_MODIFIERS.has(e.field.toLowerCase())) return TRUE;
  if (e.op === '=') return valuePred(e.field, e.value, e.cased, e.offset, ctx);
  if (e.op === '!=') {
    const p = valuePred(e.field, e.value, e.cased, e.offset, ctx);
    if (p.op === 'eq') {
      p.op = 'ne';
      return p;
    }
    return notOf(p);
  }
  const n = Number(e.value.text);
  const value = e.value.text !== '' && Number.isFinite(n) ? n : e.value.text;
  return ctx.pred(e.field, RANGE[e.op], [value], {}, e.offset);
}

/** Several values of one field, any of which matches: one predicate per operator, OR-ed. */
export function anyOf(field: string, values: SearchValue[], cased: boolean, offset: number, ctx: LowerContext): Detection {
  const groups: Predicate[] = [];
  for (const v of values) {
    const p = valuePred(field, v, cased, v.offset, ctx);
    const same = groups.find((g) => g.op === p.op);
    if (same) {
      same.values.push(...p.values);
      ctx.origins.delete(p);
    } else groups.push(p);
  }
  if (!groups.length) return ctx.unknown(offset, 'unsupported-expression', 'empty IN list', undefined, `${field} IN ()`);
  return orOf(groups);
}

/** A field-less term: the raw event contains it. */
function lowerTerm(v: SearchValue, cased: boolean, offset: number, ctx: LowerContext): Detection {
  const parts = splParts(v.text);
  if (!parts.length || isMatchAll(parts)) return TRUE;
  const inner = parts.slice(parts[0].t === 'any' ? 1 : 0, parts[parts.length - 1].t === 'any' ? -1 : undefined);
  if (inner.length === 1 && inner[0].t === 'lit') return ctx.pred(null, 'contains', [inner[0].s], { cased }, offset);
  const { value } = classify([{ t: 'any' }, ...inner, { t: 'any' }]);
  return ctx.pred(null, 'wildcard', [value], { cased }, offset);
}
