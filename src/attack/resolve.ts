import type { Db } from '../store/db.js';
import { idPrefix, typesForPrefix } from './kinds.js';
import type { AObj, KnowledgeBase } from './kb.js';

export interface Resolved {
  obj: AObj;
  /** Revoked objects followed (revoked-by) to reach `obj`, first is the one asked for. */
  revokedChain: AObj[];
  /** Other objects sharing the ATT&CK id (e.g. a deprecated mitigation that reuses a technique id). */
  alsoNamed: AObj[];
}

/** Why an id did not resolve, as one line for people. */
export class UnknownIdError extends Error {}

/**
 * Finds an object by ATT&CK id (case-insensitive) or STIX id. When an id names several objects, the one
 * whose type matches the prefix wins, then active over deprecated over revoked. A revoked object
 * resolves to its replacement through revoked-by relationships.
 */
export function resolveInKb(kb: KnowledgeBase, query: string, opts: { followRevoked?: boolean } = {}): Resolved | undefined {
  const q = query.trim();
  let candidates: AObj[];
  if (q.includes('--')) {
    const o = kb.get(q);
    candidates = o ? [o] : [];
  } else {
    candidates = kb.byId(q);
  }
  if (candidates.length === 0) return undefined;
  const wanted = typesForPrefix(idPrefix(q));
  const rank = (o: AObj): number => (wanted.length && !wanted.includes(o.type) ? 10 : 0) + (o.revoked ? 2 : o.deprecated ? 1 : 0);
  const sorted = [...candidates].sort((a, b) => rank(a) - rank(b));
  const first = sorted[0];
  const chain: AObj[] = [];
  let obj = first;
  if (opts.followRevoked !== false) {
    const seen = new Set<string>();
    while (obj.revoked && !seen.has(obj.stixId)) {
      seen.add(obj.stixId);
      const next = kb.outgoing(obj.stixId, 'revoked-by').map((r) => kb.get(r.target)).find((x): x is AObj => !!x);
      if (!next) break;
      chain.push(obj);
      obj = next;
    }
  }
  return { obj, revokedChain: chain, alsoNamed: sorted.slice(1) };
}

/**
 * Resolves an ATT&CK id through the STIX id it has in other releases: ATT&CK 17.1 data components carry
 * no ATT&CK id, so DC0032 is found in 17.1 by the STIX id it has in 18.x.
 */
export async function resolveViaOtherReleases(db: Db, kb: KnowledgeBase, query: string): Promise<Resolved | undefined> {
  const q = query.trim();
  if (q.includes('--')) return undefined;
  const r = await db.conn.runAndReadAll(
    'SELECT DISTINCT stix_id, type FROM attack_objects WHERE upper(attack_id) = $1 AND release <> $2', [q.toUpperCase(), kb.release]);
  const wanted = typesForPrefix(idPrefix(q));
  for (const row of r.getRowObjectsJson().sort((a, b) => Number(!wanted.includes(String(a.type))) - Number(!wanted.includes(String(b.type))))) {
    const res = resolveInKb(kb, String(row.stix_id));
    if (res) return res;
  }
  return undefined;
}

/** Explains a miss: absent from this release but present in another, or never imported. */
export async function explainMiss(db: Db, kb: KnowledgeBase, query: string): Promise<string> {
  const q = query.trim();
  const col = q.includes('--') ? 'stix_id' : 'upper(attack_id)';
  const r = await db.conn.runAndReadAll(
    `SELECT DISTINCT release FROM attack_objects WHERE ${col} = $1`, [q.includes('--') ? q : q.toUpperCase()]);
  const seen = r.getRowObjectsJson().map((x) => String(x.release));
  if (seen.length > 0) {
    const sorted = kb.releases.filter((x) => seen.includes(x));
    return `${q} is not in ATT&CK release ${kb.release}; it is in ${sorted.join(', ')} (use --release ${sorted[sorted.length - 1]})`;
  }
  return `${q} is not an ATT&CK id or STIX id in any imported release (${kb.releases.join(', ')})`;
}
