import type { Detection, Loss, Op, Scalar } from '../../model/index.js';
import { and, not, or, pred } from '../../model/index.js';
import { LossLog } from '../elastic/losses.js';
import { luceneRegexValues } from '../elastic/lucene-regex.js';
import { classifyPattern, flagsFor, groupedPredicates, patternParts } from '../elastic/pattern.js';
import type { OpValue } from '../elastic/pattern.js';
import { parse as parseKql } from '../kql/parser.js';
import { lowerKql } from '../kql/lower.js';
import type { EsqlExpr, EsqlQuery } from './ast.js';
import { definedFields, evalAssignments } from './defined-fields.js';
import { parse as parseEsql } from './parser.js';

/**
 * Lowers an ES|QL pipeline to the model.
 * - The WHERE commands that come before the first `stats` filter events: they are and-ed into the
 *   detection (after `inline stats` too: rows are still events; its aggregate columns are computed
 *   fields). WHEREs after `stats` test groups, not events: they are kept as text in
 *   `aggregateWhere` (rule.extra.esql.aggregate_where), like a threshold rule's threshold.
 * - ES|QL compares strings case-sensitively (flags.cased: true) except through to_lower/to_upper:
 *   `to_lower(f) == "x"` is a case-insensitive test of f (flags.cased: false).
 * - `like` (wildcards `*` `?`, backslash escapes) picks starts_with/ends_with/contains/wildcard;
 *   `rlike` is regex_match: Lucene syntax matching the whole value, stored as anchored RE2
 *   (elastic/lucene-regex.ts); `in` is one `eq` with several values;
 *   `is not null` is exists, `is null` not(exists); `!=` is `ne`.
 * - starts_with / ends_with / contains (f, "x"), cidr_match(f, ...), mv_contains(f, "x") (eq) become
 *   predicates; with a field as second argument they carry flags.fieldref. `KQL("...")` is parsed
 *   and lowered as KQL. Full-text `f : "x"` and match(f, "x") are approximated as case-insensitive
 *   `contains` (and recorded as losses: an approximation). Type conversions (to_string, to_ip,
 *   ::type) are looked through.
 * - A WHERE on a field that an earlier EVAL / RENAME / DISSECT / GROK / ENRICH computed tests a
 *   computed value: unknown. Anything else that is not a (field, op, literal) test is an `unknown`
 *   node quoting the query, with a loss.
 */
export interface EsqlLowering {
  detection?: Detection;
  indices: string[];
  commands: { name: string; text: string }[];
  aggregateWhere: string[];
  losses: Loss[];
}

/** Type conversions that keep a field's identity for the catalog. */
const CONVERSIONS = new Set(['to_string', 'to_str', 'to_ip', 'to_integer', 'to_int', 'to_long', 'to_double', 'to_dbl', 'to_boolean', 'to_bool', 'to_keyword', 'to_version', 'to_datetime', 'to_unsigned_long']);
/** `stats` turns events into groups; `inline stats` keeps the events and adds aggregate columns. */
const GROUPING = new Set(['stats']);
const INLINE = new Set(['inline stats', 'inlinestats']);
const FIELD_FUNCTIONS: Record<string, Op> = { starts_with: 'starts_with', ends_with: 'ends_with', contains: 'contains' };
const ORDER: Record<string, Op> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

export function lowerEsql(q: EsqlQuery): EsqlLowering {
  const lw = new Lowerer(q.source);
  const filters: Detection[] = [];
  const aggregateWhere: string[] = [];
  let grouped = false;
  for (const c of q.commands) {
    if (GROUPING.has(c.name)) grouped = true;
    if (c.name === 'eval') lw.evalCommand(c.body);
    else {
      const defined = INLINE.has(c.name) ? definedFields('eval', c.body.replace(/\bby\b[\s\S]*$/i, '')) : definedFields(c.name, c.body);
      for (const f of defined) lw.define(f);
    }
    if (c.name !== 'where' || !c.condition) continue;
    if (grouped) aggregateWhere.push(c.body.replace(/\s+/g, ' '));
    // After `inline stats` the rows are still events: event-field tests filter them; tests of
    // aggregate columns are computed values (unknown, with a loss).
    else filters.push(lw.expr(c.condition));
  }
  return {
    detection: filters.length ? and(filters) : undefined,
    indices: q.commands.filter((c) => c.name === 'from').flatMap((c) => c.indices ?? []),
    commands: q.commands.map((c) => ({ name: c.name, text: c.body.replace(/\s+/g, ' ') })),
    aggregateWhere,
    losses: lw.log.losses,
  };
}

type Lit = Extract<EsqlExpr, { type: 'literal' }>;

class Lowerer {
  readonly log: LossLog;
  /** Fields created by earlier commands (EVAL...): not event fields. */
  readonly computedFields = new Set<string>();
  /** EVAL names that only rename or case-fold a field (`eval x = to_lower(f)`): tests of x test f. */
  private readonly aliases = new Map<string, { field: string; folded?: 'lower' | 'upper' }>();

