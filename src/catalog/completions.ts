import type { Db } from '../store/db.js';
import { num, rows } from './query.js';

/** Canonical field names of the catalog starting with `prefix` (case-insensitive), most used first. */
export async function fieldNamesStartingWith(db: Db, prefix: string, limit = 50): Promise<string[]> {
  const r = await rows(db, `SELECT field, count(DISTINCT rule_uid) AS n FROM predicates
    WHERE field IS NOT NULL AND starts_with(lower(field), $1) GROUP BY field ORDER BY n DESC, field LIMIT ${Math.max(1, Math.min(limit, 200)) | 0}`,
  [prefix.toLowerCase().slice(0, 200)]);
  return r.filter((x) => num(x.n) > 0).map((x) => String(x.field));
}
