import { normalizeParts } from '../elastic/pattern.js';
import type { PatternPart } from '../elastic/pattern.js';
import { LineMap, ParseFailure, errorAt } from '../elastic/position.js';
import type { ParseResult, Span } from '../elastic/position.js';
import type { LuceneNode, LuceneTerm } from './ast.js';
import { NestingGuard } from '../nesting.js';

/**
 * Lucene query_string parser (subset): OR / || < AND / && < NOT / ! / - / + prefixes; juxtaposition
 * is OR (query_string's default operator) except for `+x` / `-x`, which join with AND (must / must
 * not). `field:term`, `field:(a OR b)`, `"phrases"`, `/regex/`, `[a TO b]` / `{a TO b}` ranges,
 * `*` and `?` wildcards, backslash escapes, `^boost` and `~fuzziness` suffixes (ignored).
 */
export function parse(text: string): ParseResult<LuceneNode> {
  const map = new LineMap(text);
  try {
    return { ok: true, value: new LuceneParser(text, map).top() };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: errorAt(map, e.offset, e.message) };
    if (e instanceof RangeError) return { ok: false, error: errorAt(map, 0, 'query too deeply nested') };
    throw e;
  }
}

const TERM_STOP = ' \t\r\n()[]{}:"^~\\';

class LuceneParser {
  private i = 0;
  private readonly nesting = new NestingGuard();

  constructor(private readonly s: string, private readonly map: LineMap) {}

