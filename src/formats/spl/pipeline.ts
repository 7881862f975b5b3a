/**
 * Splits an SPL query into pipeline stages at top-level `|` (outside strings, subsearch brackets
 * and macro backticks). Returns [start, end) ranges into the text.
 */
import { readString, skipBrackets } from './lexer.js';

export interface StageRange {
  start: number;
  end: number;
}

export function splitStages(text: string): StageRange[] {
  const out: StageRange[] = [];
  let start = 0;
  let i = 0;
  const end = text.length;
  while (i < end) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') {
      i = readString(text, i, end).end;
      continue;
    }
    if (c === '[') {
      i = skipBrackets(text, i, end);
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      i = close < 0 ? end : close + 1;
      continue;
    }
    if (c === '|') {
      out.push({ start, end: i });
      start = i + 1;
    }
    i++;
  }
  out.push({ start, end });
  return out;
}
