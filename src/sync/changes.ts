import type { Db } from '../store/db.js';
import { tableExists } from '../catalog/table-exists.js';
import type { RuleVendor } from './sources.js';

/** One rule as the catalog holds it, with the content hash of its file. */
export interface RuleState {
  uid: string;
  vendor: string;
  path: string;
  id: string;
  title: string;
  fileHash: string;
}

export interface RuleChange {
  vendor: string;
  path: string;
  id: string;
  title: string;
}

export interface VendorChanges {
  added: number;
  modified: number;
  removed: number;
}

export interface RuleChanges {
  by_vendor: Record<RuleVendor, VendorChanges>;
  added: RuleChange[];
  modified: RuleChange[];
  removed: RuleChange[];
}

/** The catalog's rules keyed by uid (file path and document index); empty before the first build. */
export async function snapshotRules(db: Db): Promise<Map<string, RuleState>> {
  const out = new Map<string, RuleState>();
  if (!(await tableExists(db, 'rules')) || !(await tableExists(db, 'files'))) return out;
  const r = await db.conn.runAndReadAll(
    `SELECT r.uid, r.vendor, r.path, r.id, r.title, coalesce(f.hash, '') AS hash FROM rules r LEFT JOIN files f ON f.path = r.path`);
  for (const row of r.getRowObjectsJson()) {
    const uid = String(row.uid);
    out.set(uid, { uid, vendor: String(row.vendor), path: String(row.path), id: String(row.id ?? ''), title: String(row.title ?? ''), fileHash: String(row.hash) });
  }
  return out;
}

/**
 * What changed between two snapshots: a rule is added or removed by its uid, and modified when its
 * file's content hash changed (a file that was parsed again because only its date changed is not).
 */
export function diffRules(before: ReadonlyMap<string, RuleState>, after: ReadonlyMap<string, RuleState>): RuleChanges {
  const zero = (): VendorChanges => ({ added: 0, modified: 0, removed: 0 });
  const out: RuleChanges = { by_vendor: { sigma: zero(), elastic: zero(), splunk: zero() }, added: [], modified: [], removed: [] };
  const count = (kind: keyof VendorChanges, s: RuleState): void => {
    const v = out.by_vendor[s.vendor as RuleVendor];
    if (v) v[kind]++;
    out[kind].push({ vendor: s.vendor, path: s.path, id: s.id, title: s.title });
  };
  for (const [uid, s] of after) {
    const prev = before.get(uid);
    if (!prev) count('added', s);
    else if (prev.fileHash !== s.fileHash || prev.id !== s.id || prev.title !== s.title) count('modified', s);
  }
  for (const [uid, s] of before) if (!after.has(uid)) count('removed', s);
  const order = (a: RuleChange, b: RuleChange): number => (a.vendor + a.path < b.vendor + b.path ? -1 : a.vendor + a.path > b.vendor + b.path ? 1 : 0);
  out.added.sort(order);
  out.modified.sort(order);
  out.removed.sort(order);
  return out;
}
