/**
 * What a scan keeps of a parsed rule: the texts it never reads (description, references, false
 * positives, authorship, dates, raw query) are dropped, so the cache and every thread hold less.
 * Alerts show id, title, level and techniques; correlations read ids, names and the correlation.
 * Elastic rules keep their query (the EQL engine runs its text) and the settings the Elastic runner
 * reads (engine/elastic: index patterns, Kibana filters, threshold, new_terms, look-back).
 */
import type { ParseResult } from '../../formats/sigma/index.js';
import type { Rule } from '../../model/index.js';

const DROPPED = ['status', 'description', 'author', 'date', 'modified', 'note', 'query', 'losses'] as const;
const ELASTIC_DROPPED = ['status', 'description', 'author', 'date', 'modified', 'note', 'losses'] as const;
/** The rule.extra settings of an Elastic rule that the runner reads. */
const ELASTIC_EXTRA = ['index', 'filters', 'threshold', 'new_terms', 'from'] as const;

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

export function scanElasticRule(r: Rule): Rule {
  for (const k of ELASTIC_DROPPED) delete r[k];
  r.references = [];
  r.falsePositives = [];
  r.fields = [];
  const extra: Record<string, unknown> = {};
  for (const k of ELASTIC_EXTRA) if (r.extra[k] !== undefined) extra[k] = r.extra[k];
  r.extra = extra;
  return r;
}

export function scanElasticParseResult(p: ParseResult): ParseResult {
  for (const r of p.rules) scanElasticRule(r);
  return p;
}
