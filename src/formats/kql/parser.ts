import { normalizeParts } from '../elastic/pattern.js';
import type { PatternPart } from '../elastic/pattern.js';
import { LineMap, ParseFailure, errorAt } from '../elastic/position.js';
import type { ParseResult, Span } from '../elastic/position.js';
import type { KqlNode, KqlValue, KqlValueExpr } from './ast.js';
import { NestingGuard } from '../nesting.js';

/**
 * KQL parser following the kuery grammar: or < and < not < sub-query; `field: value-list`,
 * `field < value`, `field: { nested }`, bare values. Unquoted literals may contain inner spaces
 * (`a: hello world` is one value) and end at a keyword surrounded by spaces, at `):<>"{}`, or at the end.
 * Backslash escapes `\\ \( \) \: \< \> \" \* \{ \} \t \r \n` and escaped keywords are decoded; an
 * unknown escape keeps its backslash (Kibana would reject it; the corpus is lenient here).
 */
export function parse(text: string): ParseResult<KqlNode> {
  const map = new LineMap(text);
  try {
    const p = new KqlParser(text, map);
    return { ok: true, value: p.top() };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: errorAt(map, e.offset, e.message) };
    if (e instanceof RangeError) return { ok: false, error: errorAt(map, 0, 'query too deeply nested') };
    throw e;
  }
}

const SPECIAL = '\\():<>"*{}';
const ESCAPABLE = '\\():<>"*{}';
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

class KqlParser {
  private i = 0;
  private readonly nesting = new NestingGuard();

  constructor(private readonly s: string, private readonly map: LineMap) {}

  private ws(): void {
    while (isSpace(this.s[this.i])) this.i++;
  }
  private fail(at: number, message: string): never {
    throw new ParseFailure(at, message);
  }
  private span(start: number): Span {
    return { ...this.map.at(start), end: this.i };
  }
  /** A keyword at i (case-insensitive), followed by a space or '(' (or end for `not`). */
  private kwAt(i: number, word: string): boolean {
    const w = this.s.slice(i, i + word.length);
    if (w.toLowerCase() !== word) return false;
    const after = this.s[i + word.length];
    return isSpace(after) || after === '(' || after === undefined;
  }
  private eatKw(word: string): boolean {
    this.ws();
    if (!this.kwAt(this.i, word)) return false;
    this.i += word.length;
    return true;
  }
  private describeHere(): string {
    return this.i >= this.s.length ? 'end of query' : JSON.stringify(this.s.slice(this.i, this.i + 12));
  }

  top(): KqlNode {
    this.ws();
    if (this.i >= this.s.length) this.fail(0, 'empty query');
    const q = this.orQuery();
    this.ws();
    if (this.i < this.s.length) this.fail(this.i, `unexpected ${this.describeHere()}`);
    return q;
  }

  private orQuery(): KqlNode {
    const start = this.i;
    const kids = [this.andQuery()];
    while (this.eatKw('or')) kids.push(this.andQuery());
    return kids.length === 1 ? kids[0] : { type: 'or', children: kids, span: this.span(start) };
  }

  private andQuery(): KqlNode {
    const start = this.i;
    const kids = [this.notQuery()];
    while (this.eatKw('and')) kids.push(this.notQuery());
    return kids.length === 1 ? kids[0] : { type: 'and', children: kids, span: this.span(start) };
  }

  // Every nested query (parentheses, `{}`, `not`) passes here: bounded depth.
  private notQuery(): KqlNode {
    return this.nesting.within((m) => this.fail(this.i, m), () => {
      this.ws();
      const start = this.i;
      if (this.eatKw('not')) return { type: 'not', child: this.notQuery(), span: this.span(start) };
      return this.subQuery();
    });
  }

  private subQuery(): KqlNode {
    this.ws();
    const start = this.i;
    if (this.s[this.i] === '(') {
      this.i++;
      const q = this.orQuery();
      this.ws();
      if (this.s[this.i] !== ')') this.fail(this.i, `expected ')' to close the '(' at column ${this.map.at(start).column}, found ${this.describeHere()}`);
      this.i++;
      return q;
    }
    const first = this.value();
    this.ws();
    const c = this.s[this.i];
    if (c === ':') {
      this.i++;
      this.ws();
      if (this.s[this.i] === '{') {
        this.i++;
        const query = this.orQuery();
        this.ws();
        if (this.s[this.i] !== '}') this.fail(this.i, `expected '}' to close the nested query, found ${this.describeHere()}`);
        this.i++;
        return { type: 'nested', field: first, query, span: this.span(start) };
      }
      const value = this.listOfValues();
      return { type: 'match', field: first, value, span: this.span(start) };
    }
    if (c === '<' || c === '>') {
      const op = (this.s[this.i + 1] === '=' ? `${c}=` : c) as '<' | '<=' | '>' | '>=';
      this.i += op.length;
      this.ws();
      const value = this.value();
      return { type: 'range', field: first, op, value, span: this.span(start) };
    }
    return { type: 'free', value: first, span: this.span(start) };
  }

