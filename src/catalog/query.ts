import type { DuckDBValue } from '@duckdb/node-api';
import type { Db } from '../store/db.js';

export type Row = Record<string, unknown>;

/** Runs one query and returns its rows as plain JSON-friendly objects (BIGINT as number). */
export async function rows(db: Db, sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
  const r = await db.conn.runAndReadAll(sql, params);
  return r.getRowObjectsJS().map((row) => {
    const o: Row = {};
    for (const [k, v] of Object.entries(row)) o[k] = typeof v === 'bigint' ? Number(v) : v;
    return o;
  });
}

export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
