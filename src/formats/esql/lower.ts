import type { Aggregation, Detection, Loss, NamedValue, Op, Scalar, ValueExpr } from '../../model/index.js';
import { and, hasUnknown, mapPredicates, not, or, pred } from '../../model/index.js';
import { LossLog } from '../elastic/losses.js';
import { luceneRegexValues } from '../elastic/lucene-regex.js';
import { classifyPattern, flagsFor, groupedPredicates, patternParts } from '../elastic/pattern.js';
import type { OpValue } from '../elastic/pattern.js';
import { parse as parseKql } from '../kql/parser.js';
import { lowerKql } from '../kql/lower.js';
import type { EsqlCommand, EsqlExpr, EsqlQuery } from './ast.js';
import { extractParts, statsParts, topLevelKeyword } from './command-parts.js';
import type { StatsPart } from './command-parts.js';
import { definedFields, evalAssignments, stripComments, topLevel } from './defined-fields.js';
import { parse as parseEsql } from './parser.js';

/**
 * Lowers an ES|QL pipeline to the model.
 * - The WHERE commands that come before the first `stats` filter events: they are and-ed into the
 *   detection (after `inline stats` too: rows are still events). Each STATS is an aggregation
 *   stage (model/aggregation.ts: keys, aggregate columns with their own WHERE, the WHEREs after it
 *   as the group condition); the WHERE texts stay in `aggregateWhere` (extra.esql.aggregate_where).
 * - Computed values (model/computed.ts) are kept as expressions: EVAL (names replaced by what
 *   computes them), GROK / DISSECT captures, RENAME, INLINE STATS aggregates (window values over
 *   the filters before them), STATS columns after a stage. A test of one is a ComputedTest, never
 *   a predicate on a field named after it. COMPLETION answers (a language model's) and what reads
 *   them, ENRICH lookups and functions of unmodelled values stay unknown, with a loss.
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
 * - Anything else that is neither a field test nor a computed test is an `unknown` node quoting
 *   the query, with a loss.
 */
export interface EsqlLowering {
  detection?: Detection;
  indices: string[];
  commands: { name: string; text: string }[];
  aggregateWhere: string[];
  /** STATS stages, in order, each with its group condition (the WHEREs after it). */
  aggregations: Aggregation[];
  losses: Loss[];
}

/** Type conversions that keep a field's identity for the catalog. */
const CONVERSIONS = new Set(['to_string', 'to_str', 'to_ip', 'to_integer', 'to_int', 'to_long', 'to_double', 'to_dbl', 'to_boolean', 'to_bool', 'to_keyword', 'to_version', 'to_datetime', 'to_unsigned_long']);
/** `inline stats` keeps the events and adds aggregate columns (not modelled: computed, opaque). */
const INLINE = new Set(['inline stats', 'inlinestats']);
const FIELD_FUNCTIONS: Record<string, Op> = { starts_with: 'starts_with', ends_with: 'ends_with', contains: 'contains' };
const ORDER: Record<string, Op> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

export function lowerEsql(q: EsqlQuery): EsqlLowering {
  const lw = new Lowerer(q.source);
  const filters: Detection[] = [];
  const aggregateWhere: string[] = [];
  const aggregations: Aggregation[] = [];
  let having: Detection[] = [];
  const close = (): void => {
    const last = aggregations[aggregations.length - 1];
    if (last && having.length) last.having = and(having);
    having = [];
  };
  for (const c of q.commands) {
    if (c.name === 'eval') lw.evalCommand(c.body);
    else if (c.name === 'grok' || c.name === 'dissect') lw.extractCommand(c.name, c.body);
    else if (c.name === 'stats') {
      close();
      aggregations.push(lw.statsCommand(c));
    } else if (c.name === 'mv_expand') lw.expandCommand(c.body);
    else if (c.name === 'rename') lw.renameCommand(c.body);
    else if (INLINE.has(c.name) && !aggregations.length) lw.inlineStatsCommand(c.body, filters);
    else {
      const defined = INLINE.has(c.name) ? definedFields('eval', c.body.replace(/\bby\b[\s\S]*$/i, '')) : definedFields(c.name, c.body);
      for (const f of defined) lw.define(f, c.name);
    }
    if (c.name !== 'where' || !c.condition) continue;
    if (aggregations.length) {
      // After STATS the rows are groups: the condition tests the stage's columns.
      aggregateWhere.push(c.body.replace(/\s+/g, ' '));
      having.push(lw.expr(c.condition));
    }
    // After `inline stats` the rows are still events: event-field tests filter them; tests of
    // aggregate columns are computed values (unknown, with a loss).
    else filters.push(lw.expr(c.condition));
  }
  close();
  return {
    detection: filters.length ? and(filters) : undefined,
    indices: q.commands.filter((c) => c.name === 'from').flatMap((c) => c.indices ?? []),
    commands: q.commands.map((c) => ({ name: c.name, text: c.body.replace(/\s+/g, ' ') })),
    aggregateWhere,
    aggregations,
    losses: lw.log.losses,
  };
}

