import { ParseFailure } from '../elastic/position.js';
import type { Token } from './token.js';

/**
 * EQL tokenizer. Accepts the Elasticsearch dialect and, to read the endgame conformance suite, the
 * legacy Python-EQL spellings too (single-quoted strings, ?"raw" strings, `=`). Comments: `//` and
 * `/* *\/`. Throws ParseFailure (caught by the parser entry point) with the offending offset.
 */
const OPS3 = ['"""'];
const OPS2 = ['==', '!=', '<=', '>=', '!:', '::'];
const OPS1 = ':<>=~!?+-*/%.,()[]|{}';

const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '@' || c === '$';
const isIdentPart = (c: string): boolean => isIdentStart(c) || (c >= '0' && c <= '9');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let space = false;
  // Line/column tracked incrementally: token starts only move forward.
  let scanned = 0;
  let line = 1;
  let lineStart = 0;
  const advanceTo = (p: number): void => {
    for (; scanned < p; scanned++) {
      if (text.charCodeAt(scanned) === 10) {
        line++;
        lineStart = scanned + 1;
      }
    }
  };
  const push = (t: Omit<Token, 'line' | 'column' | 'spaceBefore'>): void => {
    advanceTo(t.start);
    const tok = t as Token;
    tok.line = line;
    tok.column = t.start - lineStart + 1;
    tok.spaceBefore = space;
    out.push(tok);
    space = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\u00a0') {
      i++;
      space = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      space = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) throw new ParseFailure(i, 'unterminated comment');
      i = close + 2;
      space = true;
      continue;
    }
    const start = i;
    if (text.startsWith(OPS3[0], i)) {
      const close = text.indexOf('"""', i + 3);
      if (close < 0) throw new ParseFailure(i, 'unterminated """ string');
      // """ strings may end with more quotes: """a""""  is a" followed by """
      let endQuote = close;
      while (text[endQuote + 3] === '"') endQuote++;
      push({ kind: 'string', text: text.slice(i + 3, endQuote), raw: true, quote: '"""', start, end: endQuote + 3 });
      i = endQuote + 3;
      continue;
    }
    if (c === '?' && (text[i + 1] === '"' || text[i + 1] === "'")) {
      const q = text[i + 1];
      const { value, end } = readQuoted(text, i + 1, q, true);
      push({ kind: 'string', text: value, raw: true, quote: `?${q}`, start, end });
      i = end;
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, end } = readQuoted(text, i, c, false);
      push({ kind: 'string', text: value, quote: c, start, end });
      i = end;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new ParseFailure(i, 'unterminated `quoted` name');
      push({ kind: 'ident', text: text.slice(i + 1, close), quoted: true, start, end: close + 1 });
      i = close + 1;
      continue;
    }
    const prev = out[out.length - 1];
    const leadingDot = c === '.' && isDigit(text[i + 1] ?? '') && (space || !prev || (prev.kind === 'op' && prev.text !== ')' && prev.text !== ']'));
    if (isDigit(c) || leadingDot) {
      let j = leadingDot ? i + 1 : i;
      while (j < text.length && isDigit(text[j])) j++;
      if (text[j] === '.' && isDigit(text[j + 1] ?? '')) {
        j++;
        while (j < text.length && isDigit(text[j])) j++;
      }
      if ((text[j] === 'e' || text[j] === 'E') && (isDigit(text[j + 1] ?? '') || ((text[j + 1] === '+' || text[j + 1] === '-') && isDigit(text[j + 2] ?? '')))) {
        j += 2;
        while (j < text.length && isDigit(text[j])) j++;
      }
      const src = text.slice(i, j);
      push({ kind: 'number', text: src, num: Number(src), start, end: j });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text[j])) j++;
      push({ kind: 'ident', text: text.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (OPS2.includes(two)) {
      push({ kind: 'op', text: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (OPS1.includes(c)) {
      push({ kind: 'op', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    throw new ParseFailure(i, `unexpected character ${JSON.stringify(c)}`);
  }
  advanceTo(text.length);
  out.push({ kind: 'eof', text: '', start: text.length, end: text.length, line, column: text.length - lineStart + 1, spaceBefore: space });
  return out;
}

/** Reads a quoted string starting at the opening quote; decodes escapes unless raw. */
function readQuoted(text: string, open: number, q: string, raw: boolean): { value: string; end: number } {
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === q) return { value, end: i + 1 };
    if (c === '\n' && !raw) throw new ParseFailure(open, 'string not closed on its line');
    if (c === '\\') {
      if (raw) {
        // Raw strings keep backslashes; \" still does not close the string.
        value += c + (text[i + 1] ?? '');
        i += 2;
        continue;
      }
      const { decoded, length } = decodeEscape(text, i);
      value += decoded;
      i += length;
      continue;
    }
    value += c;
    i++;
  }
  throw new ParseFailure(open, 'unterminated string');
}

/** Decodes one backslash escape at text[i] === '\\'. Unknown escapes keep the backslash. */
function decodeEscape(text: string, i: number): { decoded: string; length: number } {
  const n = text[i + 1];
  switch (n) {
    case 'n':
      return { decoded: '\n', length: 2 };
    case 't':
      return { decoded: '\t', length: 2 };
    case 'r':
      return { decoded: '\r', length: 2 };
    case 'b':
      return { decoded: '\b', length: 2 };
    case 'f':
      return { decoded: '\f', length: 2 };
    case '0':
      return { decoded: '\0', length: 2 };
    case '"':
    case "'":
    case '\\':
    case '/':
      return { decoded: n, length: 2 };
    case 'u': {
      const braced = /^\{([0-9a-fA-F]{1,8})\}/.exec(text.slice(i + 2, i + 12));
      if (braced) {
        const cp = parseInt(braced[1], 16);
        if (cp > 0x10ffff) throw new ParseFailure(i, `invalid unicode escape \\u{${braced[1]}}`);
        return { decoded: String.fromCodePoint(cp), length: 2 + braced[0].length };
      }
      const four = /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2, i + 6));
      if (four) return { decoded: String.fromCharCode(parseInt(four[0], 16)), length: 6 };
      throw new ParseFailure(i, 'invalid unicode escape');
    }
    case undefined:
      throw new ParseFailure(i, 'backslash at end of input');
    default:
      return { decoded: `\\${n}`, length: 2 };
  }
}
