import type { Detection, Loss, Op, Scalar, ValueExpr } from '../../model/index.js';
import { and, not, or, pred } from '../../model/index.js';
import { LossLog } from '../elastic/losses.js';
import { luceneRegexValues } from '../elastic/lucene-regex.js';
import { classifyPattern, flagsFor, groupedPredicates, patternParts } from '../elastic/pattern.js';
import type { OpValue } from '../elastic/pattern.js';
import type { EqlQuery, EventQuery, Expr, SequenceItem } from './ast.js';

/**
 * Lowers an EQL AST to the model's predicate tree (Elasticsearch semantics).
 *
 * - Fields keep the vendor (ECS) name; `?field` loses the `?` (listed in `optionalFields`).
 * - `category where cond` becomes and(event.category eq category (cased), cond); `any where` adds nothing.
 * - `:` is case-insensitive; `:` and `like` patterns have the wildcards `*` and `?` (pure `*`
 *   prefix/suffix/infix patterns become starts_with/ends_with/contains, others `wildcard`; EQL has
 *   no escape for a literal `*` or `?`). `==`, `!=`, `in`, `like`,
 *   `regex` and the string functions are case-sensitive (flags.cased) unless written with `~`.
 * - `in` lists become ONE `eq` predicate with several values (any-of); the model's `in` op is not used.
 * - `x == null` is not(exists x), `x != null` is exists x. `not in`, `!:`, `not like` are `not` nodes;
 *   `!=` is op `ne`.
 * - Field-to-field comparisons (and startsWith(a, b) etc. with b a field) carry flags.fieldref.
 * - `regex` / `regex~` use Lucene syntax and match the whole value: stored as anchored RE2
 *   (elastic/lucene-regex.ts); a pattern RE2 cannot express is unknown.
 * - Anything that is not a (field, op, literal) test (arithmetic, unknown functions, length(x) > 3,
 *   lineage...) is an `unknown` node quoting the query, and a loss (see `losses`).
 * - Sequences, samples and joins: the model's Detection cannot express order, so the tree is an `or`
 *   of the items' event queries; missing events (`![...]`) and the `until` query are wrapped in `not`
 *   (they are conditions against the match). The structure is in `sequence` (see SequenceInfo).
 * - `| filter` conditions of a plain event query are and-ed into the tree; all pipes are listed.
 */
export interface SequenceItemInfo {
  /** Index of this item's subtree among the `or` children of the detection. */
  index: number;
  category: string;
  by: string[];
  missing: boolean;
  runs?: number;
}

export interface SequenceInfo {
  kind: 'sequence' | 'sample' | 'join';
  /** Join keys shared by every item (source text). */
  by: string[];
  maxspan?: string;
  maxspanMs?: number;
  /** In the order written; items are ordered for `sequence`, unordered for `sample` and `join`. */
  items: SequenceItemInfo[];
  until?: SequenceItemInfo;
}

export interface EqlLowering {
  detection: Detection;
  sequence?: SequenceInfo;
  pipes: { name: string; args: string[] }[];
  /** Event categories of the (non-missing) queries, `any` included. */
  categories: string[];
  optionalFields: string[];
  /** Conditions the tree holds as unknown (text, reason, offset in the query). */
  losses: Loss[];
}

