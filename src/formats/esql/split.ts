import { ParseFailure } from '../elastic/position.js';

/** A command's text range inside the query (name starts at `start`). */
export interface CommandRange {
  start: number;
  end: number;
}

/**
 * Splits an ES|QL query on the `|` that separate commands, skipping strings ("...", """..."""),
 * comments (// and /* *\/) and parenthesised parts. Empty commands are reported.
 */
export function splitCommands(s: string): CommandRange[] {
  const out: CommandRange[] = [];
  let depth = 0;
  let segStart = 0;
  let i = 0;
  const close = (end: number): void => {
    let a = segStart;
    // Skip leading whitespace and comments so the command starts at its name.
    for (;;) {
      while (a < end && /\s/.test(s[a])) a++;
      if (s.startsWith('//', a)) {
        while (a < end && s[a] !== '\n') a++;
      } else if (s.startsWith('/*', a)) {
        const c = s.indexOf('*/', a + 2);
        a = c < 0 ? end : c + 2;
      } else break;
    }
    if (a >= end) throw new ParseFailure(Math.min(segStart, s.length), out.length === 0 ? 'empty query' : "empty command between '|'");
    out.push({ start: a, end });
  };
  while (i < s.length) {
    const c = s[i];
    if (s.startsWith('"""', i)) {
      const e = s.indexOf('"""', i + 3);
      if (e < 0) throw new ParseFailure(i, 'unterminated """ string');
      i = e + 3;
      while (s[i] === '"') i++;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') i++;
        else if (s[i] === '\n') throw new ParseFailure(i, 'string not closed on its line');
        i++;
      }
      if (i >= s.length) throw new ParseFailure(i, 'unterminated string');
      i++;
    } else if (s.startsWith('//', i)) {
      while (i < s.length && s[i] !== '\n') i++;
    } else if (s.startsWith('/*', i)) {
      const e = s.indexOf('*/', i + 2);
      if (e < 0) throw new ParseFailure(i, 'unterminated comment');
      i = e + 2;
    } else {
      if (c === '(') depth++;
      else if (c === ')') depth = Math.max(0, depth - 1);
      else if (c === '|' && depth === 0) {
        close(i);
        segStart = i + 1;
      }
      i++;
    }
  }
  close(s.length);
  return out;
}
