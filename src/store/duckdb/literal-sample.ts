/**
 * How often a literal occurs, estimated on a small sample of the store's events (whole vectors,
 * fixed seed: the same store gives the same estimate). Hunt uses it to keep rules whose literals
 * are everywhere ("\windows\", ".exe") out of the filtered groups and to pick, in an `and`, the
 * rarest side as the rule's filter. Only speed depends on it: every group's filter is a necessary
 * condition of its rules whatever the estimate.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Atom } from '../../backends/duckdb/prefilter.js';
import { PROMOTED_FIELDS, loweredSql, promotedColumn } from './promoted-fields.js';

/** Rows to sample (about), and values kept per column to test literals on. */
const SAMPLE_ROWS = 40_000;
const VALUES_PER_COLUMN = 2000;

export type LiteralFrequency = (a: Atom) => number;

/** Unknown columns (not sampled) count as common: their rules are not filtered on them. */
const UNKNOWN = 1;

export async function sampleFrequency(conn: DuckDBConnection): Promise<LiteralFrequency> {
  const columns = PROMOTED_FIELDS.map((f) => loweredSql(promotedColumn(f)!));
  const values = new Map<string, string[]>(columns.map((c) => [c, []]));
  try {
    const total = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM events')).getRowObjectsJson()[0].n);
    if (total > 0) {
      const pct = Math.min(100, (SAMPLE_ROWS / total) * 100);
      // Per column, its non-null values in the sample, every k-th of them so that at most VALUES_PER_COLUMN remain
      // (one row of lists: little to convert).
      // One thread: DuckDB's seeded sample, and the order list() collects in, are the same from run
      // to run only when one thread reads (with several, the 32-host store's estimates differed run to run).
      const threads = Number((await conn.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJson()[0].t);
      if (!Number.isInteger(threads) || threads < 1) throw new Error('threads setting unknown');
      await conn.run('SET threads = 1');
      let r;
      try {
        r = await conn.runAndReadAll(`SELECT ${columns.map((c, i) => `list_filter(l${i}, lambda x, j: j % greatest(1, len(l${i}) // ${VALUES_PER_COLUMN} + 1) = 0) AS c${i}`).join(', ')}
        FROM (SELECT ${columns.map((c, i) => `list(${c}) FILTER (WHERE ${c} IS NOT NULL) AS l${i}`).join(', ')} FROM events USING SAMPLE ${pct.toFixed(4)}% (system, 7))`);
      } finally {
        await conn.run(`SET threads = ${threads}`);
      }
      const row = r.getRowObjectsJson()[0] ?? {};
      columns.forEach((c, i) => {
        const list = row[`c${i}`];
        if (Array.isArray(list)) values.set(c, list.map(String));
      });
    }
  } catch {
    // No estimate (e.g. an empty or older store): every literal counts as rare.
  }
  const memo = new Map<string, number>();
  return (a) => {
    const key = `${a.column}\u0000${a.literal}`;
    let f = memo.get(key);
    if (f === undefined) {
      const list = values.get(a.column);
      if (list === undefined) f = UNKNOWN;
      else if (!list.length) f = 0;
      else f = list.reduce((n, v) => n + (v.includes(a.literal) ? 1 : 0), 0) / list.length;
      memo.set(key, f);
    }
    return f;
  };
}