  private listOfValues(): KqlValueExpr {
    this.ws();
    if (this.s[this.i] === '(') {
      const open = this.i;
      this.i++;
      const v = this.orValues();
      this.ws();
      if (this.s[this.i] !== ')') this.fail(this.i, `expected ')' to close the value list opened at column ${this.map.at(open).column}, found ${this.describeHere()}`);
      this.i++;
      return v;
    }
    return { type: 'value', value: this.value() };
  }

  private orValues(): KqlValueExpr {
    const kids = [this.andValues()];
    while (this.eatKw('or')) kids.push(this.andValues());
    return kids.length === 1 ? kids[0] : { type: 'or', children: kids };
  }

  private andValues(): KqlValueExpr {
    const kids = [this.notValues()];
    while (this.eatKw('and')) kids.push(this.notValues());
    return kids.length === 1 ? kids[0] : { type: 'and', children: kids };
  }

  private notValues(): KqlValueExpr {
    return this.nesting.within((m) => this.fail(this.i, m), () => {
      if (this.eatKw('not')) return { type: 'not', child: this.notValues() };
      return this.listOfValues();
    });
  }

  /** A quoted string or an unquoted literal. */
  private value(): KqlValue {
    this.ws();
    const start = this.i;
    if (this.s[this.i] === '"') {
      this.i++;
      let text = '';
      while (this.i < this.s.length && this.s[this.i] !== '"') {
        if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) {
          text += unescapeChar(this.s[this.i + 1]);
          this.i += 2;
        } else text += this.s[this.i++];
      }
      if (this.i >= this.s.length) this.fail(start, 'unterminated quoted string');
      this.i++;
      return { quoted: true, text, parts: [{ lit: text }], span: this.span(start) };
    }
    const parts: PatternPart[] = [];
    let lit = '';
    let text = '';
    let end = this.i;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') {
        const n = this.s[this.i + 1];
        if (n === undefined) this.fail(this.i, 'backslash at the end of the query');
        const kw = ['or', 'and', 'not'].find((k) => this.s.slice(this.i + 1, this.i + 1 + k.length).toLowerCase() === k);
        if (kw) {
          const w = this.s.slice(this.i + 1, this.i + 1 + kw.length);
          lit += w;
          text += w;
          this.i += 1 + kw.length;
        } else {
          const d = ESCAPABLE.includes(n) || 'trn'.includes(n) ? unescapeChar(n) : `\\${n}`;
          lit += d;
          text += d;
          this.i += 2;
        }
        end = this.i;
        continue;
      }
      if (isSpace(c)) {
        // Inner spaces belong to the value unless a keyword or the end of the value follows.
        let j = this.i;
        while (isSpace(this.s[j])) j++;
        const n = this.s[j];
        if (n === undefined || SPECIAL.replace('\\', '').replace('*', '').includes(n) || this.kwAt(j, 'or') || this.kwAt(j, 'and') || this.kwAt(j, 'not')) break;
        lit += this.s.slice(this.i, j);
        text += this.s.slice(this.i, j);
        this.i = j;
        continue;
      }
      if (c === '*') {
        if (lit) parts.push({ lit });
        lit = '';
        parts.push({ wild: '*' });
        text += c;
        this.i++;
        end = this.i;
        continue;
      }
      if (SPECIAL.includes(c)) break;
      lit += c;
      text += c;
      this.i++;
      end = this.i;
    }
    if (lit) parts.push({ lit });
    this.i = end;
    if (end === start) this.fail(start, `expected a value, found ${this.describeHere()}`);
    return { quoted: false, text, parts: normalizeParts(parts), span: this.span(start) };
  }
}

function unescapeChar(n: string): string {
  return n === 't' ? '\t' : n === 'r' ? '\r' : n === 'n' ? '\n' : n;
}
