import type { Detection, Op, Scalar } from '../../model/index.js';
import { and, not, or, pred } from '../../model/index.js';
import { classifyPattern, flagsFor, groupedPredicates, patternParts } from '../elastic/pattern.js';
import type { OpValue } from '../elastic/pattern.js';
import { parse as parseKql } from '../kql/parser.js';
import { lowerKql } from '../kql/lower.js';
import type { EsqlExpr, EsqlQuery } from './ast.js';

/**
 * Lowers an ES|QL pipeline to the model.
 * - The WHERE commands that come before the first aggregation (`stats`, `inline stats`) filter
 *   events: they are and-ed into the detection. WHEREs after an aggregation test aggregated values:
 *   they are kept as text in `aggregateWhere`, not as predicates.
 * - ES|QL compares strings case-sensitively (flags.cased: true) except through to_lower/to_upper:
 *   `to_lower(f) == "x"` is a case-insensitive test of f (flags.cased: false).
 * - `like` (wildcards `*` `?`, backslash escapes) picks starts_with/ends_with/contains/wildcard;
 *   `rlike` is regex_match (whole-value, Lucene syntax); `in` is one `eq` with several values;
 *   `is not null` is exists, `is null` not(exists); `!=` is `ne`.
 * - starts_with / ends_with / contains (f, "x"), cidr_match(f, ...), mv_contains(f, "x") (eq) become
 *   predicates; with a field as second argument they carry flags.fieldref. `KQL("...")` is parsed
 *   and lowered as KQL. Full-text `f : "x"` and match(f, "x") are approximated as case-insensitive
 *   `contains`. Type conversions (to_string, to_ip, ::type) are looked through. Anything else is
 *   an opaque predicate whose field is the expression's source text (see the EQL lowering).
 */
export interface EsqlLowering {
  detection?: Detection;
  indices: string[];
  commands: { name: string; text: string }[];
  aggregateWhere: string[];
}

/** Type conversions that keep a field's identity for the catalog. */
const CONVERSIONS = new Set(['to_string', 'to_str', 'to_ip', 'to_integer', 'to_int', 'to_long', 'to_double', 'to_dbl', 'to_boolean', 'to_bool', 'to_keyword', 'to_version', 'to_datetime', 'to_unsigned_long']);
const AGGREGATIONS = new Set(['stats', 'inline stats', 'inlinestats']);
const FIELD_FUNCTIONS: Record<string, Op> = { starts_with: 'starts_with', ends_with: 'ends_with', contains: 'contains' };
const ORDER: Record<string, Op> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

export function lowerEsql(q: EsqlQuery): EsqlLowering {
  const lw = new Lowerer(q.source);
  const filters: Detection[] = [];
  const aggregateWhere: string[] = [];
  let aggregated = false;
  for (const c of q.commands) {
    if (AGGREGATIONS.has(c.name)) aggregated = true;
    if (c.name !== 'where' || !c.condition) continue;
    if (aggregated) aggregateWhere.push(c.body.replace(/\s+/g, ' '));
    else filters.push(lw.expr(c.condition));
  }
  return {
    detection: filters.length ? and(filters) : undefined,
    indices: q.commands.filter((c) => c.name === 'from').flatMap((c) => c.indices ?? []),
    commands: q.commands.map((c) => ({ name: c.name, text: c.body.replace(/\s+/g, ' ') })),
    aggregateWhere,
  };
}

type Lit = Extract<EsqlExpr, { type: 'literal' }>;

class Lowerer {
  constructor(private readonly source: string) {}

  private text(e: EsqlExpr): string {
    return this.source.slice(e.span.offset, e.span.end).replace(/\s+/g, ' ').trim();
  }

  private opaque(e: EsqlExpr): Detection {
    const t = this.text(e);
    return pred(t, 'eq', [true], {}, t);
  }

  /**
   * The tested field and whether case is folded: to_lower / to_upper fold case; type conversions
   * (to_string, to_ip, to_integer... and `::type` casts) are looked through.
   */
  private target(e: EsqlExpr): { field: string; folded: boolean } | undefined {
    if (e.type === 'field') return { field: e.name, folded: false };
    if (e.type === 'call' && e.args.length === 1) {
      const inner = this.target(e.args[0]);
      if (inner && e.args[0].type !== 'literal' && !inner.field.includes('(')) {
        if (e.name === 'to_lower' || e.name === 'to_upper') return { field: inner.field, folded: true };
        if (CONVERSIONS.has(e.name)) return inner;
      }
    }
    if (e.type === 'cast') {
      const inner = this.target(e.operand);
      if (inner && !inner.field.includes('(')) return inner;
    }
    if (e.type === 'literal') return undefined;
    return { field: this.text(e), folded: false };
  }