export function lowerEql(q: EqlQuery): EqlLowering {
  return new Lowerer(q.source).query(q);
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=', '=': '=' };
const ORDER_OPS: Record<string, Op> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const CONVERSIONS = new Set(['string', 'number']);
const STRING_FUNCTIONS: Record<string, Op> = { startswith: 'starts_with', endswith: 'ends_with', stringcontains: 'contains' };

class Lowerer {
  private readonly optional = new Set<string>();
  private readonly log: LossLog;

  constructor(private readonly source: string) {
    this.log = new LossLog(source);
  }

  query(q: EqlQuery): EqlLowering {
    const pipes = q.pipes.map((p) => ({ name: p.name, args: p.args.map((a) => this.text(a)) }));
    const body = q.body;
    if (body.type === 'event') {
      const filters = q.pipes.filter((p) => p.name === 'filter').flatMap((p) => p.args.map((a) => this.expr(a)));
      const detection = simplify(and([this.event(body), ...filters]));
      return { detection, pipes, categories: [body.category], optionalFields: [...this.optional], losses: this.log.losses };
    }
    const children: Detection[] = [];
    const items: SequenceItemInfo[] = [];
    const addItem = (it: SequenceItem): SequenceItemInfo => {
      const d = this.event(it.query);
      children.push(it.missing ? not(d) : d);
      return { index: children.length - 1, category: it.query.category, by: it.by.map((b) => this.text(b)), missing: it.missing, ...(it.runs !== undefined ? { runs: it.runs } : {}) };
    };
    for (const it of body.items) items.push(addItem(it));
    let until: SequenceItemInfo | undefined;
    if (body.type !== 'sample' && body.until) {
      const d = this.event(body.until.query);
      children.push(not(d));
      until = { index: children.length - 1, category: body.until.query.category, by: body.until.by.map((b) => this.text(b)), missing: false };
    }
    const sequence: SequenceInfo = { kind: body.type, by: body.by.map((b) => this.text(b)), items, ...(until ? { until } : {}) };
    if (body.type === 'sequence' && body.maxspan) {
      sequence.maxspan = body.maxspan.text;
      if (body.maxspan.ms !== undefined) sequence.maxspanMs = body.maxspan.ms;
    }
    const categories = [...new Set(body.items.filter((i) => !i.missing).map((i) => i.query.category))];
    return { detection: { kind: 'or', children }, sequence, pipes, categories, optionalFields: [...this.optional], losses: this.log.losses };
  }

  private event(q: EventQuery): Detection {
    const cond = this.expr(q.condition);
    if (q.category.toLowerCase() === 'any') return simplify(cond);
    return simplify(and([pred('event.category', 'eq', [q.category], { cased: true }), cond]));
  }

  private text(e: Expr): string {
    return this.source.slice(e.span.offset, e.span.end).replace(/\s+/g, ' ').trim();
  }

  /** A condition the model cannot hold: an unknown node and a loss. */
  private lost(e: Expr, reason: string, detail: string): Detection {
    return this.log.unknownAt(e.span.offset, e.span.end, reason, detail);
  }

  /** The field a predicate tests (a field, or a type conversion of one); undefined for a computed value. */
  private fieldOf(e: Expr): string | undefined {
    if (e.type === 'field') {
      if (e.optional) this.optional.add(e.name);
      return e.name;
    }
    // Type conversions keep the field's identity: string(source.ip) tests source.ip.
    if (e.type === 'call' && CONVERSIONS.has(e.name.toLowerCase()) && e.args.length === 1 && e.args[0].type === 'field') return this.fieldOf(e.args[0]);
    return undefined;
  }

  /** `shape` applied to the values of `args` must be true; unknown if one is not a value the model says. */
  private computedTest(e: Expr, shape: Extract<ValueExpr, { kind: 'call' }>, args: Expr[]): Detection {
    const vs = args.map(eqlValue);
    if (!vs.every((v): v is ValueExpr => v !== undefined) || shape.fn === '=') return this.computed(e);
    return { kind: 'computed', name: null, value: { ...shape, args: vs }, op: 'eq', values: [true], flags: {} };
  }

  private computed(e: Expr): Detection {
    return this.lost(e, 'computed-expression', 'a test of a computed value (function or arithmetic result), not of a field');
  }

  private isFieldLike(e: Expr): boolean {
    return e.type === 'field' || (e.type === 'call' && CONVERSIONS.has(e.name.toLowerCase()) && e.args.length === 1 && e.args[0].type === 'field');
  }

  expr(e: Expr): Detection {
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
        return pred(this.fieldOf(e)!, 'eq', [true]);
      case 'compare':
        return this.compare(e);
      case 'match':
        return this.match(e);
      case 'in':
        return this.inList(e);
      case 'call':
        return this.call(e);
      case 'lineage':
        return this.lost(e, 'lineage', 'a process-lineage test (descendant/child/event of) has no predicate form');
      default:
        return this.computed(e);
    }
  }

  private compare(e: Extract<Expr, { type: 'compare' }>): Detection {
    let { left, right } = e;
    let op: string = e.op;
    if (left.type === 'literal' && right.type !== 'literal') {
      [left, right] = [right, left];
      op = FLIP[op];
    }
    const lf = this.fieldOf(left);
    const rf = this.fieldOf(right);
    if (lf !== undefined && rf !== undefined) {
      const m: Op = op === '!=' ? 'ne' : ORDER_OPS[op] ?? 'eq';
      return pred(lf, m, [rf], { fieldref: true, ...(op === '==' || op === '!=' ? { cased: true } : {}) });
    }
    if (right.type !== 'literal') return this.computedTest(e, { kind: 'call', fn: op, args: [] }, [left, right]);
    if (lf === undefined) {
      // length(f) > 3: a test of a computed value, the computation kept
      const v = eqlValue(left);
      if (!v || right.value === null || op === '=') return this.computed(e);
      const values: Scalar[] = [right.value];
      const m: Op = op === '==' ? 'eq' : op === '!=' ? 'ne' : ORDER_OPS[op];
      return { kind: 'computed', name: null, value: v, op: m, values, flags: flagsFor(m, values, { cased: true }) };
    }
    const field = lf;
    const v = right.value;
    if (v === null) {
      if (op === '!=') return pred(field, 'exists', []);
      if (op === '==' || op === '=') return not(pred(field, 'exists', []));
      return this.lost(e, 'null-order', 'an order comparison with null');
    }
    const values: Scalar[] = [v];
    if (op === '==') return pred(field, 'eq', values, flagsFor('eq', values, { cased: true }));
    if (op === '=') return pred(field, 'eq', values, flagsFor('eq', values, { cased: false }));
    if (op === '!=') return pred(field, 'ne', values, flagsFor('ne', values, { cased: true }));
    return pred(field, ORDER_OPS[op], values, flagsFor(ORDER_OPS[op], values, { cased: true }));
  }

  private match(e: Extract<Expr, { type: 'match' }>): Detection {
    const field = this.fieldOf(e.left);
    if (field === undefined) return this.computed(e);
    // `a : b` with b a field: a case-insensitive comparison of two fields.
    const other = e.op === ':' && e.patterns.length === 1 ? this.fieldOf(e.patterns[0]) : undefined;
    if (other !== undefined) {
      const d = pred(field, 'eq', [other], { fieldref: true, cased: false });
      return e.negated ? not(d) : d;
    }
    if (e.patterns.some((p) => p.type !== 'literal')) return this.lost(e, 'non-literal-operand', 'a pattern that is not a literal');
    const cased = e.op === ':' ? false : !e.insensitive;
    const literals = e.patterns.map((p) => (p as Extract<Expr, { type: 'literal' }>).value);
    let d: Detection;
    if (e.op === 'regex') {
      if (literals.some((l) => typeof l !== 'string')) return this.lost(e, 'non-literal-operand', 'a regex that is not a string');
      const r = luceneRegexValues(literals as string[], !cased);
      if (!r.ok) return this.lost(e, 'regex-syntax', r.reason);
      d = pred(field, 'regex_match', r.values, { cased, ...(r.flags ? { regexFlags: r.flags } : {}) });
      d.authoredValues = literals as string[];
    } else {
      const items: OpValue[] = [];
      const alternatives: Detection[] = [];
      for (const l of literals) {
        if (l === null) alternatives.push(not(pred(field, 'exists', [])));
        else if (typeof l === 'string') items.push(classifyPattern(patternParts(l, '*?', false)));
        else items.push({ op: 'eq', value: l });
      }
      if (items.length) alternatives.unshift(groupedPredicates(field, items, { cased }));
      d = or(alternatives);
    }
    return e.negated ? not(d) : d;
  }

  private inList(e: Extract<Expr, { type: 'in' }>): Detection {
    const field = this.fieldOf(e.left);
    if (field === undefined) return this.computed(e);
    if (e.values.some((v) => v.type !== 'literal')) return this.lost(e, 'non-literal-operand', 'an `in` list with a value that is not a literal');
    const values = e.values.map((v) => (v as Extract<Expr, { type: 'literal' }>).value);
    const d = pred(field, 'eq', values, flagsFor('eq', values, { cased: !e.insensitive }));
    return e.negated ? not(d) : d;
  }

  private call(e: Extract<Expr, { type: 'call' }>): Detection {
    const name = e.name.toLowerCase();
    const [first, ...rest] = e.args;
    const fieldOp = STRING_FUNCTIONS[name];
    // startsWith(a, b) with b a field: a field-to-field test.
    if (fieldOp && first && this.isFieldLike(first) && rest.length === 1 && this.isFieldLike(rest[0])) {
      return pred(this.fieldOf(first)!, fieldOp, [this.fieldOf(rest[0])!], { fieldref: true, cased: !e.insensitive });
    }
    if (!fieldOp && name !== 'wildcard' && name !== 'cidrmatch') return this.lost(e, 'unsupported-function', `function ${e.name}() has no predicate form`);
    const literalStrings = rest.length > 0 && rest.every((a) => a.type === 'literal' && typeof a.value === 'string');
    const field = first ? this.fieldOf(first) : undefined;
    // a function of computed values (startsWith~(host.name, substring(user.name, 0, -1))): the call is the test
    if (field === undefined || !literalStrings) return this.computedTest(e, { kind: 'call', fn: name + (e.insensitive ? '~' : ''), args: [] }, e.args);
    const values = rest.map((a) => (a as Extract<Expr, { type: 'literal' }>).value as string);
    const cased = !e.insensitive;
    if (fieldOp) return pred(field, fieldOp, values, { cased });
    if (name === 'wildcard') return groupedPredicates(field, values.map((v) => classifyPattern(patternParts(v, '*?', false))), { cased });
    return pred(field, 'cidr', values);
  }
}

