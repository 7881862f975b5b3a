/**
 * Recursive descent over the search language. Precedence (Splunk's, for the search command):
 * parentheses, then NOT, then OR, then AND (explicit or implied between terms), so that
 * `a b OR c` is `a AND (b OR c)`.
 */
import type { SearchCmpOp, SearchExpr, SearchValue } from './ast.js';
import { Cursor, describe } from './cursor.js';
import { MAX_DEPTH, SplSyntaxError } from './errors.js';
import type { Token } from './lexer.js';

export interface SearchParseOptions {
  /** Stop (without consuming) at a bare word, case-insensitive: `by` for tstats. */
  stopWords?: string[];
}

const CMP_OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=']);

export function parseSearchExpr(cur: Cursor, opts: SearchParseOptions = {}): SearchExpr | undefined {
  const stop = new Set((opts.stopWords ?? []).map((w) => w.toLowerCase()));
  const p = new SearchParser(cur, stop);
  const e = p.parseAnd(0);
  if (!cur.atEnd() && !p.atStop()) throw new SplSyntaxError(cur.peek().start, `unexpected ${describe(cur.peek())}`);
  return e;
}

class SearchParser {
  constructor(
    private readonly cur: Cursor,
    private readonly stop: Set<string>,
  ) {}

  atStop(): boolean {
    const t = this.cur.peek();
    return t.kind === 'word' && this.stop.has(t.raw.toLowerCase());
  }

  private startsTerm(): boolean {
    const t = this.cur.peek();
    if (t.kind === 'eof' || t.kind === 'rparen' || this.atStop()) return false;
    if (t.kind === 'word' && (t.raw === 'OR' || t.raw === 'AND')) return false;
    return true;
  }

  parseAnd(depth: number): SearchExpr | undefined {
    const items: SearchExpr[] = [];
    const offset = this.cur.peek().start;
    if (depth > MAX_DEPTH) throw new SplSyntaxError(offset, `expression nested deeper than ${MAX_DEPTH} levels`, 'query-too-deep');
    for (;;) {
      if (this.cur.isWord('AND')) {
        const t = this.cur.next();
        if (!items.length) throw new SplSyntaxError(t.start, 'AND without a left operand');
        if (!this.startsTerm()) throw new SplSyntaxError(t.start, 'AND without a right operand');
      }
      if (this.cur.peek().kind === 'comma') {
        this.cur.next();
        continue;
      }
      if (!this.startsTerm()) break;
      items.push(this.parseOr(depth));
    }
    const t = this.cur.peek();
    if (t.kind === 'word' && t.raw === 'OR') throw new SplSyntaxError(t.start, 'OR without a left operand');
    if (t.kind === 'rparen' && depth === 0) throw new SplSyntaxError(t.start, 'unbalanced )');
    if (!items.length) return undefined;
    return items.length === 1 ? items[0] : { kind: 'and', items, offset };
  }

  private parseOr(depth: number): SearchExpr {
    const first = this.parseNot(depth);
    const items = [first];
    while (this.cur.isWord('OR')) {
      const t = this.cur.next();
      if (!this.startsTerm()) throw new SplSyntaxError(t.start, 'OR without a right operand');
      items.push(this.parseNot(depth));
    }
    return items.length === 1 ? first : { kind: 'or', items, offset: first.offset };
  }

  private parseNot(depth: number): SearchExpr {
    if (depth > MAX_DEPTH) throw new SplSyntaxError(this.cur.peek().start, `expression nested deeper than ${MAX_DEPTH} levels`, 'query-too-deep');
    if (this.cur.isWord('NOT')) {
      const t = this.cur.next();
      if (!this.startsTerm()) throw new SplSyntaxError(t.start, 'NOT without an operand');
      return { kind: 'not', item: this.parseNot(depth + 1), offset: t.start };
    }
    return this.parseAtom(depth);
  }

