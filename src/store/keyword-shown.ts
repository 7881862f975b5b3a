/**
 * scan's `matched.keywords` in hunt: the rule's plain positive keywords found in the event
 * (engine/matcher.ts keywordValues, engine/file-scan.ts toAlert). Each keyword travels with the
 * rule's shown fields as a pseudo-field: a store prints it as the keyword's own WHERE test (the
 * same expression its keyword searches use: backends/duckdb/print.ts, backends/clickhouse/print.ts
 * printKeywordFound), '' when the event holds the keyword and NULL otherwise, so hunt's alerts name
 * the keywords by the test hunt matched with. Only rules with keywords carry such entries.
 */
import type { Predicate } from '../model/index.js';

/** No event field name starts with NUL: the stores' field keys come from EVTX/JSON names. */
const MARK = '\u0000keyword\u0000';

/** The pseudo-field of one keyword (as written in the rule). */
export function keywordField(keyword: string): string {
  return MARK + keyword;
}

/** The keyword of a pseudo-field, undefined for a real field. */
export function keywordOf(field: string): string | undefined {
  return field.startsWith(MARK) ? field.slice(MARK.length) : undefined;
}

/** scan's test for a listed keyword: found case-insensitively in any value of the event. */
export function keywordTest(keyword: string): Predicate {
  return { kind: 'pred', field: null, authoredField: null, op: 'contains', values: [keyword], flags: {} };
}
