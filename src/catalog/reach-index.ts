import type { Db } from '../store/db.js';

const KEYWORD = '(keyword)';

/**
 * Corpus reach of every (field, match_op, value_norm) in memory: the number of distinct rules (any
 * technique) that test it outside exclusions and negations, the same count the guide's SQL computes.
 * A long-running reader (the web server) loads it once; the guide then skips its heaviest join.
 */
export interface ReachIndex {
  get(field: string, op: string, value: string): number;
  readonly size: number;
}

const key = (field: string, op: string, value: string): string => `${field}\u0000${op}\u0000${value}`;

export async function loadReachIndex(db: Db): Promise<ReachIndex> {
  const r = await db.conn.runAndReadAll(`SELECT coalesce(field, '${KEYWORD}') AS field, match_op, value_norm, count(DISTINCT rule_uid) AS n
    FROM predicates WHERE NOT exclusion AND NOT negated AND value_norm IS NOT NULL GROUP BY ALL`);
  const map = new Map<string, number>();
  for (const [field, op, value, n] of r.getRows()) map.set(key(String(field), String(op), String(value)), Number(n));
  return { get: (f, o, v) => map.get(key(f, o, v)) ?? 0, size: map.size };
}
