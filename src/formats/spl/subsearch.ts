/**
 * Subsearches of a command stage: `[ ... ]` blocks outside strings and macro calls (join, append,
 * appendpipe, union...) and `map search="..."`. Their conditions filter other events (the joined or
 * appended ones), so they are not conditions of the rule's own events: the lowering records each one.
 * `foreach` is skipped: its brackets hold an eval template, not a search.
 */
import { readString, skipBrackets } from './lexer.js';

export interface SubsearchSpan {
  /** The command the subsearch belongs to (join, append, map...). */
  command: string;
  /** [offset, end) of the whole subsearch text (`[...]`, or `search="..."` for map). */
  offset: number;
  end: number;
  /** The search inside, and where it starts in the parsed text (for a map string: its value). */
  inner: string;
  innerOffset: number;
}

const NOT_A_SEARCH: ReadonlySet<string> = new Set(['foreach']);

/** The subsearches of the stage text[start, end) whose command is `command`. */
export function findSubsearches(text: string, start: number, end: number, command: string): SubsearchSpan[] {
  if (NOT_A_SEARCH.has(command)) return [];
  const out: SubsearchSpan[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') {
      const s = safeString(text, i, end);
      if (command === 'map' && /(^|\s)search\s*=\s*$/.test(text.slice(start, i))) {
        const eq = text.lastIndexOf('search', i);
        out.push({ command, offset: eq, end: s.end, inner: s.value, innerOffset: -1 });
      }
      i = s.end;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      i = close < 0 || close >= end ? end : close + 1;
      continue;
    }
    if (c === '[') {
      const e = skipBrackets(text, i, end);
      out.push({ command, offset: i, end: e, inner: text.slice(i + 1, e - 1), innerOffset: i + 1 });
      i = e;
      continue;
    }
    i++;
  }
  return out;
}

function safeString(text: string, i: number, end: number): { value: string; end: number } {
  try {
    return readString(text, i, end);
  } catch {
    return { value: text.slice(i + 1, end), end };
  }
}