  private ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }
  private fail(at: number, msg: string): never {
    throw new ParseFailure(at, msg);
  }
  private here(): string {
    return this.i >= this.s.length ? 'end of query' : JSON.stringify(this.s.slice(this.i, this.i + 12));
  }
  private span(start: number): Span {
    return { ...this.map.at(start), end: this.i };
  }
  private word(w: string): boolean {
    if (!this.s.startsWith(w, this.i)) return false;
    const after = this.s[this.i + w.length];
    return after === undefined || /\s|\(/.test(after);
  }
  private atEnd(): boolean {
    this.ws();
    return this.i >= this.s.length || this.s[this.i] === ')';
  }

  top(): LuceneNode {
    const q = this.query();
    this.ws();
    if (this.i < this.s.length) this.fail(this.i, `unexpected ${this.here()}`);
    return q;
  }

  private query(): LuceneNode {
    const groups: LuceneNode[][] = [[this.clause()]];
    while (!this.atEnd()) {
      if (this.word('OR') || this.s.startsWith('||', this.i)) {
        this.i += 2;
        groups.push([this.clause()]);
      } else if (this.word('AND') || this.s.startsWith('&&', this.i)) {
        this.i += this.s[this.i] === '&' ? 2 : 3;
        groups[groups.length - 1].push(this.clause());
      } else if (this.s[this.i] === '+' || this.s[this.i] === '-') {
        groups[groups.length - 1].push(this.clause());
      } else {
        groups.push([this.clause()]);
      }
    }
    const ands = groups.map((g) => (g.length === 1 ? g[0] : ({ type: 'and', children: g } as LuceneNode)));
    return ands.length === 1 ? ands[0] : { type: 'or', children: ands };
  }

  // Every nested query (parentheses, field groups, NOT, + and -) passes here: bounded depth.
  private clause(): LuceneNode {
    return this.nesting.within((m) => this.fail(this.i, m), () => {
      this.ws();
      const c = this.s[this.i];
      if (this.word('NOT') || c === '!' || (c === '-' && !/\s/.test(this.s[this.i + 1] ?? ' '))) {
        this.i += this.word('NOT') ? 3 : 1;
        return { type: 'not', child: this.clause() };
      }
      if (c === '+') {
        this.i++;
        return this.clause();
      }
      return this.primary();
    });
  }

  private primary(): LuceneNode {
    this.ws();
    const start = this.i;
    if (this.s[this.i] === '(') {
      this.i++;
      const q = this.query();
      this.ws();
      if (this.s[this.i] !== ')') this.fail(this.i, `expected ')' to close the '(' at column ${this.map.at(start).column}, found ${this.here()}`);
      this.i++;
      this.suffix();
      return q;
    }
    if (this.i >= this.s.length) this.fail(this.i, 'expected a term, found end of query');
    const first = this.term();
    this.ws();
    if (this.s[this.i] === ':' && first.kind === 'term') {
      this.i++;
      this.ws();
      const field = first.text;
      if (this.s[this.i] === '(') {
        this.i++;
        const q = this.query();
        this.ws();
        if (this.s[this.i] !== ')') this.fail(this.i, `expected ')' to close the value list, found ${this.here()}`);
        this.i++;
        this.suffix();
        return { type: 'group', field, query: q };
      }
      const t = this.term();
      if (field === '_exists_' && t.kind === 'term') return { type: 'term', field: t.text, term: { kind: 'term', text: '*', parts: [{ wild: '*' }], span: t.span } };
      return { type: 'term', field, term: t };
    }
    return { type: 'term', field: null, term: first };
  }

  /** `^boost` (no effect on matching) and `~N` (fuzzy term / phrase proximity): true when a `~` was read. */
  private suffix(): boolean {
    let fuzzy = false;
    while (this.s[this.i] === '^' || this.s[this.i] === '~') {
      fuzzy ||= this.s[this.i] === '~';
      this.i++;
      while (/[0-9.]/.test(this.s[this.i] ?? '')) this.i++;
    }
    return fuzzy;
  }

  private term(): LuceneTerm {
    this.ws();
    const start = this.i;
    const c = this.s[this.i];
    if (c === '"') {
      let text = '';
      this.i++;
      while (this.i < this.s.length && this.s[this.i] !== '"') {
        if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) this.i++;
        text += this.s[this.i++];
      }
      if (this.i >= this.s.length) this.fail(start, 'unterminated phrase');
      this.i++;
      const fuzzy = this.suffix();
      return { kind: 'phrase', text, span: this.span(start), ...(fuzzy ? { fuzzy } : {}) };
    }
    if (c === '/') {
      let pattern = '';
      this.i++;
      while (this.i < this.s.length && this.s[this.i] !== '/') {
        if (this.s[this.i] === '\\' && this.s[this.i + 1] === '/') this.i++;
        pattern += this.s[this.i++];
      }
      if (this.i >= this.s.length) this.fail(start, 'unterminated /regex/');
      this.i++;
      return { kind: 'regex', pattern, span: this.span(start) };
    }
    if (c === '[' || c === '{') {
      this.i++;
      const lower = this.bound();
      this.ws();
      if (!this.s.startsWith('TO', this.i)) this.fail(this.i, `expected 'TO' in the range, found ${this.here()}`);
      this.i += 2;
      const upper = this.bound();
      this.ws();
      const close = this.s[this.i];
      if (close !== ']' && close !== '}') this.fail(this.i, `expected ']' or '}' to close the range, found ${this.here()}`);
      this.i++;
      return { kind: 'range', lower, upper, includeLower: c === '[', includeUpper: close === ']', span: this.span(start) };
    }
    const parts: PatternPart[] = [];
    let lit = '';
    let text = '';
    while (this.i < this.s.length) {
      const ch = this.s[this.i];
      if (ch === '\\' && this.i + 1 < this.s.length) {
        lit += this.s[this.i + 1];
        text += this.s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (TERM_STOP.includes(ch)) break;
      if (ch === '*' || ch === '?') {
        if (lit) parts.push({ lit });
        lit = '';
        parts.push({ wild: ch });
      } else lit += ch;
      text += ch;
      this.i++;
    }
    if (lit) parts.push({ lit });
    if (this.i === start) this.fail(start, `expected a term, found ${this.here()}`);
    const fuzzy = this.suffix();
    return { kind: 'term', text, parts: normalizeParts(parts), span: this.span(start), ...(fuzzy ? { fuzzy } : {}) };
  }

  private bound(): string | null {
    this.ws();
    const start = this.i;
    if (this.s[this.i] === '"') {
      const t = this.term();
      return t.kind === 'phrase' ? t.text : null;
    }
    while (this.i < this.s.length && !/[\s\]}]/.test(this.s[this.i])) this.i++;
    const b = this.s.slice(start, this.i);
    if (!b) this.fail(start, 'expected a range bound');
    return b === '*' ? null : b;
  }
}
