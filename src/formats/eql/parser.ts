import { LineMap, ParseFailure, errorAt } from '../elastic/position.js';
import type { ParseResult, Span } from '../elastic/position.js';
import type { CompareOp, Literal, EqlQuery, EventQuery, Expr, JoinQuery, Pipe, SampleQuery, SequenceItem, SequenceQuery, TimeSpan } from './ast.js';
import { tokenize } from './lexer.js';
import type { Token } from './token.js';
import { TokenCursor } from './token-cursor.js';
import { timeUnitMs } from './time.js';

/**
 * Hand-written recursive-descent parser for EQL. Precedence, loosest first: or, and, not,
 * predicates (comparisons, `:`, in, like, regex: not chainable), + -, * / %, unary minus, primaries.
 * `parse` never throws: it returns the query or the first error with line/column in the query.
 */
export function parse(text: string): ParseResult<EqlQuery> {
  try {
    const p = new Parser(text);
    return { ok: true, value: p.query() };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: errorAt(new LineMap(text), e.offset, e.message) };
    if (e instanceof RangeError) return { ok: false, error: errorAt(new LineMap(text), 0, `query too deeply nested (${e.message})`) };
    throw e;
  }
}

/** Parses a bare expression (no `category where`): used by tests and by the engine for filters. */
export function parseExpression(text: string): ParseResult<Expr> {
  try {
    const p = new Parser(text);
    const e = p.expr();
    p.expectEof();
    return { ok: true, value: e };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: errorAt(new LineMap(text), e.offset, e.message) };
    throw e;
  }
}

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=', '=']);
const LINEAGE = new Set(['descendant', 'child', 'event']);

class Parser extends TokenCursor {
  private readonly map: LineMap;