type Lit = Extract<EsqlExpr, { type: 'literal' }>;

/** What a test reads: an event field (maybe case-folded), or a computed value. */
type Target =
  | { field: string; folded?: 'lower' | 'upper'; computed?: undefined }
  | { field?: undefined; folded?: undefined; computed: ValueExpr; name: string | null };

/** Stands for a computed target while a test is built with the field code paths (then retargeted). */
const COMPUTED_SLOT = '\u0000computed';

class Lowerer {
  readonly log: LossLog;
  /** Fields created by earlier commands whose computation is not modelled (COMPLETION, ENRICH...). */
  readonly computedFields = new Set<string>();
  /** EVAL names that only rename or case-fold a field (`eval x = to_lower(f)`): tests of x test f. */
  private readonly aliases = new Map<string, { field: string; folded?: 'lower' | 'upper' }>();
  /** Names whose computation is modelled (EVAL, GROK, DISSECT, STATS columns). */
  private readonly values = new Map<string, ValueExpr>();
  /** After STATS: rows are groups, only the stage's columns exist. */
  private grouped = false;

  /** The command behind each opaque name (completion, inline stats, enrich...), through the names computed from it. */
  private readonly origins = new Map<string, string>();

  define(name: string, origin?: string): void {
    this.computedFields.add(name);
    this.aliases.delete(name);
    this.values.delete(name);
    if (origin) this.origins.set(name, origin);
    else this.origins.delete(name);
  }

