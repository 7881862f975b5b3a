/**
 * `tstats` / `mstats`: statistics options and functions, `from datamodel=X.Y`, an optional
 * `where` clause in search syntax, then `by` fields. Only the data model, the where clause and
 * the by fields are kept; the statistics are opaque.
 */
import type { TstatsStage } from './ast.js';
import { Cursor } from './cursor.js';
import { tokenize } from './lexer.js';
import { parseSearchExpr } from './search-parser.js';

const BY_WORDS = ['by', 'groupby'];

export function parseTstats(text: string, command: 'tstats' | 'mstats', bodyStart: number, start: number, end: number): TstatsStage {
  const cur = new Cursor(tokenize(text, bodyStart, end, 'search'));
  const stage: TstatsStage = { kind: 'tstats', command, by: [], offset: start, end };
  while (!cur.atEnd()) {
    const t = cur.peek();
    if (t.kind === 'word' && t.raw.toLowerCase() === 'from') {
      cur.next();
      const dm = readDatamodel(cur);
      if (dm) stage.datamodel = dm;
      continue;
    }
    if (t.kind === 'word' && /^datamodel[:=]/i.test(t.raw)) {
      cur.next();
      stage.datamodel = t.raw.slice('datamodel'.length + 1).replace(/^"|"$/g, '');
      continue;
    }
    if (t.kind === 'word' && t.raw.toLowerCase() === 'where') {
      cur.next();
      const w = parseSearchExpr(cur, { stopWords: BY_WORDS });
      if (w) stage.where = stage.where ? { kind: 'and', items: [stage.where, w], offset: w.offset } : w;
      continue;
    }
    if (t.kind === 'word' && BY_WORDS.includes(t.raw.toLowerCase())) {
      cur.next();
      while (!cur.atEnd()) {
        const f = cur.next();
        if (f.kind === 'word' && f.raw.toLowerCase() === 'where') {
          const w = parseSearchExpr(cur, { stopWords: BY_WORDS });
          if (w) stage.where = stage.where ? { kind: 'and', items: [stage.where, w], offset: w.offset } : w;
          continue;
        }
        if (cur.peek().kind === 'op' && cur.peek().raw === '=') {
          // an option such as span=1h, not a field
          cur.next();
          cur.next();
          continue;
        }
        if (f.kind === 'word' || f.kind === 'string') stage.by.push(f.value);
      }
      continue;
    }
    cur.next();
  }
  return stage;
}

/** After `from`: `datamodel=X.Y`, `datamodel = "X.Y"`, `datamodel:X.Y`; anything else (a namespace) is skipped. */
function readDatamodel(cur: Cursor): string | undefined {
  const t = cur.peek();
  if (t.kind !== 'word') return undefined;
  if (/^datamodel[:=]./i.test(t.raw)) {
    cur.next();
    return t.raw.slice('datamodel'.length + 1);
  }
  if (/^datamodel$/i.test(t.raw) || /^datamodel:$/i.test(t.raw)) {
    cur.next();
    if (cur.peek().kind === 'op' && cur.peek().raw === '=') cur.next();
    const v = cur.peek();
    if (v.kind === 'word' || v.kind === 'string') {
      cur.next();
      return v.value;
    }
  }
  return undefined;
}