  constructor(private readonly text: string) {
    super();
    this.toks = tokenize(text);
    this.map = new LineMap(text);
  }

  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of query' : t.kind === 'string' ? `string ${JSON.stringify(t.text)}` : `'${t.text}'`;
  }
  private expectOp(op: string, what?: string): Token {
    const t = this.peek();
    if (!this.isOp(op)) this.fail(t, `expected '${op}'${what ? ` ${what}` : ''}, found ${this.describe(t)}`);
    return this.next();
  }
  private expectKw(word: string, what?: string): Token {
    const t = this.peek();
    if (!this.isKw(word)) this.fail(t, `expected '${word}'${what ? ` ${what}` : ''}, found ${this.describe(t)}`);
    return this.next();
  }
  expectEof(): void {
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(t, `unexpected ${this.describe(t)} after the end of the expression`);
  }
  private span(start: Token): Span {
    const prev = this.toks[Math.max(this.i - 1, 0)];
    const p = this.map.at(start.start);
    return { ...p, end: Math.max(prev.end, start.end) };
  }

  // ---- queries
  query(): EqlQuery {
    let body: EqlQuery['body'];
    if (this.isKw('sequence') && !this.isKw('where', 1)) body = this.sequence();
    else if (this.isKw('sample') && !this.isKw('where', 1)) body = this.sample();
    else if (this.isKw('join') && !this.isKw('where', 1)) body = this.join();
    else body = this.eventQuery();
    const pipes: Pipe[] = [];
    while (this.isOp('|')) pipes.push(this.pipe());
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(t, `unexpected ${this.describe(t)}: expected a pipe '|' or the end of the query`);
    return { body, pipes, source: this.text };
  }

  private eventQuery(): EventQuery {
    const start = this.peek();
    if (start.kind !== 'ident' && start.kind !== 'string') this.fail(start, `expected an event category (or 'any', 'sequence', 'sample'), found ${this.describe(start)}`);
    this.next();
    const categorySpan = this.span(start);
    this.expectKw('where', `after the event category '${start.text}'`);
    const condition = this.expr();
    return { type: 'event', category: start.text, categorySpan, condition, span: this.span(start) };
  }

  private sequenceHeader(allowMaxspan: boolean): { by: Expr[]; maxspan?: TimeSpan } {
    let by: Expr[] = [];
    let maxspan: TimeSpan | undefined;
    for (;;) {
      if (this.isKw('by') && by.length === 0) {
        this.next();
        by = this.exprList();
      } else if (allowMaxspan && this.isKw('with') && this.isKw('maxspan', 1) && !maxspan) {
        this.next();
        this.next();
        this.expectOp('=', "after 'maxspan'");
        maxspan = this.timeSpan();
      } else break;
    }
    return { by, maxspan };
  }

  private sequence(): SequenceQuery {
    const start = this.next();
    const { by, maxspan } = this.sequenceHeader(true);
    const items = this.items('sequence');
    let until: SequenceItem | undefined;
    if (this.eatKw('until')) until = this.item();
    // Python EQL also allows the maxspan after the items.
    let span2 = maxspan;
    if (!span2 && this.isKw('with') && this.isKw('maxspan', 1)) {
      this.next();
      this.next();
      this.expectOp('=', "after 'maxspan'");
      span2 = this.timeSpan();
    }
    // Absent parts are left out (not set to undefined): the tree is plain JSON, stored as such by the rule cache.
    return { type: 'sequence', by, ...(span2 ? { maxspan: span2 } : {}), items, ...(until ? { until } : {}), span: this.span(start) };
  }

  private sample(): SampleQuery {
    const start = this.next();
    const { by } = this.sequenceHeader(false);
    const items = this.items('sample');
    return { type: 'sample', by, items, span: this.span(start) };
  }

  private join(): JoinQuery {
    const start = this.next();
    const { by } = this.sequenceHeader(false);
    const items = this.items('join');
    let until: SequenceItem | undefined;
    if (this.eatKw('until')) until = this.item();
    return { type: 'join', by, items, ...(until ? { until } : {}), span: this.span(start) };
  }

  private items(what: string): SequenceItem[] {
    const items: SequenceItem[] = [];
    while (this.isOp('[') || (this.isOp('!') && this.isOp('[', 1))) items.push(this.item());
    if (items.length === 0) this.fail(this.peek(), `expected '[' to start the first query of the ${what}, found ${this.describe(this.peek())}`);
    return items;
  }

  private item(): SequenceItem {
    const start = this.peek();
    const missing = this.eatOp('!');
    this.expectOp('[', 'to open a bracketed query');
    const query = this.eventQuery();
    this.expectOp(']', 'to close the bracketed query');
    let by: Expr[] = [];
    let runs: number | undefined;
    let params: Record<string, Literal> | undefined;
    for (;;) {
      if (this.isKw('by') && by.length === 0) {
        this.next();
        by = this.exprList();
      } else if (this.isKw('with') && this.isKw('runs', 1) && runs === undefined) {
        this.next();
        this.next();
        this.expectOp('=', "after 'runs'");
        const n = this.next();
        if (n.kind !== 'number' || !Number.isInteger(n.num)) this.fail(n, `expected a whole number of runs, found ${this.describe(n)}`);
        runs = n.num;
      } else if (this.peek().kind === 'ident' && this.isOp('=', 1) && !['by', 'with', 'until'].includes(this.peek().text.toLowerCase())) {
        const key = this.next().text;
        this.next();
        const v = this.primary();
        if (v.type !== 'literal') this.fail(this.peek(), `expected a literal value for the option '${key}'`);
        params = { ...(params ?? {}), [key]: v.value };
      } else break;
    }
    return { query, by, missing, ...(runs !== undefined ? { runs } : {}), ...(params ? { params } : {}), span: this.span(start) };
  }

  private timeSpan(): TimeSpan {
    const n = this.next();
    if (n.kind !== 'number') this.fail(n, `expected a time span such as 5m, found ${this.describe(n)}`);
    let unit = '';
    const u = this.peek();
    if (u.kind === 'ident' && !u.spaceBefore) {
      unit = u.text;
      this.next();
    }
    const ms = timeUnitMs(unit);
    if (ms === undefined) this.fail(u, `unknown time unit '${unit}' (expected ms, s, m, h or d)`);
    return { value: n.num ?? 0, unit, ms: (n.num ?? 0) * ms, text: `${n.text}${unit}` };
  }

  private pipe(): Pipe {
    const start = this.next(); // '|'
    const name = this.next();
    if (name.kind !== 'ident') this.fail(name, `expected a pipe name after '|', found ${this.describe(name)}`);
    const args: Expr[] = [];
    while (!this.isOp('|') && this.peek().kind !== 'eof') {
      args.push(this.expr());
      this.eatOp(',');
    }
    return { name: name.text.toLowerCase(), args, span: this.span(start) };
  }

  private exprList(): Expr[] {
    const out = [this.expr()];
    while (this.eatOp(',')) out.push(this.expr());
    return out;
  }

  // ---- expressions
  expr(): Expr {
    return this.orExpr();
  }

  private orExpr(): Expr {
    const start = this.peek();
    const first = this.andExpr();
    if (!this.isKw('or')) return first;
    const operands = [first];
    while (this.eatKw('or')) operands.push(this.andExpr());
    return { type: 'or', operands, span: this.span(start) };
  }

  private andExpr(): Expr {
    const start = this.peek();
    const first = this.notExpr();
    if (!this.isKw('and')) return first;
    const operands = [first];
    while (this.eatKw('and')) operands.push(this.notExpr());
    return { type: 'and', operands, span: this.span(start) };
  }

  // Every nested expression (parentheses, lists, call arguments, `not`) passes here: bounded depth.
  private notExpr(): Expr {
    return this.deeper(() => {
      const start = this.peek();
      if (this.isKw('not')) {
        this.next();
        const operand = this.notExpr();
        return { type: 'not', operand, span: this.span(start) };
      }
      return this.predicate();
    });
  }

  private predicate(): Expr {
    const start = this.peek();
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARE_OPS.has(t.text)) {
      this.next();
      const right = this.additive();
      return { type: 'compare', op: t.text as CompareOp, left, right, span: this.span(start) };
    }
    if (t.kind === 'op' && (t.text === ':' || t.text === '!:')) {
      this.next();
      const patterns = this.listOrOne();
      return { type: 'match', op: ':', insensitive: true, negated: t.text === '!:', left, patterns, span: this.span(start) };
    }
    let negated = false;
    if (this.isKw('not') && (this.isKw('in', 1) || this.isKw('like', 1) || this.isKw('regex', 1))) {
      this.next();
      negated = true;
    }
    if (this.isKw('in')) {
      this.next();
      const insensitive = this.eatOp('~');
      if (!this.isOp('(')) this.fail(this.peek(), `expected '(' after 'in', found ${this.describe(this.peek())}`);
      const values = this.listOrOne();
      return { type: 'in', insensitive, negated, left, values, span: this.span(start) };
    }
    if (this.isKw('like') || this.isKw('regex')) {
      const op = this.next().text.toLowerCase() as 'like' | 'regex';
      const insensitive = this.eatOp('~');
      const patterns = this.listOrOne();
      return { type: 'match', op, insensitive, negated, left, patterns, span: this.span(start) };
    }
    if (negated) this.fail(t, 'internal: negated predicate without operator');
    return left;
  }

  /** `( a, b, ... )` or a single operand. */
  private listOrOne(): Expr[] {
    if (this.isOp('(')) {
      const open = this.next();
      if (this.isOp(')')) this.fail(this.peek(), 'empty list');
      const out = this.exprList();
      if (!this.isOp(')')) this.fail(this.peek(), `expected ',' or ')' in the list opened at line ${this.map.at(open.start).line}, found ${this.describe(this.peek())}`);
      this.next();
      return out;
    }
    return [this.additive()];
  }

  private additive(): Expr {
    return this.binaryChain(['+', '-'], () => this.multiplicative(), (op, left, right, start) => ({ type: 'arith', op: op as '+' | '-', left, right, span: this.span(start) }));
  }

  private multiplicative(): Expr {
    return this.binaryChain(['*', '/', '%'], () => this.unary(), (op, left, right, start) => ({ type: 'arith', op: op as '*' | '/' | '%', left, right, span: this.span(start) }));
  }

  private unary(): Expr {
    const start = this.peek();
    if (this.isOp('-')) {
      this.next();
      const operand = this.deeper(() => this.unary());
      if (operand.type === 'literal' && typeof operand.value === 'number') return { type: 'literal', value: -operand.value, ...(operand.real ? { real: true } : {}), span: this.span(start) };
      return { type: 'neg', operand, span: this.span(start) };
    }
    if (this.isOp('+')) {
      this.next();
      return this.deeper(() => this.unary());
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { type: 'literal', value: t.text, span: this.span(t) };
    }
    if (t.kind === 'number') {
      this.next();
      const real = /[.eE]/.test(t.text);
      return { type: 'literal', value: t.num ?? Number(t.text), ...(real ? { real } : {}), span: this.span(t) };
    }
    if (this.isOp('(')) {
      this.next();
      const e = this.expr();
      this.expectOp(')', 'to close the parenthesis');
      return e;
    }
    if (this.isOp('?')) {
      this.next();
      const f = this.peek();
      if (f.kind !== 'ident') this.fail(f, `expected a field name after '?', found ${this.describe(f)}`);
      return this.field(t, true);
    }
    if (t.kind === 'ident') {
      const lower = t.text.toLowerCase();
      if (!t.quoted && (lower === 'true' || lower === 'false')) {
        this.next();
        return { type: 'literal', value: lower === 'true', span: this.span(t) };
      }
      if (!t.quoted && lower === 'null') {
        this.next();
        return { type: 'literal', value: null, span: this.span(t) };
      }
      if (!t.quoted && LINEAGE.has(lower) && this.isKw('of', 1)) return this.lineage();
      if (!t.quoted && (this.isOp('(', 1) || (this.isOp('~', 1) && this.isOp('(', 2)))) return this.call();
      if (!t.quoted && ['and', 'or', 'not', 'where', 'by', 'in', 'like', 'regex'].includes(lower) && !this.isOp('.', 1)) {
        this.fail(t, `expected a value or a field, found the keyword '${t.text}'`);
      }
      return this.field(t, false);
    }
    this.fail(t, `expected a value or a field, found ${this.describe(t)}`);
  }

  private field(start: Token, optional: boolean): Expr {
    const first = this.next();
    const path = [first.text];
    let name = first.text;
    for (;;) {
      const dot = this.peek();
      if (this.isOp('.') && !dot.spaceBefore) {
        const seg = this.peek(1);
        if ((seg.kind === 'ident' || seg.kind === 'number') && !seg.spaceBefore) {
          this.next();
          this.next();
          path.push(seg.text);
          name += `.${seg.text}`;
          continue;
        }
        this.fail(seg, `expected a field name after '.', found ${this.describe(seg)}`);
      }
      // Array index: field[0] (no space before '[', a number and ']').
      if (this.isOp('[') && !dot.spaceBefore && this.peek(1).kind === 'number' && this.isOp(']', 2)) {
        this.next();
        const n = this.next();
        this.next();
        path.push(`[${n.text}]`);
        name += `[${n.text}]`;
        continue;
      }
      break;
    }
    return { type: 'field', path, name, optional, span: this.span(start) };
  }

  private call(): Expr {
    const start = this.next();
    const insensitive = this.eatOp('~');
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(...this.exprList());
    }
    this.expectOp(')', `to close the call to ${start.text}`);
    return { type: 'call', name: start.text, insensitive, args, span: this.span(start) };
  }

  private lineage(): Expr {
    const start = this.next();
    this.next(); // of
    this.expectOp('[', `after '${start.text} of'`);
    const query = this.eventQuery();
    this.expectOp(']', 'to close the lineage query');
    return { type: 'lineage', relation: start.text.toLowerCase() as 'descendant' | 'child' | 'event', query, span: this.span(start) };
  }
}
