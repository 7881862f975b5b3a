import { historyRowFrom, type HistoryRow } from '../attack/history.js';
import type { Db } from '../store/db.js';

/** The history of every non-relationship object, by STIX id, oldest release first (one query). */
export async function historyOfAll(db: Db): Promise<Map<string, HistoryRow[]>> {
  const r = await db.conn.runAndReadAll(
    `SELECT stix_id, release, present, status, modified, version, content_hash, change, fields_added, fields_removed, fields_changed
     FROM attack_history WHERE type <> 'relationship' ORDER BY stix_id, ordinal`);
  const out = new Map<string, HistoryRow[]>();
  for (const row of r.getRowObjectsJson()) {
    const id = String(row.stix_id);
    const list = out.get(id);
    const h = historyRowFrom(row);
    if (list) list.push(h); else out.set(id, [h]);
  }
  return out;
}
