/**
 * Results are bounded: every list of a result (a list not inside another list) is shown from the
 * cursor's offset for at most `limit` items, and the limit is halved until the whole result fits in
 * MAX_RESULT_CHARS. `paging` says what was cut and the cursor of the next page.
 */
export const MAX_RESULT_CHARS = 60_000;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface Paging {
  offset: number;
  limit: number;
  /** Full length of each list that was cut, by its path in the result (e.g. "rules.list"). */
  lists: Record<string, number>;
  /** Pass as `cursor` for the next page; absent on the last page. */
  next_cursor?: string;
  /** Strings cut to fit (the result was still too large with one item per list). */
  truncated_strings?: number;
}

export type Paged<T> = T & { paging: Paging };

export function cursorOffset(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,9}$/.test(cursor)) throw new Error(`invalid cursor "${cursor.slice(0, 40)}": pass the next_cursor of a previous result`);
  return Number(cursor);
}

export function paged<T extends object>(value: T, cursor?: string, limit = DEFAULT_LIMIT, maxChars = MAX_RESULT_CHARS): Paged<T> {
  const offset = cursorOffset(cursor);
  let lim = Math.max(1, Math.min(limit, MAX_LIMIT));
  for (;;) {
    const lists: Record<string, number> = {};
    let more = false;
    const cut = (v: unknown, path: string, depth: number): unknown => {
      if (Array.isArray(v)) {
        if (v.length <= lim && offset === 0) return v;
        lists[path] = v.length;
        if (offset + lim < v.length) more = true;
        return v.slice(offset, offset + lim);
      }
      if (v && typeof v === 'object' && depth < 6) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cut(x, path ? `${path}.${k}` : k, depth + 1)]));
      }
      return v;
    };
    const out = cut(value, '', 0) as T;
    const paging: Paging = { offset, limit: lim, lists, ...(more ? { next_cursor: String(offset + lim) } : {}) };
    const res = { ...out, paging };
    if (JSON.stringify(res).length <= maxChars) return res;
    if (lim === 1) return cutStrings(res, Math.max(200, Math.floor(maxChars / 20)));
    lim = Math.max(1, Math.floor(lim / 2));
  }
}

/** Last resort: every string longer than `max` characters is cut, and counted in paging.truncated_strings. */
function cutStrings<T extends { paging: Paging }>(value: T, max: number): T {
  let n = 0;
  const cut = (v: unknown): unknown => {
    if (typeof v === 'string' && v.length > max) {
      n++;
      return `${v.slice(0, max)}... [${v.length - max} more characters]`;
    }
    if (Array.isArray(v)) return v.map(cut);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cut(x)]));
    return v;
  };
  const out = cut(value) as T;
  return n ? { ...out, paging: { ...out.paging, truncated_strings: n } } : out;
}
