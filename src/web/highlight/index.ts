import { highlightElastic } from './elastic.js';
import { highlightSigmaYaml } from './sigma-yaml.js';
import { highlightSpl } from './spl.js';
import type { Span } from './spans.js';

export type { Span } from './spans.js';

/** Longest query highlighted; longer text is shown plain (still escaped). */
const MAX_HIGHLIGHT = 200_000;

/** Highlights a rule's query by its language (sigma, eql, kuery, lucene, esql, spl); unknown languages stay plain. */
export function highlight(text: string, language: string | null): Span[] {
  if (text.length > MAX_HIGHLIGHT) return [{ text }];
  switch ((language ?? '').toLowerCase()) {
    case 'sigma':
    case 'yaml':
      return highlightSigmaYaml(text);
    case 'eql':
    case 'kuery':
    case 'kql':
    case 'lucene':
    case 'esql':
      return highlightElastic(text);
    case 'spl':
      return highlightSpl(text);
    default:
      return [{ text }];
  }
}