  define(name: string): void {
    this.computedFields.add(name);
    this.aliases.delete(name);
  }

  /** EVAL: an alias when the expression is a field, a conversion or a case fold of one; else computed. */
  evalCommand(body: string): void {
    for (const { name, expr } of evalAssignments(body)) {
      const q = parseEsql(`from x | where ${expr}`);
      const cond = q.ok ? q.value.commands[1]?.condition : undefined;
      const t = cond ? this.target(cond) : undefined;
      if (t) {
        this.computedFields.delete(name);
        this.aliases.set(name, t);
      } else this.define(name);
    }
  }

  constructor(private readonly source: string) {
    this.log = new LossLog(source);
  }

  private lost(e: EsqlExpr, reason: string, detail: string): Detection {
    return this.log.unknownAt(e.span.offset, e.span.end, reason, detail);
  }

  private computed(e: EsqlExpr): Detection {
    return this.lost(e, 'computed-expression', 'a test of a computed value (function, arithmetic or a field an earlier command computed), not of an event field');
  }

  /**
   * The tested field and whether case is folded: to_lower / to_upper fold case; type conversions
   * (to_string, to_ip, to_integer... and `::type` casts) are looked through.
   */
  private target(e: EsqlExpr): { field: string; folded?: 'lower' | 'upper' } | undefined {
    if (e.type === 'field') {
      const alias = this.aliases.get(e.name);
      if (alias) return alias;
      return this.computedFields.has(e.name) ? undefined : { field: e.name };
    }
    if (e.type === 'call' && e.args.length === 1) {
      const inner = this.target(e.args[0]);
      if (inner && !inner.folded) {
        if (e.name === 'to_lower') return { field: inner.field, folded: 'lower' };
        if (e.name === 'to_upper') return { field: inner.field, folded: 'upper' };
        if (CONVERSIONS.has(e.name)) return inner;
      }
    }
    if (e.type === 'cast') return this.target(e.operand);
    return undefined;
  }