  expr(e: EsqlExpr): Detection {
    switch (e.type) {
      case 'and':
        return and(e.operands.map((o) => this.expr(o)));
      case 'or':
        return or(e.operands.map((o) => this.expr(o)));
      case 'not':
        return not(this.expr(e.operand));
      case 'literal':
        return typeof e.value === 'boolean' ? { kind: 'const', value: e.value } : this.opaque(e);
      case 'field':
        return pred(e.name, 'eq', [true]);
      case 'isnull': {
        const t = this.target(e.operand);
        if (!t) return this.opaque(e);
        const d = pred(t.field, 'exists', []);
        return e.negated ? d : not(d);
      }
      case 'compare':
        return this.compare(e);
      case 'pattern':
        return this.pattern(e);
      case 'in': {
        const t = this.target(e.left);
        if (!t || e.values.some((v) => v.type !== 'literal')) return this.opaque(e);
        const values = e.values.map((v) => (v as Lit).value);
        const d = pred(t.field, 'eq', values, flagsFor('eq', values, { cased: !t.folded }));
        return e.negated ? not(d) : d;
      }
      case 'call':
        return this.call(e);
      case 'match': {
        // `field : "text"`: full-text match, approximated as a case-insensitive contains.
        const t = this.target(e.left);
        if (!t || e.right.type !== 'literal' || typeof e.right.value !== 'string') return this.opaque(e);
        return pred(t.field, 'contains', [e.right.value], { cased: false });
      }
      default:
        return this.opaque(e);
    }
  }

  private compare(e: Extract<EsqlExpr, { type: 'compare' }>): Detection {
    let { left, right } = e;
    let op: string = e.op;
    if (left.type === 'literal' && right.type !== 'literal') {
      [left, right] = [right, left];
      op = FLIP[op];
    }
    if (left.type === 'field' && right.type === 'field') {
      return pred(left.name, op === '==' ? 'eq' : op === '!=' ? 'ne' : ORDER[op], [right.name], { fieldref: true });
    }
    const t = this.target(left);
    if (!t || right.type !== 'literal' || right.value === null) return this.opaque(e);
    const values: Scalar[] = [right.value];
    const m: Op = op === '==' ? 'eq' : op === '!=' ? 'ne' : ORDER[op];
    return pred(t.field, m, values, flagsFor(m, values, { cased: !t.folded }));
  }

  private pattern(e: Extract<EsqlExpr, { type: 'pattern' }>): Detection {
    const t = this.target(e.left);
    if (!t || e.patterns.some((p) => p.type !== 'literal' || typeof p.value !== 'string')) return this.opaque(e);
    const values = e.patterns.map((p) => (p as Lit).value as string);
    let d: Detection;
    if (e.op === 'rlike') d = pred(t.field, 'regex_match', values, t.folded ? { cased: false } : { cased: true });
    else {
      const items: OpValue[] = values.map((v) => classifyPattern(patternParts(v, '*?', true)));
      d = groupedPredicates(t.field, items, { cased: !t.folded });
    }
    return e.negated ? not(d) : d;
  }

  private call(e: Extract<EsqlExpr, { type: 'call' }>): Detection {
    if (e.name === 'kql' && e.args.length === 1 && e.args[0].type === 'literal' && typeof e.args[0].value === 'string') {
      const k = parseKql(e.args[0].value);
      return k.ok ? lowerKql(k.value) : this.opaque(e);
    }
    const [first, ...rest] = e.args;
    const second = rest[0];
    if (first && second?.type === 'field' && rest.length === 1 && FIELD_FUNCTIONS[e.name]) {
      const t = this.target(first);
      if (t) return pred(t.field, FIELD_FUNCTIONS[e.name], [second.name], { fieldref: true, cased: !t.folded });
    }
    const t = first ? this.target(first) : undefined;
    const literals = rest.filter((a) => a.type !== 'map');
    if (!t || literals.length === 0 || literals.some((a) => a.type !== 'literal' || typeof a.value !== 'string')) return this.opaque(e);
    const values = literals.map((a) => (a as Lit).value as string);
    if (e.name === 'starts_with') return pred(t.field, 'starts_with', values, { cased: !t.folded });
    if (e.name === 'ends_with') return pred(t.field, 'ends_with', values, { cased: !t.folded });
    if (e.name === 'cidr_match') return pred(t.field, 'cidr', values);
    if (e.name === 'contains' && values.length === 1) return pred(t.field, 'contains', values, { cased: !t.folded });
    if (e.name === 'mv_contains' && values.length === 1) return pred(t.field, 'eq', values, { cased: !t.folded });
    // Full-text match: approximated as a case-insensitive contains (exact on keyword fields).
    if (e.name === 'match' && values.length === 1 && rest.length <= 2) return pred(t.field, 'contains', values, { cased: false });
    return this.opaque(e);
  }
}
