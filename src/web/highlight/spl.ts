import { tokenize } from '../../formats/spl/lexer.js';
import { SplSyntaxError } from '../../formats/spl/errors.js';
import { lexResilient, spansOf, type Span, type Tok } from './spans.js';

const KEYWORDS = new Set(['and', 'or', 'not', 'by', 'as', 'where', 'from', 'in', 'like', 'over', 'output', 'outputnew', 'true', 'false']);

/** SPL highlighted with the project's SPL lexer (search mode): commands after `|`, fields before `=`, strings, macros. */
export function highlightSpl(text: string): Span[] {
  const lex = (s: string): Tok[] => {
    const toks = tokenize(s, 0, s.length, 'search').filter((t) => t.kind !== 'eof');
    return toks.map((t, i) => {
      const prev = toks[i - 1];
      const next = toks[i + 1];
      let cls: string | undefined;
      if (t.kind === 'string') cls = 's';
      else if (t.kind === 'macro') cls = 'm';
      else if (t.kind === 'op' || t.kind === 'lparen' || t.kind === 'rparen' || t.kind === 'comma') cls = 'o';
      else if (t.kind === 'subsearch') cls = 'm';
      else if (t.kind === 'word') {
        if (t.raw === '|') cls = 'o';
        else if (prev?.raw === '|' || (i === 0 && /^(?:tstats|search|from|inputlookup)$/i.test(t.raw))) cls = 'kw';
        else if (KEYWORDS.has(t.raw.toLowerCase())) cls = 'kw';
        else if (next?.kind === 'op') cls = 'f';
        else if (next?.kind === 'lparen' && next.start === t.end) cls = 'fn';
        else if (/^-?\d+(?:\.\d+)?$/.test(t.raw)) cls = 'n';
      }
      return { start: t.start, end: t.end, cls };
    });
  };
  return spansOf(text, lexResilient(text, lex, (e) => (e instanceof SplSyntaxError ? e.offset : undefined)));
}
