import { LIST, VARCHAR, listValue, type DuckDBAppender } from '@duckdb/node-api';
import type { Db } from '../store/db.js';

/** A column value as the appender writes it. */
export type Cell = string | number | boolean | null | string[];

const LIST_VARCHAR = LIST(VARCHAR);

function appendCell(ap: DuckDBAppender, v: Cell, integer: boolean): void {
  if (v === null) ap.appendNull();
  else if (typeof v === 'string') ap.appendVarchar(v);
  else if (typeof v === 'boolean') ap.appendBoolean(v);
  else if (typeof v === 'number') {
    if (integer) ap.appendBigInt(BigInt(Math.trunc(v)));
    else ap.appendDouble(v);
  } else ap.appendList(listValue(v), LIST_VARCHAR);
}

/**
 * Bulk insert through DuckDB's appender. `columns` lists the row keys in table column order; names in
 * `integers` are written as BIGINT (DuckDB casts to the column's integer type).
 */
export async function appendRows<T extends object>(db: Db, table: string, columns: ReadonlyArray<keyof T & string>, rows: readonly T[], integers: ReadonlySet<string> = new Set()): Promise<void> {
  if (rows.length === 0) return;
  const ap = await db.conn.createAppender(table);
  try {
    for (const row of rows) {
      const r = row as Record<string, Cell>;
      for (const c of columns) appendCell(ap, r[c] ?? null, integers.has(c));
      ap.endRow();
    }
    ap.flushSync();
  } finally {
    ap.closeSync();
  }
}
