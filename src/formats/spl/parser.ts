/**
 * parsePipeline: SPL text (already macro-expanded) -> Pipeline. Filtering commands are parsed
 * (leading search, `search`, `where`, `tstats`/`mstats`, `regex`); every other command is kept
 * as an opaque stage. The first error ends the parse and comes back as a value.
 */
import type { Pipeline, Stage } from './ast.js';
import { Cursor } from './cursor.js';
import { toSplError, type SplError, SplSyntaxError } from './errors.js';
import { parseEvalExpr } from './eval-parser.js';
import { readString, tokenize } from './lexer.js';
import { splitStages } from './pipeline.js';
import { parseSearchExpr } from './search-parser.js';
import { parseTstats } from './tstats.js';

export interface ParseResult {
  pipeline?: Pipeline;
  error?: SplError;
}

export function parsePipeline(text: string): ParseResult {
  let ranges;
  try {
    ranges = splitStages(text);
  } catch (e) {
    return { error: toSplError(e, 0) };
  }
  const stages: Stage[] = [];
  const leadingPipe = text.slice(0, ranges[0].end).trim() === '' && ranges.length > 1;
  for (let k = leadingPipe ? 1 : 0; k < ranges.length; k++) {
    const { start, end } = ranges[k];
    try {
      const stage = parseStage(text, start, end, k === 0);
      if (stage) stages.push(stage);
    } catch (e) {
      return { error: toSplError(e, start) };
    }
  }
  return { pipeline: { stages } };
}

function parseStage(text: string, start: number, end: number, implicitSearch: boolean): Stage | undefined {
  let s = start;
  while (s < end && /\s/.test(text[s])) s++;
  if (s === end) {
    if (implicitSearch) return undefined;
    throw new SplSyntaxError(start, 'empty pipeline stage between two |');
  }
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(s, Math.min(end, s + 64)))?.[0] ?? '';
  const bodyStart = s + word.length;
  const command = word.toLowerCase();
  if (text[s] === '`') {
    const close = text.indexOf('`', s + 1);
    if (close > 0 && close < end && text.slice(close + 1, end).trim() === '' && !implicitSearch) {
      return { kind: 'macro', command: 'macro', name: text.slice(s + 1, close), offset: s, end };
    }
  }
  if (implicitSearch && command !== 'search') return searchStage(text, s, s, end, true);
  switch (command) {
    case 'search':
      return searchStage(text, s, bodyStart, end, false);
    case 'where': {
      const expr = parseEvalExpr(new Cursor(tokenize(text, bodyStart, end, 'eval')));
      return { kind: 'where', command: 'where', expr, offset: s, end };
    }
    case 'tstats':
    case 'mstats':
      return parseTstats(text, command, bodyStart, s, end);
    case 'regex':
      return regexStage(text, s, bodyStart, end);
    default:
      return { kind: 'opaque', command: command || text.slice(s, Math.min(end, s + 20)).split(/\s/)[0], text: text.slice(s, end), offset: s, end };
  }
}

function searchStage(text: string, offset: number, bodyStart: number, end: number, implicit: boolean): Stage {
  const expr = parseSearchExpr(new Cursor(tokenize(text, bodyStart, end, 'search')));
  return { kind: 'search', command: 'search', implicit, expr, offset, end };
}

/** `regex field="re"`, `regex field!="re"`, or `regex "re"` (on _raw). */
function regexStage(text: string, offset: number, bodyStart: number, end: number): Stage {
  let i = bodyStart;
  while (i < end && /\s/.test(text[i])) i++;
  let field = '_raw';
  let negated = false;
  const m = /^([A-Za-z_][\w.{}]*)\s*(!=|=)\s*/.exec(text.slice(i, end));
  if (m) {
    field = m[1];
    negated = m[2] === '!=';
    i += m[0].length;
  }
  let pattern: string;
  if (text[i] === '"') {
    const s = readString(text, i, end);
    pattern = s.value;
    if (text.slice(s.end, end).trim() !== '') throw new SplSyntaxError(s.end, 'unexpected text after the regex');
  } else {
    pattern = text.slice(i, end).trim();
  }
  if (!pattern) throw new SplSyntaxError(i, 'regex command without a pattern');
  return { kind: 'regex', command: 'regex', field, negated, pattern, offset, end };
}
