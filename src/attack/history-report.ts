import type { Db } from '../store/db.js';
import { historyOf, type HistoryRow } from './history.js';

/** What `attack history` reports (the --json shape). */
export interface HistoryReport {
  query: string;
  id: string;
  stix_id: string;
  name: string;
  type: string;
  releases: HistoryRow[];
}

/**
 * History by ATT&CK id or STIX id. An ATT&CK id that names several objects (a deprecated mitigation
 * reusing a technique id) picks the object whose type fits the id and that is present in the newest release.
 */
export async function historyReport(db: Db, query: string, preferTypes: string[]): Promise<HistoryReport | undefined> {
  const q = query.trim();
  const where = q.includes('--') ? 'stix_id = $1' : 'upper(attack_id) = $1';
  const r = await db.conn.runAndReadAll(
    `SELECT stix_id, attack_id, name, type, max(ordinal) AS last, bool_or(present) AS any FROM attack_history
     WHERE ${where} AND present GROUP BY stix_id, attack_id, name, type`, [q.includes('--') ? q : q.toUpperCase()]);
  const rows = r.getRowObjectsJson();
  if (rows.length === 0) return undefined;
  rows.sort((a, b) => rank(a) - rank(b) || Number(b.last) - Number(a.last));
  function rank(x: Record<string, unknown>): number {
    return preferTypes.length && !preferTypes.includes(String(x.type)) ? 1 : 0;
  }
  const best = rows[0];
  const stixId = String(best.stix_id);
  const names = await db.conn.runAndReadAll(
    `SELECT attack_id, name, type FROM attack_history WHERE stix_id = $1 AND present ORDER BY ordinal DESC LIMIT 1`, [stixId]);
  const n = names.getRowObjectsJson()[0] ?? best;
  return { query: q, id: String(n.attack_id ?? ''), stix_id: stixId, name: String(n.name ?? ''), type: String(n.type ?? ''), releases: await historyOf(db, stixId) };
}