/** Drops `true` children of and, `false` children of or (a query `process where true` is just the category). */
export function simplify(d: Detection): Detection {
  if (d.kind === 'and' || d.kind === 'or') {
    const kids = d.children.map(simplify);
    const neutral = d.kind === 'and';
    if (kids.some((k) => k.kind === 'const' && k.value === !neutral)) return { kind: 'const', value: !neutral };
    const rest = kids.filter((k) => !(k.kind === 'const' && k.value === neutral));
    if (rest.length === 0) return { kind: 'const', value: neutral };
    const flat = rest.flatMap((k) => (k.kind === d.kind ? k.children : [k]));
    return d.kind === 'and' ? and(flat) : or(flat);
  }
  if (d.kind === 'not') {
    const c = simplify(d.child);
    return c.kind === 'const' ? { kind: 'const', value: !c.value } : not(c);
  }
  return d;
}

/**
 * An EQL value expression in the model: fields, literals, function calls (lower-case name, `~` for
 * the case-insensitive form) and arithmetic (operators as calls); undefined for anything else.
 */
export function eqlValue(e: Expr): ValueExpr | undefined {
  switch (e.type) {
    case 'field':
      return { kind: 'field', field: e.name };
    case 'literal':
      return { kind: 'literal', value: e.value };
    case 'call': {
      const args = e.args.map(eqlValue);
      return args.every((a): a is ValueExpr => a !== undefined) ? { kind: 'call', fn: e.name.toLowerCase() + (e.insensitive ? '~' : ''), args } : undefined;
    }
    case 'arith': {
      const l = eqlValue(e.left);
      const r = eqlValue(e.right);
      return l && r ? { kind: 'call', fn: e.op, args: [l, r] } : undefined;
    }
    case 'neg': {
      const x = eqlValue(e.operand);
      return x ? { kind: 'call', fn: '-', args: [x] } : undefined;
    }
    default:
      return undefined;
  }
}
