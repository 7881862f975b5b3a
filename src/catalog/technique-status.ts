/**
 * Which ATT&CK release each rule's technique ids come from, and which are revoked, deprecated or
 * unknown in the newest imported release: table `rule_technique_status`, one row per distinct
 * technique id the rules name. Rebuilt after every catalog build or ATT&CK import.
 */
import { techniqueStatus } from '../attack/status.js';
import { tableExists } from '../attack/schema.js';
import type { Db } from '../store/db.js';

export async function refreshTechniqueStatus(db: Db): Promise<{ ids: number; flagged: number }> {
  await db.conn.run(`CREATE OR REPLACE TABLE rule_technique_status (
    technique_id VARCHAR, status VARCHAR, name VARCHAR, release VARCHAR,
    replaced_by_id VARCHAR, replaced_by_name VARCHAR, seen_in VARCHAR[], rules INTEGER)`);
  await db.conn.run(`COMMENT ON TABLE rule_technique_status IS 'per technique id named by rules: its status in the newest imported ATT&CK release (active, deprecated, revoked, unknown, no-attack), the replacement of a revoked one, and the releases it appears in'`);
  if (!(await tableExists(db, 'rule_techniques'))) return { ids: 0, flagged: 0 };
  const rows = (await db.conn.runAndReadAll(
    'SELECT technique_id, count(DISTINCT rule_uid) AS n FROM rule_techniques GROUP BY technique_id')).getRowObjectsJson();
  const counts = new Map(rows.map((r) => [String(r.technique_id), Number(r.n)]));
  const status = await techniqueStatus(db, [...counts.keys()]);
  let flagged = 0;
  const values: string[] = [];
  const q = (s: string | undefined): string => (s === undefined ? 'NULL' : `'${s.replace(/'/g, "''")}'`);
  for (const [id, n] of counts) {
    const s = status.get(id.toUpperCase());
    if (!s) continue;
    if (s.status === 'revoked' || s.status === 'deprecated' || s.status === 'unknown') flagged++;
    values.push(`(${q(id)}, ${q(s.status)}, ${q(s.name)}, ${q(s.release)}, ${q(s.replaced_by?.id)}, ${q(s.replaced_by?.name)}, [${s.seen_in.map(q).join(',')}]::VARCHAR[], ${n})`);
  }
  for (let i = 0; i < values.length; i += 500) {
    await db.conn.run(`INSERT INTO rule_technique_status VALUES ${values.slice(i, i + 500).join(',')}`);
  }
  return { ids: values.length, flagged };
}
