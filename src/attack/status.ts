import type { Db } from '../store/db.js';
import { releasesInOrder } from './history.js';
import { tableExists } from './schema.js';

/** The state of one technique id in the newest imported ATT&CK release. */
export interface TechniqueStatus {
  id: string;
  /** active | deprecated | revoked | unknown (not in the newest release) | no-attack (no release imported). */
  status: 'active' | 'deprecated' | 'revoked' | 'unknown' | 'no-attack';
  name: string;
  /** The release the answer comes from (the newest imported), '' when none. */
  release: string;
  /** For a revoked technique: the replacement's id and name (revoked-by, followed to the end). */
  replaced_by?: { id: string; name: string };
  /** Releases (oldest first) in which this id names a technique. */
  seen_in: string[];
}

/**
 * For the catalog: flags rule technique ids that are revoked, deprecated or unknown in the newest
 * imported release. One query for all ids; ids are compared case-insensitively.
 */
export async function techniqueStatus(db: Db, ids: string[]): Promise<Map<string, TechniqueStatus>> {
  const out = new Map<string, TechniqueStatus>();
  const wanted = [...new Set(ids.map((i) => i.trim().toUpperCase()).filter(Boolean))];
  if (!(await tableExists(db, 'attack_releases'))) {
    for (const id of wanted) out.set(id, { id, status: 'no-attack', name: '', release: '', seen_in: [] });
    return out;
  }
  const releases = await releasesInOrder(db);
  const newest = releases[releases.length - 1] ?? '';
  for (const id of wanted) out.set(id, { id, status: newest ? 'unknown' : 'no-attack', name: '', release: newest, seen_in: [] });
  if (!newest || wanted.length === 0) return out;
  const list = `[${wanted.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]`;
  const rows = (await db.conn.runAndReadAll(
    `SELECT upper(attack_id) AS id, release, stix_id, name, deprecated, revoked FROM attack_objects
     WHERE type = 'attack-pattern' AND list_contains(${list}::VARCHAR[], upper(attack_id))`)).getRowObjectsJson();
  const revoked: Array<{ id: string; stix: string }> = [];
  for (const r of rows) {
    const s = out.get(String(r.id));
    if (!s) continue;
    if (!s.seen_in.includes(String(r.release))) s.seen_in.push(String(r.release));
    if (r.release !== newest) continue;
    s.name = String(r.name);
    s.status = r.revoked === true ? 'revoked' : r.deprecated === true ? 'deprecated' : 'active';
    if (r.revoked === true) revoked.push({ id: s.id, stix: String(r.stix_id) });
  }
  for (const s of out.values()) s.seen_in.sort((a, b) => releases.indexOf(a) - releases.indexOf(b));
  for (const { id, stix } of revoked) {
    let cur = stix;
    const seen = new Set<string>();
    let last: { id: string; name: string } | undefined;
    while (!seen.has(cur)) {
      seen.add(cur);
      const r = (await db.conn.runAndReadAll(
        `SELECT o.stix_id, o.attack_id, o.name, o.revoked FROM attack_relationships r JOIN attack_objects o
         ON o.release = r.release AND o.stix_id = r.target_ref
         WHERE r.release = $1 AND r.source_ref = $2 AND r.relationship_type = 'revoked-by' LIMIT 1`, [newest, cur])).getRowObjectsJson()[0];
      if (!r) break;
      last = { id: String(r.attack_id), name: String(r.name) };
      if (r.revoked !== true) break;
      cur = String(r.stix_id);
    }
    if (last) out.get(id)!.replaced_by = last;
  }
  return out;
}
