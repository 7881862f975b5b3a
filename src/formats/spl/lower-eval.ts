/**
 * Eval-language (`where`) expressions -> predicate tree. Comparisons are case-sensitive
 * (flags.cased true) unless the field is wrapped in lower()/upper(); like() and LIKE patterns
 * become the simplest operator; match() is regex_match; in()/IN lists are any-of eq;
 * isnull/isnotnull are (not) exists; cidrmatch is cidr; searchmatch("...") is lowered as a
 * search. Anything else (computed values, other functions) is recorded as unlowered.
 */
import type { Detection, Op, Scalar } from '../../model/index.js';
import type { EvalExpr } from './ast.js';
import { Cursor } from './cursor.js';
import { tokenize } from './lexer.js';
import { andOf, LowerContext, notOf, orOf } from './lower-context.js';
import { lowerSearch } from './lower-search.js';
import { regexValue } from './regex.js';
import { parseSearchExpr } from './search-parser.js';
import { classify, likeParts } from './wildcard.js';

const CMP_OP: Record<string, Op> = { '=': 'eq', '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

interface FieldRef {
  name: string;
  /** Wrapped in lower()/upper(): compares case-insensitively. */
  folded: boolean;
}

function fieldRef(e: EvalExpr): FieldRef | undefined {
  if (e.kind === 'field') return { name: e.name, folded: false };
  if (e.kind === 'call' && (e.name === 'lower' || e.name === 'upper') && e.args.length === 1) {
    const inner = fieldRef(e.args[0]);
    return inner && { name: inner.name, folded: true };
  }
  return undefined;
}

function literal(e: EvalExpr): Scalar | undefined {
  if (e.kind === 'str') return e.value;
  if (e.kind === 'num') return e.value;
  if (e.kind === 'neg' && e.item.kind === 'num') return -e.item.value;
  if (e.kind === 'call' && e.args.length === 0 && (e.name === 'true' || e.name === 'false')) return e.name === 'true';
  if (e.kind === 'call' && e.args.length === 0 && e.name === 'null') return null;
  return undefined;
}

export function lowerEval(e: EvalExpr, ctx: LowerContext): Detection {
  switch (e.kind) {
    case 'and':
      return andOf([lowerEval(e.left, ctx), lowerEval(e.right, ctx)]);
    case 'or':
      return orOf([lowerEval(e.left, ctx), lowerEval(e.right, ctx)]);
    case 'not':
      return notOf(lowerEval(e.item, ctx));
    case 'cmp':
      return lowerCmp(e, ctx);
    case 'like':
      return lowerLike(e.left, e.pattern, e, ctx);
    case 'in':
      return lowerIn(e.left, e.list, e, ctx);
    case 'call':
      return lowerCall(e, ctx);
    default:
      return unknownOf(e, 'unsupported-expression', `${e.kind === 'opaque' ? 'a subsearch or unexpanded macro' : e.kind} used as a condition`, ctx);
  }
}

function lowerCmp(e: Extract<EvalExpr, { kind: 'cmp' }>, ctx: LowerContext): Detection {
  let left = e.left;
  let right = e.right;
  let op: string = e.op;
  if (!fieldRef(left) && fieldRef(right)) {
    [left, right] = [right, left];
    op = FLIP[op] ?? op;
  }
  const f = fieldRef(left);
  if (!f) return unknownOf(e, 'computed-comparison', 'comparison of a computed value', ctx);
  const value = literal(right);
  if (value !== undefined) {
    if (value === null) return op === '!=' ? ctx.pred(f.name, 'exists', [], {}, e.offset) : notOf(ctx.pred(f.name, 'exists', [], {}, e.offset));
    return ctx.pred(f.name, CMP_OP[op], [value], { cased: !f.folded }, e.offset);
  }
  const other = fieldRef(right);
  if (other && right.kind === 'field') return ctx.pred(f.name, CMP_OP[op], [other.name], { cased: !f.folded, fieldref: true }, e.offset);
  return unknownOf(e, 'computed-comparison', 'comparison with a computed value', ctx);
}

function lowerLike(target: EvalExpr, pattern: EvalExpr, whole: EvalExpr, ctx: LowerContext): Detection {
  const offset = whole.offset;
  const f = fieldRef(target);
  if (!f || pattern.kind !== 'str') return unknownOf(whole, 'computed-comparison', 'like() on a computed value or pattern', ctx);
  const { op, value } = classify(likeParts(pattern.value));
  return ctx.pred(f.name, op, [value], { cased: !f.folded }, offset);
}

function lowerIn(target: EvalExpr, list: EvalExpr[], whole: EvalExpr, ctx: LowerContext): Detection {
  const offset = whole.offset;
  const f = fieldRef(target);
  const values = list.map(literal);
  if (!f || !values.length || values.some((v) => v === undefined || v === null)) return unknownOf(whole, 'computed-comparison', 'in() over computed values', ctx);
  return ctx.pred(f.name, 'eq', values as Scalar[], { cased: !f.folded }, offset);
}

function lowerCall(e: Extract<EvalExpr, { kind: 'call' }>, ctx: LowerContext): Detection {
  const a = e.args;
  switch (e.name) {
    case 'like':
      if (a.length === 2) return lowerLike(a[0], a[1], e, ctx);
      break;
    case 'match': {
      const f = a.length === 2 ? fieldRef(a[0]) : undefined;
      if (f && a[1].kind === 'str') {
        const r = regexValue(a[1].value, f.folded);
        return ctx.pred(f.name, 'regex_match', [r.value], r.flags, e.offset);
      }
      break;
    }
    case 'in':
      if (a.length >= 2) return lowerIn(a[0], a.slice(1), e, ctx);
      break;
    case 'isnull':
    case 'isnotnull': {
      const f = a.length === 1 ? fieldRef(a[0]) : undefined;
      if (f) {
        const p = ctx.pred(f.name, 'exists', [], {}, e.offset);
        return e.name === 'isnull' ? notOf(p) : p;
      }
      break;
    }
    case 'cidrmatch': {
      const f = a.length === 2 ? fieldRef(a[1]) : undefined;
      if (f && a[0].kind === 'str') return ctx.pred(f.name, 'cidr', [a[0].value], {}, e.offset);
      break;
    }
    case 'searchmatch':
      if (a.length === 1 && a[0].kind === 'str') return lowerSearchmatch(a[0].value, e, ctx);
      break;
  }
  return unknownOf(e, 'unsupported-function', `function ${e.name}()`, ctx);
}

function lowerSearchmatch(text: string, call: EvalExpr, ctx: LowerContext): Detection {
  const offset = call.offset;
  try {
    const expr = parseSearchExpr(new Cursor(tokenize(text, 0, text.length, 'search')));
    if (!expr) return unknownOf(call, 'unsupported-expression', 'empty searchmatch()', ctx);
    // Offsets inside the string are not offsets of the query: attribute everything to the call.
    return lowerSearch(relocate(expr, offset), ctx);
  } catch {
    return unknownOf(call, 'unsupported-expression', 'searchmatch() with a search that does not parse', ctx);
  }
}

/** The unknown node of an expression the lowering cannot read, quoting its text. */
function unknownOf(e: EvalExpr, reason: string, what: string, ctx: LowerContext): Detection {
  return ctx.unknown(e.span?.[0] ?? e.offset, reason, what, e.span?.[1]);
}

function relocate<T extends object>(e: T, offset: number): T {
  return JSON.parse(JSON.stringify(e), (k, v) => (k === 'offset' ? offset : v)) as T;
}
