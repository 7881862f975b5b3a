/**
 * HTML built as strings, for the long repeated lists of the largest pages (T1059.001: 2 500 links),
 * where building and serializing one JSX node per element dominates a request. Every value goes
 * through `esc` (text and attribute values alike, quotes included), as JSX escapes it; the result is
 * wrapped with hono's raw() by the caller.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;

export function esc(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ENTITIES[c]) : s;
}