  /**
   * Values compared to a case-folded field: to_lower(f) == "abc" is a case-insensitive test of f, but
   * to_lower(f) == "Abc" never matches (a value with letters of the other case).
   */
  private foldedOk(folded: 'lower' | 'upper' | undefined, values: string[]): boolean {
    if (!folded) return true;
    return values.every((v) => (folded === 'lower' ? v === v.toLowerCase() : v === v.toUpperCase()));
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
        return typeof e.value === 'boolean' ? { kind: 'const', value: e.value } : this.lost(e, 'non-boolean-condition', 'a literal used as a condition');
      case 'field':
        return this.computedFields.has(e.name) ? this.computed(e) : pred(e.name, 'eq', [true]);
      case 'isnull': {
        const t = this.target(e.operand);
        if (!t) return this.computed(e);
        const d = pred(t.field, 'exists', []);
        return e.negated ? d : not(d);
      }
      case 'compare':
        return this.compare(e);
      case 'pattern':
        return this.pattern(e);
      case 'in': {
        const t = this.target(e.left);
        if (!t) return this.computed(e);
        if (e.values.some((v) => v.type !== 'literal')) return this.lost(e, 'non-literal-operand', 'an IN list with a value that is not a literal');
        const values = e.values.map((v) => (v as Lit).value);
        if (!this.foldedOk(t.folded, values.filter((v): v is string => typeof v === 'string'))) return this.lost(e, 'case-folded-mismatch', 'a case-folded field compared to a value with letters of the other case');
        const d = pred(t.field, 'eq', values, flagsFor('eq', values, { cased: !t.folded }));
        return e.negated ? not(d) : d;
      }
      case 'call':
        return this.call(e);
      case 'match': {
        // `field : "text"`: full-text match, approximated as a case-insensitive contains.
        const t = this.target(e.left);
        if (!t) return this.computed(e);
        if (e.right.type !== 'literal' || typeof e.right.value !== 'string') return this.lost(e, 'non-literal-operand', 'a full-text match of a value that is not a string literal');
        this.log.note(e.span.offset, e.span.end, 'approximation', 'full-text match approximated as a case-insensitive contains');
        return pred(t.field, 'contains', [e.right.value], { cased: false });
      }
      default:
        return this.computed(e);
    }
  }

  private compare(e: Extract<EsqlExpr, { type: 'compare' }>): Detection {
    let { left, right } = e;
    let op: string = e.op;
    if (left.type === 'literal' && right.type !== 'literal') {
      [left, right] = [right, left];
      op = FLIP[op];
    }
    const lt = this.target(left);
    const rt = right.type === 'literal' ? undefined : this.target(right);
    if (lt && rt && lt.folded === rt.folded) {
      // to_lower(a) == to_lower(b) compares the two fields case-insensitively.
      return pred(lt.field, op === '==' ? 'eq' : op === '!=' ? 'ne' : ORDER[op], [rt.field], { fieldref: true, cased: !lt.folded });
    }
    const t = lt;
    if (!t) return this.computed(e);
    if (right.type !== 'literal') return this.lost(e, 'computed-expression', 'a comparison with a computed value');
    if (right.value === null) return this.lost(e, 'null-comparison', 'a comparison with null (always null in ES|QL)');
    const values: Scalar[] = [right.value];
    if (!this.foldedOk(t.folded, typeof right.value === 'string' ? [right.value] : [])) return this.lost(e, 'case-folded-mismatch', 'a case-folded field compared to a value with letters of the other case');
    const m: Op = op === '==' ? 'eq' : op === '!=' ? 'ne' : ORDER[op];
    return pred(t.field, m, values, flagsFor(m, values, { cased: !t.folded }));
  }

  private pattern(e: Extract<EsqlExpr, { type: 'pattern' }>): Detection {
    const t = this.target(e.left);
    if (!t) return this.computed(e);
    if (e.patterns.some((p) => p.type !== 'literal' || typeof p.value !== 'string')) return this.lost(e, 'non-literal-operand', 'a pattern that is not a string literal');
    const values = e.patterns.map((p) => (p as Lit).value as string);
    if (!this.foldedOk(t.folded, values.map((v) => v.replace(/\\./g, '')))) return this.lost(e, 'case-folded-mismatch', 'a case-folded field matched against a pattern with letters of the other case');
    let d: Detection;
    if (e.op === 'rlike') {
      const r = luceneRegexValues(values, !!t.folded);
      if (!r.ok) return this.lost(e, 'regex-syntax', r.reason);
      d = pred(t.field, 'regex_match', r.values, { cased: !t.folded, ...(r.flags ? { regexFlags: r.flags } : {}) });
      d.authoredValues = values;
    } else {
      const items: OpValue[] = values.map((v) => classifyPattern(patternParts(v, '*?', true)));
      d = groupedPredicates(t.field, items, { cased: !t.folded });
    }
    return e.negated ? not(d) : d;
  }

  private call(e: Extract<EsqlExpr, { type: 'call' }>): Detection {
    if (e.name === 'kql' && e.args.length === 1 && e.args[0].type === 'literal' && typeof e.args[0].value === 'string') {
      const k = parseKql(e.args[0].value);
      if (!k.ok) return this.lost(e, 'embedded-kql', `the KQL() query does not parse: ${k.error.message}`);
      const inner = new LossLog(e.args[0].value, e.args[0].span.offset + 1);
      const d = lowerKql(k.value, inner);
      this.log.losses.push(...inner.losses);
      return d;
    }
    const [first, ...rest] = e.args;
    const second = rest[0];
    if (first && second && second.type !== 'literal' && rest.length === 1 && FIELD_FUNCTIONS[e.name]) {
      const t = this.target(first);
      const u = this.target(second);
      if (t && u && t.folded === u.folded) return pred(t.field, FIELD_FUNCTIONS[e.name], [u.field], { fieldref: true, cased: !t.folded });
      return this.computed(e);
    }
    const known = ['starts_with', 'ends_with', 'cidr_match', 'contains', 'mv_contains', 'match'];
    if (!known.includes(e.name)) return this.lost(e, 'unsupported-function', `function ${e.name}() has no predicate form`);
    const t = first ? this.target(first) : undefined;
    if (!t) return this.computed(e);
    const literals = rest.filter((a) => a.type !== 'map');
    if (literals.length === 0 || literals.some((a) => a.type !== 'literal' || typeof a.value !== 'string')) return this.lost(e, 'non-literal-operand', `${e.name}() with an argument that is not a string literal`);
    const values = literals.map((a) => (a as Lit).value as string);
    if (e.name !== 'cidr_match' && !this.foldedOk(t.folded, values)) return this.lost(e, 'case-folded-mismatch', 'a case-folded field compared to a value with letters of the other case');
    if (e.name === 'starts_with') return pred(t.field, 'starts_with', values, { cased: !t.folded });
    if (e.name === 'ends_with') return pred(t.field, 'ends_with', values, { cased: !t.folded });
    if (e.name === 'cidr_match') return pred(t.field, 'cidr', values);
    if (e.name === 'contains' && values.length === 1) return pred(t.field, 'contains', values, { cased: !t.folded });
    if (e.name === 'mv_contains' && values.length === 1) return pred(t.field, 'eq', values, { cased: !t.folded });
    // Full-text match: approximated as a case-insensitive contains (exact on keyword fields).
    if (e.name === 'match' && values.length === 1 && rest.length <= 2) {
      this.log.note(e.span.offset, e.span.end, 'approximation', 'full-text match approximated as a case-insensitive contains');
      return pred(t.field, 'contains', values, { cased: false });
    }
    return this.lost(e, 'unsupported-function', `${e.name}() with these arguments has no predicate form`);
  }
}