  /** The command behind an opaque name the expression reads (a COMPLETION answer first). */
  private originOf(e: EsqlExpr | undefined): string | undefined {
    const found = new Set<string>();
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (isExpr(x)) {
        if (x.type === 'field' && this.computedFields.has(x.name)) found.add(this.origins.get(x.name) ?? 'eval');
        Object.values(x).forEach(walk);
      }
    };
    walk(e);
    return found.has('completion') ? 'completion' : [...found][0];
  }

  private setValue(name: string, v: ValueExpr): void {
    this.computedFields.delete(name);
    this.aliases.delete(name);
    this.values.set(name, v);
  }

  /** Parses one expression written in a command the parser keeps as text. */
  private parseExpr(text: string): EsqlExpr | undefined {
    const q = parseEsql(`from x | where ${text}`);
    return q.ok ? q.value.commands[1]?.condition : undefined;
  }

  /**
   * EVAL: an alias when the expression is a field, a conversion or a case fold of one; else the
   * computation as a value expression; else (a function of something not modelled) opaque.
   */
  evalCommand(body: string): void {
    for (const { name, expr } of evalAssignments(body)) {
      const cond = this.parseExpr(expr);
      const t = cond ? this.target(cond) : undefined;
      if (t?.field !== undefined) {
        this.computedFields.delete(name);
        this.values.delete(name);
        this.aliases.set(name, { field: t.field, ...(t.folded ? { folded: t.folded } : {}) });
        continue;
      }
      const v = t?.computed ?? (cond ? this.valueOf(cond) : undefined);
      if (v) this.setValue(name, v);
      else this.define(name, this.originOf(cond));
    }
  }

  /** GROK / DISSECT: each capture is a value extracted from the input. */
  extractCommand(command: 'grok' | 'dissect', body: string): void {
    const parts = extractParts(body);
    const input = parts ? this.valueOf({ type: 'field', name: parts.input, span: { line: 1, column: 1, offset: 0, end: 0 } }) : undefined;
    for (const key of definedFields(command, body)) {
      if (parts && input) this.setValue(key, { kind: 'extract', command, input, pattern: parts.pattern, key });
      else this.define(key, parts ? this.origins.get(parts.input) : undefined);
    }
  }

  /** INLINE STATS: each column an aggregate over the rows so far, joined back to every row. */
  inlineStatsCommand(body: string, filters: readonly Detection[]): void {
    const parts = statsParts(body);
    const over = filters.length ? and([...filters]) : undefined;
    const by = parts.by.map((p) => (p.bare ? this.parseExpr(p.expr) : undefined)).map((e) => (e ? this.valueOf(e) : undefined));
    const keysOk = by.every((v): v is ValueExpr => v !== undefined) && !(over && hasUnknown(over));
    const cols = parts.columns.map((p) => ({ name: p.name, read: keysOk ? this.aggregate(p) : undefined }));
    for (const { name, read } of cols) {
      if (read) this.setValue(name, { kind: 'window', name, value: read.value, by: by as ValueExpr[], ...(over ? { over } : {}), ...(read.where ? { where: read.where } : {}) });
      else this.define(name, 'inline stats');
    }
  }

  /** One aggregate of a STATS command (`agg(...)` or `agg(...) WHERE cond`) read in the rows' scope. */
  private aggregate(p: StatsPart): { value: ValueExpr; where?: Detection } | undefined {
    const at = topLevelKeyword(p.expr, 'where');
    const e = this.parseExpr(at < 0 ? p.expr : p.expr.slice(0, at));
    const value = e ? this.valueOf(e) : undefined;
    if (!value || at < 0) return value ? { value } : undefined;
    const c = this.parseExpr(p.expr.slice(at + 5));
    const where = c ? this.tryExpr(c) : undefined;
    return where ? { value, where } : undefined;
  }

  /** RENAME old AS new (or new = old): the new name reads what the old one did. */
  renameCommand(body: string): void {
    const span = { line: 1, column: 1, offset: 0, end: 0 };
    for (const part of topLevel(stripComments(body))) {
      const as = /^\s*(`[^`]+`|[\w.@]+)\s+as\s+(`[^`]+`|[\w.@]+)\s*$/i.exec(part);
      const eq = /^\s*(`[^`]+`|[\w.@]+)\s*=\s*(`[^`]+`|[\w.@]+)\s*$/.exec(part);
      const [from, to] = (as ? [as[1], as[2]] : eq ? [eq[2], eq[1]] : []).map((s) => s.replace(/^`([^`]*)`$/, '$1'));
      if (!from || !to) {
        for (const f of definedFields('rename', part)) this.define(f, 'rename');
        continue;
      }
      const alias = this.aliases.get(from);
      const v = alias ? undefined : this.valueOf({ type: 'field', name: from, span });
      if (alias) {
        this.define(to);
        this.computedFields.delete(to);
        this.aliases.set(to, alias);
      } else if (v?.kind === 'field') {
        this.define(to);
        this.computedFields.delete(to);
        this.aliases.set(to, { field: v.field });
      } else if (v) this.setValue(to, v);
      else this.define(to, this.origins.get(from) ?? 'rename');
      // the old name is gone (a computed one; an event field stays readable by its source)
      if (alias || this.values.has(from)) this.define(from, 'rename');
    }
  }

  /** MV_EXPAND of a computed value: one row per value, which the value expression does not say. */
  expandCommand(body: string): void {
    const name = body.trim().replace(/^`([^`]+)`$/, '$1');
    if (this.values.has(name) || this.aliases.has(name)) this.define(name);
  }

  /** STATS: the stage's keys and aggregate columns; afterwards only they exist. */
  statsCommand(c: EsqlCommand): Aggregation {
    const parts = statsParts(c.body);
    const read = (p: StatsPart): NamedValue | undefined => {
      // `COUNT(*) WHERE cond`: the aggregate reads only the rows meeting cond
      const a = this.aggregate(p);
      if (!a) return undefined;
      // `BY host.id` names its column host.id (quotes removed)
      const e = p.bare ? this.parseExpr(p.expr) : undefined;
      const name = e?.type === 'field' ? e.name : p.name;
      return { name, ...a };
    };
    const by: NamedValue[] = [];
    const columns: NamedValue[] = [];
    const opaque: string[] = [];
    for (const p of parts.by) {
      const v = read(p);
      if (v) by.push(v);
      else {
        opaque.push(p.name);
        this.log.note(c.span.offset, c.span.end, 'aggregation-key', `the group key ${p.name} is not a value the model can say: the groups are not known exactly`);
      }
    }
    for (const p of parts.columns) {
      const v = read(p);
      if (v) columns.push(v);
      else opaque.push(p.name);
    }
    this.grouped = true;
    this.values.clear();
    this.aliases.clear();
    this.computedFields.clear();
    for (const v of [...by, ...columns]) this.values.set(v.name, { kind: 'column', name: v.name });
    for (const n of opaque) this.computedFields.add(n);
    return { by, columns };
  }

  constructor(private readonly source: string) {
    this.log = new LossLog(source);
  }

  private lost(e: EsqlExpr, reason: string, detail: string): Detection {
    return this.log.unknownAt(e.span.offset, e.span.end, reason, detail);
  }

  private computed(e: EsqlExpr): Detection {
    const origin = this.originOf(e);
    if (origin === 'completion') return this.lost(e, 'llm-completion', "a test of a language model's answer (COMPLETION): no computation the model can say or an engine can repeat");
    if (origin && INLINE.has(origin)) return this.lost(e, 'inline-aggregate', 'a test of an INLINE STATS aggregate (a value over other events, joined back to each event): not in the model');
    return this.lost(e, 'computed-expression', 'a test of a value computed by something the model does not say (COMPLETION, ENRICH, INLINE STATS, a function of one of them...)');
  }

  /**
   * What a test reads: a field and whether case is folded (to_lower / to_upper fold case; type
   * conversions such as to_string, to_ip and `::type` casts are looked through), or a computed value
   * (an EVAL/GROK/DISSECT name, a STATS column, or an expression like LENGTH(f) tested in place).
   */
  private target(e: EsqlExpr): Target | undefined {
    if (e.type === 'field') {
      const alias = this.aliases.get(e.name);
      if (alias) return alias;
      const v = this.values.get(e.name);
      if (v) return { computed: v, name: e.name };
      return this.computedFields.has(e.name) || this.grouped ? undefined : { field: e.name };
    }
    if (e.type === 'call' && e.args.length === 1) {
      const inner = this.target(e.args[0]);
      if (inner?.field !== undefined && !inner.folded) {
        if (e.name === 'to_lower') return { field: inner.field, folded: 'lower' };
        if (e.name === 'to_upper') return { field: inner.field, folded: 'upper' };
        if (CONVERSIONS.has(e.name)) return inner;
      }
    }
    if (e.type === 'cast') {
      const inner = this.target(e.operand);
      if (inner) return inner;
    }
    const v = this.valueOf(e);
    return v && v.kind !== 'literal' && v.kind !== 'field' && v.kind !== 'test' ? { computed: v, name: null } : undefined;
  }

  /** An expression as a value, names replaced by what computes them; undefined if any part is not modelled. */
  valueOf(e: EsqlExpr): ValueExpr | undefined {
    switch (e.type) {
      case 'literal':
        // a time span (`5 minutes`) is its text cast to a duration or a calendar period, as ES|QL reads it
        if (e.timeSpan && typeof e.value === 'string') {
          const period = /\s(d|days?|w|weeks?|mo|months?|y|years?)$/i.test(e.value);
          return { kind: 'call', fn: period ? '::date_period' : '::time_duration', args: [{ kind: 'literal', value: e.value }] };
        }
        return { kind: 'literal', value: e.value };
      case 'field': {
        const alias = this.aliases.get(e.name);
        if (alias) {
          const f: ValueExpr = { kind: 'field', field: alias.field };
          return alias.folded ? { kind: 'call', fn: alias.folded === 'lower' ? 'to_lower' : 'to_upper', args: [f] } : f;
        }
        const v = this.values.get(e.name);
        if (v) return v;
        return this.computedFields.has(e.name) || this.grouped ? undefined : { kind: 'field', field: e.name };
      }
      case 'call': {
        if (e.name === 'kql' || e.name === 'match' || e.args.some((a) => a.type === 'map')) return undefined;
        const args = e.args.map((a) => this.valueOf(a));
        return args.every((a): a is ValueExpr => a !== undefined) ? { kind: 'call', fn: e.name, args } : undefined;
      }
      case 'arith': {
        const l = this.valueOf(e.left);
        const r = this.valueOf(e.right);
        return l && r ? { kind: 'call', fn: e.op, args: [l, r] } : undefined;
      }
      case 'neg': {
        const x = this.valueOf(e.operand);
        return x ? { kind: 'call', fn: '-', args: [x] } : undefined;
      }
      case 'cast': {
        const x = this.valueOf(e.operand);
        return x ? { kind: 'call', fn: `::${e.to.toLowerCase()}`, args: [x] } : undefined;
      }
      case 'compare':
      case 'pattern':
      case 'in':
      case 'isnull':
      case 'and':
      case 'or':
      case 'not': {
        const d = this.tryExpr(e);
        if (!d) return undefined;
        // a boolean function tested in place is the function's value itself
        if (d.kind === 'computed' && d.value.kind === 'call' && d.op === 'eq' && d.values.length === 1 && d.values[0] === true) return d.value;
        return { kind: 'test', detection: d };
      }
      default:
        return undefined;
    }
  }

  /** The condition, if it lowers exactly (no unknown node, no loss): else nothing is recorded. */
  private tryExpr(e: EsqlExpr): Detection | undefined {
    const n = this.log.losses.length;
    const d = this.expr(e);
    if (this.log.losses.length === n && !hasUnknown(d)) return d;
    this.log.losses.length = n;
    return undefined;
  }

  /** A test built on a field (or the computed slot), as a test of the target. */
  private at(t: Target, d: Detection): Detection {
    if (!t.computed) return d;
    const { computed: value, name } = t;
    // `WHERE x` with x a condition (EVAL x = a == "b"): the condition itself
    if (value.kind === 'test' && d.kind === 'pred' && d.op === 'eq' && d.values.length === 1 && d.values[0] === true) return value.detection;
    return mapPredicates(d, (x) => (x.field === COMPUTED_SLOT ? { kind: 'computed', name, value, op: x.op, values: x.values, flags: x.flags } : x));
  }

  private fieldOf(t: Target): string {
    return t.field ?? COMPUTED_SLOT;
  }

  /** A comparison of two values at least one of which is computed: `a op b` must hold. */
  private computedCompare(op: string, l: EsqlExpr, r: EsqlExpr): Detection | undefined {
    const a = this.valueOf(l);
    const b = this.valueOf(r);
    if (!a || !b) return undefined;
    return { kind: 'computed', name: null, value: { kind: 'call', fn: op, args: [a, b] }, op: 'eq', values: [true], flags: {} };
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
      case 'field': {
        const t = this.target(e);
        if (!t) return this.computed(e);
        return this.at(t, pred(this.fieldOf(t), 'eq', [true]));
      }
      case 'isnull': {
        const t = this.target(e.operand);
        if (!t) return this.computed(e);
        const d = this.at(t, pred(this.fieldOf(t), 'exists', []));
        return e.negated ? d : not(d);
      }
      case 'compare':
        return this.compare(e);
      case 'pattern':
        return this.pattern(e);
      case 'in': {
        // `true IN (a, b)`: one of the conditions holds
        if (e.left.type === 'literal' && e.left.value === true && !e.negated) return or(e.values.map((v) => this.expr(v)));
        const t = this.target(e.left);
        if (!t) return this.computed(e);
        if (e.values.some((v) => v.type !== 'literal')) return this.lost(e, 'non-literal-operand', 'an IN list with a value that is not a literal');
        const values = e.values.map((v) => (v as Lit).value);
        if (!this.foldedOk(t.folded, values.filter((v): v is string => typeof v === 'string'))) return this.lost(e, 'case-folded-mismatch', 'a case-folded field compared to a value with letters of the other case');
        const d = this.at(t, pred(this.fieldOf(t), 'eq', values, flagsFor('eq', values, { cased: !t.folded })));
        return e.negated ? not(d) : d;
      }
      case 'call':
        return this.call(e);
      case 'match': {
        // `field : "text"`: full-text match, approximated as a case-insensitive contains.
        const t = this.target(e.left);
        if (!t || t.computed) return this.computed(e);
        if (e.right.type !== 'literal' || typeof e.right.value !== 'string') return this.lost(e, 'non-literal-operand', 'a full-text match of a value that is not a string literal');
        this.log.note(e.span.offset, e.span.end, 'approximation', 'full-text match approximated as a case-insensitive contains');
        return pred(t.field, 'contains', [e.right.value], { cased: false });
      }
      default: {
        // A computed boolean (a function returning true/false...) tested in place.
        const t = this.target(e);
        return t?.computed ? this.at(t, pred(COMPUTED_SLOT, 'eq', [true])) : this.computed(e);
      }
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
    if (lt?.field !== undefined && rt?.field !== undefined && lt.folded === rt.folded) {
      // to_lower(a) == to_lower(b) compares the two fields case-insensitively.
      return pred(lt.field, op === '==' ? 'eq' : op === '!=' ? 'ne' : ORDER[op], [rt.field], { fieldref: true, cased: !lt.folded });
    }
    if (right.type !== 'literal' && (lt?.computed || rt?.computed)) return this.computedCompare(op, left, right) ?? this.computed(e);
    const t = lt;
    if (!t) return this.computed(e);
    if (right.type !== 'literal') return this.lost(e, 'computed-expression', 'a comparison with a computed value');
    if (right.value === null) return this.lost(e, 'null-comparison', 'a comparison with null (always null in ES|QL)');
    const values: Scalar[] = [right.value];
    if (!this.foldedOk(t.folded, typeof right.value === 'string' ? [right.value] : [])) return this.lost(e, 'case-folded-mismatch', 'a case-folded field compared to a value with letters of the other case');
    const m: Op = op === '==' ? 'eq' : op === '!=' ? 'ne' : ORDER[op];
    return this.at(t, pred(this.fieldOf(t), m, values, flagsFor(m, values, { cased: !t.folded })));
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
      const p = pred(this.fieldOf(t), 'regex_match', r.values, { cased: !t.folded, ...(r.flags ? { regexFlags: r.flags } : {}) });
      p.authoredValues = values;
      d = p;
    } else {
      const items: OpValue[] = values.map((v) => classifyPattern(patternParts(v, '*?', true)));
      d = groupedPredicates(this.fieldOf(t), items, { cased: !t.folded });
    }
    d = this.at(t, d);
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
      if (t?.field !== undefined && u?.field !== undefined && t.folded === u.folded) return pred(t.field, FIELD_FUNCTIONS[e.name], [u.field], { fieldref: true, cased: !t.folded });
      return this.computedCall(e) ?? this.computed(e);
    }
    const known = ['starts_with', 'ends_with', 'cidr_match', 'contains', 'mv_contains', 'match'];
    if (!known.includes(e.name)) return this.computedCall(e) ?? this.lost(e, 'unsupported-function', `function ${e.name}() has no predicate form`);
    const t = first ? this.target(first) : undefined;
    if (!t) return this.computed(e);
    const literals = rest.filter((a) => a.type !== 'map');
    if (literals.length === 0 || literals.some((a) => a.type !== 'literal' || typeof a.value !== 'string')) return this.lost(e, 'non-literal-operand', `${e.name}() with an argument that is not a string literal`);
    const values = literals.map((a) => (a as Lit).value as string);
    if (e.name !== 'cidr_match' && !this.foldedOk(t.folded, values)) return this.lost(e, 'case-folded-mismatch', 'a case-folded field compared to a value with letters of the other case');
    const f = this.fieldOf(t);
    if (e.name === 'starts_with') return this.at(t, pred(f, 'starts_with', values, { cased: !t.folded }));
    if (e.name === 'ends_with') return this.at(t, pred(f, 'ends_with', values, { cased: !t.folded }));
    if (e.name === 'cidr_match') return this.at(t, pred(f, 'cidr', values));
    if (e.name === 'contains' && values.length === 1) return this.at(t, pred(f, 'contains', values, { cased: !t.folded }));
    // mv_contains of a computed value: the call itself is the test (the model's eq reads one value)
    if (e.name === 'mv_contains' && values.length === 1) return t.computed ? (this.computedCall(e) ?? this.computed(e)) : pred(f, 'eq', values, { cased: !t.folded });
    // Full-text match: approximated as a case-insensitive contains (exact on keyword fields).
    if (e.name === 'match' && values.length === 1 && rest.length <= 2 && t.field !== undefined) {
      this.log.note(e.span.offset, e.span.end, 'approximation', 'full-text match approximated as a case-insensitive contains');
      return pred(t.field, 'contains', values, { cased: false });
    }
    return this.lost(e, 'unsupported-function', `${e.name}() with these arguments has no predicate form`);
  }

  /** A boolean function of computed values (or of fields, with no predicate form) as a computed test. */
  private computedCall(e: Extract<EsqlExpr, { type: 'call' }>): Detection | undefined {
    const v = this.valueOf(e);
    return v ? { kind: 'computed', name: null, value: v, op: 'eq', values: [true], flags: {} } : undefined;
  }
}

const isExpr = (v: unknown): v is EsqlExpr => typeof v === 'object' && v !== null && 'type' in v && 'span' in v;
