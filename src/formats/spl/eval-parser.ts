/**
 * Recursive descent over the eval language used by `where`. Precedence (Splunk's, for eval and
 * where): parentheses, NOT, comparisons (= == != < <= > >= LIKE IN), AND, XOR, OR; arithmetic
 * binds tighter than comparisons (* / % over + - .).
 */
import type { EvalExpr } from './ast.js';
import { Cursor, describe } from './cursor.js';
import { MAX_DEPTH, SplSyntaxError } from './errors.js';

const CMP = new Set(['=', '==', '!=', '<', '<=', '>', '>=']);

export function parseEvalExpr(cur: Cursor): EvalExpr {
  const p = new EvalParser(cur);
  const e = p.parseOr();
  if (!cur.atEnd()) throw new SplSyntaxError(cur.peek().start, `unexpected ${describe(cur.peek())} after the expression`);
  return e;
}

class EvalParser {
  private depth = 0;
  constructor(private readonly cur: Cursor) {}

  /** Runs a recursive step with the nesting depth bounded. */
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new SplSyntaxError(this.cur.peek().start, `expression nested deeper than ${MAX_DEPTH} levels`, 'query-too-deep');
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /** Records the text span of `e`: from `start` to the end of the last token consumed. */
  private spanned(start: number, e: EvalExpr): EvalExpr {
    e.span ??= [start, this.cur.lastEnd];
    return e;
  }

  private startOf(e: EvalExpr): number {
    return e.span?.[0] ?? e.offset;
  }

  private kw(w: string): boolean {
    return this.cur.isWord(w, true);
  }

  parseOr(): EvalExpr {
    return this.nested(() => this.parseOrInner());
  }

  private parseOrInner(): EvalExpr {
    let left = this.parseXor();
    while (this.kw('OR')) {
      const t = this.cur.next();
      left = this.spanned(this.startOf(left), { kind: 'or', left, right: this.parseXor(), offset: t.start });
    }
    return left;
  }

  private parseXor(): EvalExpr {
    let left = this.parseAnd();
    while (this.kw('XOR')) {
      const t = this.cur.next();
      left = this.spanned(this.startOf(left), { kind: 'xor', left, right: this.parseAnd(), offset: t.start });
    }
    return left;
  }

  private parseAnd(): EvalExpr {
    let left = this.parseNot();
    while (this.kw('AND')) {
      const t = this.cur.next();
      left = this.spanned(this.startOf(left), { kind: 'and', left, right: this.parseNot(), offset: t.start });
    }
    return left;
  }

  private parseNot(): EvalExpr {
    if (this.kw('NOT')) {
      const t = this.cur.next();
      return this.spanned(t.start, { kind: 'not', item: this.nested(() => this.parseNot()), offset: t.start });
    }
    return this.parseCmp();
  }

  private parseCmp(): EvalExpr {
    const start = this.cur.peek().start;
    const e = this.parseCmpInner();
    return this.spanned(start, e);
  }

  private parseCmpInner(): EvalExpr {
    const left = this.parseAdd();
    const t = this.cur.peek();
    if (t.kind === 'op' && CMP.has(t.raw)) {
      this.cur.next();
      const right = this.parseAdd();
      return { kind: 'cmp', op: t.raw as '=', left, right, offset: t.start };
    }
    if (this.kw('LIKE')) {
      this.cur.next();
      return { kind: 'like', left, pattern: this.parseAdd(), offset: t.start };
    }
    const negated = this.kw('NOT') && this.cur.isWord('IN', true, 1);
    if (negated) this.cur.next();
    if (this.cur.isWord('IN', true) && this.cur.peek(1).kind === 'lparen') {
      const inTok = this.cur.next();
      this.cur.next();
      const list = this.parseArgs(inTok.start);
      const e: EvalExpr = { kind: 'in', left, list, offset: inTok.start };
      return negated ? { kind: 'not', item: e, offset: t.start } : e;
    }
    if (negated) throw new SplSyntaxError(t.start, 'NOT here must be followed by IN (...)');
    return left;
  }

  private parseAdd(): EvalExpr {
    let left = this.parseMul();
    for (;;) {
      const t = this.cur.peek();
      if (t.kind !== 'op' || (t.raw !== '+' && t.raw !== '-' && t.raw !== '.')) return left;
      this.cur.next();
      left = { kind: 'arith', op: t.raw, left, right: this.parseMul(), offset: t.start };
    }
  }

  private parseMul(): EvalExpr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.cur.peek();
      if (t.kind !== 'op' || (t.raw !== '*' && t.raw !== '/' && t.raw !== '%')) return left;
      this.cur.next();
      left = { kind: 'arith', op: t.raw, left, right: this.parseUnary(), offset: t.start };
    }
  }

  private parseUnary(): EvalExpr {
    const t = this.cur.peek();
    if (t.kind === 'op' && t.raw === '-') {
      this.cur.next();
      return { kind: 'neg', item: this.nested(() => this.parseUnary()), offset: t.start };
    }
    if (t.kind === 'op' && t.raw === '+') {
      this.cur.next();
      return this.nested(() => this.parseUnary());
    }
    return this.parsePrimary();
  }

  private parseArgs(openAt: number): EvalExpr[] {
    const args: EvalExpr[] = [];
    if (this.cur.peek().kind === 'rparen') {
      this.cur.next();
      return args;
    }
    for (;;) {
      args.push(this.parseOr());
      const t = this.cur.next();
      if (t.kind === 'rparen') return args;
      if (t.kind !== 'comma') {
        if (t.kind === 'eof') throw new SplSyntaxError(openAt, 'unbalanced ( : missing )');
        throw new SplSyntaxError(t.start, `expected , or ) in the argument list, found ${describe(t)}`);
      }
    }
  }

  private parsePrimary(): EvalExpr {
    const start = this.cur.peek().start;
    const e = this.parsePrimaryInner();
    return e.span ? e : this.spanned(start, e);
  }

  private parsePrimaryInner(): EvalExpr {
    const t = this.cur.next();
    switch (t.kind) {
      case 'lparen': {
        const inner = this.parseOr();
        const close = this.cur.next();
        if (close.kind !== 'rparen') throw new SplSyntaxError(t.start, `unbalanced (: expected ), found ${describe(close)}`);
        return inner;
      }
      case 'string':
        return { kind: 'str', value: t.value, offset: t.start };
      case 'number':
        return { kind: 'num', value: Number(t.raw), offset: t.start };
      case 'qfield':
        return { kind: 'field', name: t.value, quoted: true, offset: t.start };
      case 'macro':
      case 'subsearch':
        return { kind: 'opaque', text: t.raw, offset: t.start };
      case 'word': {
        if (this.cur.peek().kind === 'lparen') {
          const open = this.cur.next();
          return { kind: 'call', name: t.raw.toLowerCase(), args: this.parseArgs(open.start), offset: t.start };
        }
        return { kind: 'field', name: t.raw, quoted: false, offset: t.start };
      }
      default:
        throw new SplSyntaxError(t.start, `expected a value, field or function, found ${describe(t)}`);
    }
  }
}
