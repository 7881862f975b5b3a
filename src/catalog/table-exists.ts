import type { Db } from '../store/db.js';

/** Whether a table exists in the current schema (optional tables: queried only when present). */
export async function tableExists(db: Db, name: string): Promise<boolean> {
  const r = await db.conn.runAndReadAll(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $1 AND table_schema = current_schema()`, [name]);
  return Number(r.getRowObjectsJson()[0]?.n ?? 0) > 0;
}
