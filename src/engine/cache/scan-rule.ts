/**
 * What a scan keeps of a parsed rule: the texts it never reads (description, references, false
 * positives, authorship, dates, raw query) are dropped, so the cache and every thread hold less.
 * Alerts show id, title, level and techniques; correlations read ids, names and the correlation.
 */
import type { ParseResult } from '../../formats/sigma/index.js';
import type { Rule } from '../../model/index.js';

const DROPPED = ['status', 'description', 'author', 'date', 'modified', 'note', 'query', 'losses'] as const;

export function scanRule(r: Rule): Rule {
  for (const k of DROPPED) delete r[k];
  r.references = [];
  r.falsePositives = [];
  r.fields = [];
  return r;
}

export function scanParseResult(p: ParseResult): ParseResult {
  for (const r of p.rules) scanRule(r);
  return p;
}
