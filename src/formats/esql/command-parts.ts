/**
 * The parts of ES|QL commands the parser keeps as text: STATS (aggregates and group keys) and
 * GROK / DISSECT (the input and the pattern). Read from the command's body, comments removed.
 */
import { stripComments, topLevel } from './defined-fields.js';

export interface StatsParts {
  /** `name = expr` or a bare expression (then named by its text, as ES|QL does). */
  columns: StatsPart[];
  by: StatsPart[];
}

export interface StatsPart {
  name: string;
  expr: string;
  /** Written without `name =`: the column is named by the expression's text. */
  bare?: boolean;
}

const unquote = (s: string): string => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);

/** Offset of the top-level keyword `word` (outside strings and parentheses), or -1. */
export function topLevelKeyword(s: string, word: string): number {
  const re = new RegExp(`^${word}\\b`, 'i');
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    } else if (c === '`') i = Math.max(i, s.indexOf('`', i + 1));
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /\s/.test(s[i - 1] ?? ' ') && re.test(s.slice(i))) return i;
  }
  return -1;
}

function named(part: string): StatsPart {
  const m = /^\s*(`[^`]+`|[\w.@]+)\s*=(?!=)([\s\S]*)$/.exec(part);
  if (m) return { name: unquote(m[1]), expr: m[2].trim() };
  const expr = part.trim();
  return { name: expr.replace(/\s+/g, ' '), expr, bare: true };
}

export function statsParts(body: string): StatsParts {
  const text = stripComments(body);
  const at = topLevelKeyword(text, 'by');
  const aggs = at < 0 ? text : text.slice(0, at);
  const keys = at < 0 ? '' : text.slice(at + 2);
  const parts = (s: string): string[] => (s.trim() ? topLevel(s).map((x) => x.trim()) : []);
  return { columns: parts(aggs).map(named), by: parts(keys).map(named) };
}

export interface ExtractParts {
  /** The input expression (a field or a computed name). */
  input: string;
  pattern: string;
}

/** `GROK input "pattern"` / `DISSECT input "pattern" [APPEND_SEPARATOR="..."]`. */
export function extractParts(body: string): ExtractParts | undefined {
  const m = /^\s*(`[^`]+`|[\w.@]+)\s+(?:"""([\s\S]*?)"""|"((?:[^"\\]|\\.)*)")\s*(?:append_separator\s*=\s*"(?:[^"\\]|\\.)*")?\s*$/i.exec(stripComments(body));
  if (!m) return undefined;
  const pattern = m[2] ?? m[3].replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
  return { input: unquote(m[1]), pattern };
}
