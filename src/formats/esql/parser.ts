import { tokenize } from '../eql/lexer.js';
import type { Token } from '../eql/token.js';
import { TokenCursor } from '../eql/token-cursor.js';
import { LineMap, ParseFailure, errorAt } from '../elastic/position.js';
import type { ParseResult, Span } from '../elastic/position.js';
import type { EsqlCommand, EsqlExpr, EsqlQuery } from './ast.js';
import { splitCommands } from './split.js';

/**
 * ES|QL parser: splits the pipeline into commands, keeps every command's text, parses the FROM
 * index patterns and every WHERE condition (or, and, not; comparisons, like / rlike (lists too),
 * [not] in, is [not] null, `:` match, function calls, arithmetic, `::type` casts). Other commands are
 * kept as text: the model only needs the filters. Errors carry line/column in the whole query.
 */
export function parse(text: string): ParseResult<EsqlQuery> {
  const map = new LineMap(text);
  try {
    const commands = splitCommands(text).map((r) => command(text, map, r.start, r.end));
    return { ok: true, value: { commands, source: text } };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: errorAt(map, e.offset, e.message) };
    if (e instanceof RangeError) return { ok: false, error: errorAt(map, 0, 'query too deeply nested') };
    throw e;
  }
}

function command(text: string, map: LineMap, start: number, end: number): EsqlCommand {
  const m = /^(inline\s+stats|[A-Za-z_]+)/i.exec(text.slice(start, end));
  if (!m) throw new ParseFailure(start, `expected a command name, found ${JSON.stringify(text.slice(start, start + 10))}`);
  const name = m[1].toLowerCase().replace(/\s+/, ' ');
  const bodyStart = start + m[0].length;
  const body = text.slice(bodyStart, end);
  const span: Span = { ...map.at(start), end };
  const cmd: EsqlCommand = { name, body: body.trim(), span };
  if (name === 'where') {
    if (!body.trim()) throw new ParseFailure(start, 'WHERE without a condition');
    cmd.condition = new ExprParser(text, map, bodyStart, end).top();
  } else if (name === 'from') {
    const src = body.replace(/\/\/[^\n]*/g, ' ').split(/\s+metadata\s+/i)[0];
    cmd.indices = src.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return cmd;
}

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'rlike', 'in', 'is']);

