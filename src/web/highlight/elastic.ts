import { tokenize } from '../../formats/eql/lexer.js';
import type { Token } from '../../formats/eql/token.js';
import { ParseFailure } from '../../formats/elastic/position.js';
import { lexResilient, spansOf, type Span, type Tok } from './spans.js';

/** Words that are keywords in EQL, KQL, Lucene or ES|QL (compared lower-case). */
const KEYWORDS = new Set([
  'and', 'or', 'not', 'where', 'sequence', 'sample', 'by', 'with', 'maxspan', 'until', 'runs', 'in', 'like', 'regex',
  'true', 'false', 'null', 'any', 'of', 'from', 'stats', 'keep', 'eval', 'limit', 'sort', 'drop', 'rename', 'dissect',
  'grok', 'enrich', 'mv_expand', 'metadata', 'asc', 'desc', 'nulls', 'first', 'last', 'is', 'as', 'on', 'to',
]);

/**
 * EQL, KQL, Lucene and ES|QL highlighted with the project's EQL lexer (the ES|QL parser reads its
 * expressions with it too): keywords, fields, functions, strings, numbers, operators.
 */
export function highlightElastic(text: string): Span[] {
  const lex = (s: string): Tok[] => {
    const toks = joinDotted(tokenize(s).filter((t) => t.kind !== 'eof'));
    return toks.map((t, i) => {
      let cls: string;
      if (t.kind === 'string') cls = 's';
      else if (t.kind === 'number') cls = 'n';
      else if (t.kind === 'op') cls = 'o';
      else if (!t.quoted && t.text !== '' && KEYWORDS.has(t.text.toLowerCase())) cls = 'kw';
      else if (toks[i + 1]?.kind === 'op' && toks[i + 1].text === '(' && !toks[i + 1].spaceBefore) cls = 'fn';
      else cls = 'f';
      return { start: t.start, end: t.end, cls };
    });
  };
  return spansOf(text, lexResilient(text, lex, (e) => (e instanceof ParseFailure ? e.offset : undefined)));
}

/** `process.parent.name` is ident '.' ident '.' ident to the lexer: one field name here (no space between the parts). */
function joinDotted(toks: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'ident') {
      out.push(t);
      continue;
    }
    let end = t.end;
    let j = i;
    while (toks[j + 1]?.kind === 'op' && toks[j + 1].text === '.' && toks[j + 1].start === end
      && (toks[j + 2]?.kind === 'ident' || toks[j + 2]?.kind === 'number') && toks[j + 2].start === toks[j + 1].end) {
      end = toks[j + 2].end;
      j += 2;
    }
    out.push(j === i ? t : { ...t, end, text: '' });
    i = j;
  }
  return out;
}
