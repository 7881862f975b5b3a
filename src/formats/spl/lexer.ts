/**
 * SPL tokenizer, in two modes over a range of the (expanded) query text:
 * - 'search': the search language (leading search, `search`, `tstats`): bare words run until
 *   whitespace or a breaker, `*` is part of a word, `"..."` strings unescape `\"` and `\\`.
 * - 'eval': the eval language (`where`): identifiers, numbers, strings, single-quoted field
 *   names and arithmetic operators.
 * Both modes keep backtick macro calls left unexpanded and `[...]` subsearches as single tokens.
 */
import { SplSyntaxError } from './errors.js';

export type TokenKind = 'word' | 'string' | 'qfield' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'macro' | 'subsearch' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Raw text as written. */
  raw: string;
  /** Unescaped value (strings, single-quoted fields); same as raw otherwise. */
  value: string;
  start: number;
  end: number;
}

export type LexMode = 'search' | 'eval';

const SEARCH_OPS = ['!=', '<=', '>=', '==', '=', '<', '>'];
const EVAL_OPS = ['!=', '<=', '>=', '==', '=', '<', '>', '+', '-', '*', '/', '%', '.'];
const SEARCH_BREAK = new Set([' ', '\t', '\n', '\r', '(', ')', '"', ',', '=', '<', '>', '`', '[']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Reads a double-quoted string starting at `i` (on the quote); returns value and end offset. */
export function readString(text: string, i: number, end: number): { value: string; end: number } {
  let value = '';
  let j = i + 1;
  while (j < end) {
    const c = text[j];
    if (c === '\\' && j + 1 < end && (text[j + 1] === '"' || text[j + 1] === '\\')) {
      value += text[j + 1];
      j += 2;
      continue;
    }
    if (c === '"') return { value, end: j + 1 };
    value += c;
    j++;
  }
  throw new SplSyntaxError(i, 'unterminated string: missing closing "');
}

/** Offset just after the `]` matching the `[` at `i` (quotes respected). */
export function skipBrackets(text: string, i: number, end: number): number {
  let depth = 0;
  let j = i;
  while (j < end) {
    const c = text[j];
    if (c === '"') {
      j = readString(text, j, end).end;
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  throw new SplSyntaxError(i, 'unterminated subsearch: missing closing ]');
}

function readMacro(text: string, i: number, end: number): number {
  const close = text.indexOf('`', i + 1);
  if (close < 0 || close >= end) throw new SplSyntaxError(i, 'unterminated macro call: missing closing backtick');
  return close + 1;
}

export function tokenize(text: string, start: number, end: number, mode: LexMode): Token[] {
  const out: Token[] = [];
  const push = (kind: TokenKind, s: number, e: number, value = text.slice(s, e)): void => {
    out.push({ kind, raw: text.slice(s, e), value, start: s, end: e });
  };
  const ops = mode === 'search' ? SEARCH_OPS : EVAL_OPS;
  let i = start;
  while (i < end) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const s = readString(text, i, end);
      push('string', i, s.end, s.value);
      i = s.end;
      continue;
    }
    if (c === '(') { push('lparen', i, i + 1); i++; continue; }
    if (c === ')') { push('rparen', i, i + 1); i++; continue; }
    if (c === ',') { push('comma', i, i + 1); i++; continue; }
    if (c === '`') {
      const e = readMacro(text, i, end);
      push('macro', i, e, text.slice(i + 1, e - 1));
      i = e;
      continue;
    }
    if (c === '[') {
      const e = skipBrackets(text, i, end);
      push('subsearch', i, e);
      i = e;
      continue;
    }
    if (mode === 'eval') {
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0 || close >= end) throw new SplSyntaxError(i, "unterminated quoted field name: missing closing '");
        push('qfield', i, close + 1, text.slice(i + 1, close));
        i = close + 1;
        continue;
      }
      const num = /^(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i, Math.min(end, i + 64)));
      if (num && !/[A-Za-z_]/.test(text[i + num[0].length] ?? '')) {
        push('number', i, i + num[0].length);
        i += num[0].length;
        continue;
      }
      const id = /^[A-Za-z0-9_@$][A-Za-z0-9_.:{}@$]*/.exec(text.slice(i, Math.min(end, i + 512)));
      if (id) {
        // A trailing '.' is the concatenation operator, not part of the name.
        const name = id[0].replace(/\.+$/, '');
        push('word', i, i + name.length);
        i += name.length;
        continue;
      }
    }
    const op = ops.find((o) => text.startsWith(o, i) && i + o.length <= end);
    if (op) {
      push('op', i, i + op.length);
      i += op.length;
      continue;
    }
    if (mode === 'eval') throw new SplSyntaxError(i, `unexpected character '${c}' in expression`);
    // search mode: a bare word; `\"` and `\\` are escaped characters inside it
    let j = i;
    let value = '';
    while (j < end) {
      const d = text[j];
      if (d === '\\' && j + 1 < end && (text[j + 1] === '"' || text[j + 1] === '\\')) {
        value += text[j + 1];
        j += 2;
        continue;
      }
      if (SEARCH_BREAK.has(d)) break;
      if (d === '!' && text[j + 1] === '=') break;
      value += d;
      j++;
    }
    if (j === i) throw new SplSyntaxError(i, `unexpected character '${c}'`);
    push('word', i, j, value);
    i = j;
  }
  out.push({ kind: 'eof', raw: '', value: '', start: end, end });
  return out;
}