class ExprParser extends TokenCursor {
  constructor(private readonly text: string, private readonly map: LineMap, base: number, end: number) {
    super();
    let toks: Token[];
    try {
      toks = tokenize(text.slice(base, end));
    } catch (e) {
      if (e instanceof ParseFailure) throw new ParseFailure(e.offset + base, e.message);
      throw e;
    }
    this.toks = toks.map((t) => ({ ...t, start: t.start + base, end: t.end + base, ...lc(map, t.start + base) }));
  }

  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of the WHERE condition' : t.kind === 'string' ? `string ${JSON.stringify(t.text)}` : `'${t.text}'`;
  }
  private span(start: Token): Span {
    const prev = this.toks[Math.max(this.i - 1, 0)];
    return { ...this.map.at(start.start), end: Math.max(prev.end, start.end) };
  }

  top(): EsqlExpr {
    const e = this.or();
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(t, `unexpected ${this.describe(t)} in the WHERE condition`);
    return e;
  }

  private or(): EsqlExpr {
    const start = this.peek();
    const ops = [this.and()];
    while (this.isKw('or')) {
      this.next();
      ops.push(this.and());
    }
    return ops.length === 1 ? ops[0] : { type: 'or', operands: ops, span: this.span(start) };
  }

  private and(): EsqlExpr {
    const start = this.peek();
    const ops = [this.not()];
    while (this.isKw('and')) {
      this.next();
      ops.push(this.not());
    }
    return ops.length === 1 ? ops[0] : { type: 'and', operands: ops, span: this.span(start) };
  }

  // Every nested expression (parentheses, lists, call arguments, NOT) passes here: bounded depth.
  private not(): EsqlExpr {
    return this.deeper(() => {
      const start = this.peek();
      if (this.isKw('not')) {
        this.next();
        return { type: 'not', operand: this.not(), span: this.span(start) };
      }
      return this.predicate();
    });
  }

  private predicate(): EsqlExpr {
    const start = this.peek();
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARE.has(t.text)) {
      this.next();
      return { type: 'compare', op: t.text as '==', left, right: this.additive(), span: this.span(start) };
    }
    if (this.isOp(':')) {
      this.next();
      return { type: 'match', left, right: this.additive(), span: this.span(start) };
    }
    if (this.isKw('is')) {
      this.next();
      const negated = this.isKw('not');
      if (negated) this.next();
      if (!this.isKw('null')) this.fail(this.peek(), `expected 'null' after 'is${negated ? ' not' : ''}', found ${this.describe(this.peek())}`);
      this.next();
      return { type: 'isnull', negated, operand: left, span: this.span(start) };
    }
    let negated = false;
    if (this.isKw('not') && (this.isKw('like', 1) || this.isKw('rlike', 1) || this.isKw('in', 1))) {
      this.next();
      negated = true;
    }
    if (this.isKw('like') || this.isKw('rlike')) {
      const op = this.next().text.toLowerCase() as 'like' | 'rlike';
      return { type: 'pattern', op, negated, left, patterns: this.listOrOne(), span: this.span(start) };
    }
    if (this.isKw('in')) {
      this.next();
      if (!this.isOp('(')) this.fail(this.peek(), `expected '(' after 'in', found ${this.describe(this.peek())}`);
      return { type: 'in', negated, left, values: this.listOrOne(), span: this.span(start) };
    }
    return left;
  }

  private listOrOne(): EsqlExpr[] {
    if (!this.isOp('(')) return [this.additive()];
    this.next();
    const out = [this.or()];
    while (this.isOp(',')) {
      this.next();
      out.push(this.or());
    }
    if (!this.isOp(')')) this.fail(this.peek(), `expected ',' or ')' in the list, found ${this.describe(this.peek())}`);
    this.next();
    return out;
  }

  private additive(): EsqlExpr {
    return this.binaryChain(['+', '-'], () => this.multiplicative(), (op, left, right, start) => ({ type: 'arith', op: op as '+' | '-', left, right, span: this.span(start) }));
  }

  private multiplicative(): EsqlExpr {
    return this.binaryChain(['*', '/', '%'], () => this.unary(), (op, left, right, start) => ({ type: 'arith', op: op as '*' | '/' | '%', left, right, span: this.span(start) }));
  }

  private unary(): EsqlExpr {
    const start = this.peek();
    if (this.isOp('-')) {
      this.next();
      const operand = this.deeper(() => this.unary());
      if (operand.type === 'literal' && typeof operand.value === 'number') return { type: 'literal', value: -operand.value, span: this.span(start) };
      return { type: 'neg', operand, span: this.span(start) };
    }
    let e = this.primary();
    while (this.isOp('::')) {
      this.next();
      const ty = this.next();
      if (ty.kind !== 'ident') this.fail(ty, `expected a type name after '::', found ${this.describe(ty)}`);
      e = { type: 'cast', operand: e, to: ty.text.toLowerCase(), span: this.span(start) };
    }
    return e;
  }

  private primary(): EsqlExpr {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { type: 'literal', value: t.text, span: this.span(t) };
    }
    if (t.kind === 'number') {
      this.next();
      // Time spans such as `1 hour` / `5m` are kept as strings.
      const u = this.peek();
      if (u.kind === 'ident' && /^(ms|milliseconds?|s|seconds?|sec|m|min|minutes?|h|hours?|d|days?|w|weeks?|mo|months?|y|years?)$/i.test(u.text) && !this.isOp('(', 1)) {
        this.next();
        return { type: 'literal', value: `${t.text} ${u.text}`, timeSpan: true, span: this.span(t) };
      }
      return { type: 'literal', value: t.num ?? Number(t.text), span: this.span(t) };
    }
    if (this.isOp('(')) {
      this.next();
      const e = this.or();
      if (!this.isOp(')')) this.fail(this.peek(), `expected ')', found ${this.describe(this.peek())}`);
      this.next();
      return e;
    }
    if (this.isOp('{')) return this.options();
    if (this.isOp('?')) {
      this.next();
      const n = this.peek();
      if (n.kind === 'ident' && !n.spaceBefore) {
        this.next();
        return { type: 'param', name: n.text, span: this.span(t) };
      }
      return { type: 'param', name: '', span: this.span(t) };
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
      if (!t.quoted && this.isOp('(', 1)) return this.call();
      if (!t.quoted && KEYWORDS.has(lower)) this.fail(t, `expected a value or a field, found the keyword '${t.text}'`);
      return this.field();
    }
    this.fail(t, `expected a value or a field, found ${this.describe(t)}`);
  }

  private options(): EsqlExpr {
    const start = this.next();
    const entries: { key: string; value: EsqlExpr }[] = [];
    while (!this.isOp('}')) {
      const k = this.next();
      if (k.kind !== 'string' && k.kind !== 'ident') this.fail(k, `expected an option name, found ${this.describe(k)}`);
      if (!this.isOp(':')) this.fail(this.peek(), `expected ':' after the option name, found ${this.describe(this.peek())}`);
      this.next();
      entries.push({ key: k.text, value: this.additive() });
      if (this.isOp(',')) this.next();
      else if (!this.isOp('}')) this.fail(this.peek(), `expected ',' or '}' in the options, found ${this.describe(this.peek())}`);
    }
    this.next();
    return { type: 'map', entries, span: this.span(start) };
  }

  private field(): EsqlExpr {
    const start = this.next();
    let name = start.text;
    while (this.isOp('.') && !this.peek().spaceBefore) {
      const seg = this.peek(1);
      if ((seg.kind !== 'ident' && seg.kind !== 'number') || seg.spaceBefore) this.fail(seg, `expected a field name after '.', found ${this.describe(seg)}`);
      this.next();
      this.next();
      name += `.${seg.text}`;
    }
    return { type: 'field', name, span: this.span(start) };
  }

  private call(): EsqlExpr {
    const start = this.next();
    this.next(); // (
    const args: EsqlExpr[] = [];
    if (this.isOp('*') && this.isOp(')', 1)) {
      this.next();
    } else if (!this.isOp(')')) {
      args.push(this.or());
      while (this.isOp(',')) {
        this.next();
        args.push(this.or());
      }
    }
    if (!this.isOp(')')) this.fail(this.peek(), `expected ')' to close the call to ${start.text}, found ${this.describe(this.peek())}`);
    this.next();
    return { type: 'call', name: start.text.toLowerCase(), args, span: this.span(start) };
  }
}

function lc(map: LineMap, offset: number): { line: number; column: number } {
  const p = map.at(offset);
  return { line: p.line, column: p.column };
}