  private parseAtom(depth: number): SearchExpr {
    const t = this.cur.peek();
    if (t.kind === 'lparen') {
      this.cur.next();
      const inner = this.parseAnd(depth + 1);
      const close = this.cur.peek();
      if (close.kind !== 'rparen') throw new SplSyntaxError(t.start, `unbalanced (: expected ), found ${describe(close)}`);
      this.cur.next();
      return inner ?? { kind: 'term', value: { text: '*', quoted: false, offset: t.start }, cased: false, offset: t.start };
    }
    if (t.kind === 'subsearch') {
      this.cur.next();
      return { kind: 'opaque', text: t.raw, what: 'subsearch', offset: t.start };
    }
    if (t.kind === 'macro') {
      this.cur.next();
      return { kind: 'opaque', text: t.raw, what: 'macro', offset: t.start };
    }
    if (t.kind === 'string' || t.kind === 'word') return this.parseTerm();
    throw new SplSyntaxError(t.start, `unexpected ${describe(t)}`);
  }

  private parseTerm(): SearchExpr {
    const t = this.cur.next();
    // CASE(x) / TERM(x) directives
    if (t.kind === 'word' && (t.raw === 'CASE' || t.raw === 'TERM') && this.cur.peek().kind === 'lparen' && this.cur.peek().start === t.end) {
      this.cur.next();
      const v = this.value('a term');
      this.cur.expect('rparen', `) closing ${t.raw}(`);
      return { kind: 'term', value: v, cased: t.raw === 'CASE', offset: t.start };
    }
    const next = this.cur.peek();
    if (next.kind === 'op' && CMP_OPS.has(next.raw)) {
      this.cur.next();
      const op = (next.raw === '==' ? '=' : next.raw) as SearchCmpOp;
      const after = this.cur.peek();
      if (after.kind === 'word' && after.raw === 'CASE' && this.cur.peek(1).kind === 'lparen') {
        this.cur.next();
        this.cur.next();
        const v = this.value(`a value after ${op}`);
        this.cur.expect('rparen', ') closing CASE(');
        return { kind: 'cmp', field: t.value, op, value: v, cased: true, offset: t.start };
      }
      if (after.kind === 'eof' || after.kind === 'rparen' || after.kind === 'op') {
        // `field=` followed by nothing: an empty value
        return { kind: 'cmp', field: t.value, op, value: { text: '', quoted: false, offset: next.end }, cased: false, offset: t.start };
      }
      const v = this.value(`a value after ${op}`);
      return { kind: 'cmp', field: t.value, op, value: v, cased: false, offset: t.start };
    }
    if (this.cur.isWord('IN', true) && this.cur.peek(1).kind === 'lparen') {
      this.cur.next();
      const open = this.cur.next();
      const values: SearchValue[] = [];
      while (this.cur.peek().kind !== 'rparen') {
        if (this.cur.peek().kind === 'eof') throw new SplSyntaxError(open.start, 'unbalanced ( in IN list');
        if (this.cur.peek().kind === 'comma') {
          this.cur.next();
          continue;
        }
        values.push(this.value('a value in the IN list'));
      }
      this.cur.next();
      return { kind: 'in', field: t.value, values, offset: t.start };
    }
    return { kind: 'term', value: valueOf(t), cased: false, offset: t.start };
  }

  private value(what: string): SearchValue {
    const t = this.cur.peek();
    if (t.kind === 'word' || t.kind === 'string') {
      this.cur.next();
      return valueOf(t);
    }
    if (t.kind === 'macro' || t.kind === 'subsearch') {
      throw new SplSyntaxError(t.start, `${t.kind === 'macro' ? 'an unexpanded macro' : 'a subsearch'} as ${what} is not supported`, 'query-unsupported');
    }
    throw new SplSyntaxError(t.start, `expected ${what}, found ${describe(t)}`);
  }
}

function valueOf(t: Token): SearchValue {
  return { text: t.value, quoted: t.kind === 'string', offset: t.start };
}
