import { LIST, VARCHAR, listValue } from '@duckdb/node-api';
import type { Db } from '../store/db.js';
import { diffFields, type FieldDiff } from './hash.js';
import { compareReleases } from './release.js';

/**
 * The history of every object across the imported releases, oldest first. `change` compares a release
 * with the previous imported release:
 *   initial   present in the first imported release
 *   added     present, absent from the previous release
 *   changed   present in both, content hash differs (fields_* say which top-level fields)
 *   unchanged present in both, same content hash (fields_changed may still list "modified")
 *   removed   absent, present in the previous release
 *   absent    absent from this and the previous release
 */
export type Change = 'initial' | 'added' | 'changed' | 'unchanged' | 'removed' | 'absent';

export interface HistoryRow {
  release: string;
  present: boolean;
  /** active | deprecated | revoked when present, null when absent. */
  status: string | null;
  modified: string | null;
  version: string | null;
  content_hash: string | null;
  change: Change;
  fields_added: string[];
  fields_removed: string[];
  fields_changed: string[];
}

interface Snap {
  attackId: string;
  type: string;
  name: string;
  modified: string;
  version: string;
  hash: string;
  status: string;
}

export async function releasesInOrder(db: Db): Promise<string[]> {
  const rows = (await db.conn.runAndReadAll('SELECT release FROM attack_releases')).getRowObjectsJson();
  return rows.map((r) => String(r.release)).sort(compareReleases);
}

/** Recomputes attack_history from attack_objects; returns the number of rows written. */
export async function rebuildHistory(db: Db): Promise<number> {
  const releases = await releasesInOrder(db);
  const ordinal = new Map(releases.map((r, i) => [r, i]));
  const reader = await db.conn.runAndReadAll(
    'SELECT stix_id, release, attack_id, type, name, modified, version, content_hash, revoked, deprecated FROM attack_objects');
  const snaps = new Map<string, Array<Snap | undefined>>();
  for (const row of reader.getRows()) {
    const [stixId, release, attackId, type, name, modified, version, hash] = row.slice(0, 8).map((v) => (v === null ? '' : String(v)));
    const status = row[8] === true ? 'revoked' : row[9] === true ? 'deprecated' : 'active';
    const i = ordinal.get(release);
    if (i === undefined) continue;
    let arr = snaps.get(stixId);
    if (!arr) snaps.set(stixId, (arr = new Array<Snap | undefined>(releases.length).fill(undefined)));
    arr[i] = { attackId, type, name, modified, version, hash, status };
  }

  // Field diffs need both JSON documents: fetch them per pair of releases, only for changed hashes.
  const needed = new Map<string, Set<string>>();
  for (const [stixId, arr] of snaps) {
    let last = -1;
    for (let i = 0; i < arr.length; i++) {
      const s = arr[i];
      if (!s) continue;
      if (last >= 0 && arr[last]!.hash !== s.hash) {
        const key = `${last}:${i}`;
        if (!needed.has(key)) needed.set(key, new Set());
        needed.get(key)!.add(stixId);
      }
      last = i;
    }
  }
  const diffs = new Map<string, FieldDiff>();
  for (const [key, ids] of needed) {
    const [a, b] = key.split(':').map(Number);
    const r = await db.conn.runAndReadAll(
      `SELECT a.stix_id, a.json, b.json FROM attack_objects a JOIN attack_objects b ON a.stix_id = b.stix_id
       WHERE a.release = $1 AND b.release = $2 AND a.content_hash <> b.content_hash`, [releases[a], releases[b]]);
    for (const [stixId, ja, jb] of r.getRows()) {
      if (!ids.has(String(stixId))) continue;
      diffs.set(`${stixId}@${b}`, diffFields(JSON.parse(String(ja)), JSON.parse(String(jb))));
    }
  }

  await db.conn.run('BEGIN TRANSACTION');
  try {
    await db.conn.run('DELETE FROM attack_history');
    const ap = await db.conn.createAppender('attack_history');
    const L = LIST(VARCHAR);
    let n = 0;
    for (const [stixId, arr] of snaps) {
      const latest = [...arr].reverse().find((s) => s)!;
      let lastPresent = -1;
      for (let i = 0; i < arr.length; i++) {
        const s = arr[i];
        const prev = i > 0 ? arr[i - 1] : undefined;
        let change: Change;
        let d: FieldDiff = { added: [], removed: [], changed: [] };
        if (s) {
          if (i === 0) change = 'initial';
          else if (!prev) change = 'added';
          else if (prev.hash !== s.hash) change = 'changed';
          else change = 'unchanged';
          if (lastPresent >= 0 && arr[lastPresent]!.hash !== s.hash) d = diffs.get(`${stixId}@${i}`) ?? d;
          else if (lastPresent >= 0 && arr[lastPresent]!.modified !== s.modified) d = { added: [], removed: [], changed: ['modified'] };
          lastPresent = i;
        } else {
          change = prev ? 'removed' : 'absent';
        }
        ap.appendVarchar(stixId);
        ap.appendVarchar((s ?? latest).attackId);
        ap.appendVarchar((s ?? latest).type);
        ap.appendVarchar((s ?? latest).name);
        ap.appendVarchar(releases[i]);
        ap.appendInteger(i + 1);
        ap.appendBoolean(!!s);
        if (s) ap.appendVarchar(s.status); else ap.appendNull();
        if (s) ap.appendVarchar(s.modified); else ap.appendNull();
        if (s) ap.appendVarchar(s.version); else ap.appendNull();
        if (s) ap.appendVarchar(s.hash); else ap.appendNull();
        ap.appendVarchar(change);
        ap.appendList(listValue(d.added), L);
        ap.appendList(listValue(d.removed), L);
        ap.appendList(listValue(d.changed), L);
        ap.endRow();
        n++;
      }
    }
    ap.closeSync();
    await db.conn.run('COMMIT');
    return n;
  } catch (e) {
    await db.conn.run('ROLLBACK');
    throw e;
  }
}

/** History rows of one STIX object, oldest release first. */
export async function historyOf(db: Db, stixId: string): Promise<HistoryRow[]> {
  const r = await db.conn.runAndReadAll(
    `SELECT release, present, status, modified, version, content_hash, change, fields_added, fields_removed, fields_changed
     FROM attack_history WHERE stix_id = $1 ORDER BY ordinal`, [stixId]);
  return r.getRowObjectsJson().map(historyRowFrom);
}

/** A history row from a query result row (JSON values). */
export function historyRowFrom(row: Record<string, unknown>): HistoryRow {
  return {
    release: String(row.release),
    present: row.present === true,
    status: row.status === null || row.status === undefined ? null : String(row.status),
    modified: row.modified === null ? null : String(row.modified),
    version: row.version === null ? null : String(row.version),
    content_hash: row.content_hash === null ? null : String(row.content_hash),
    change: String(row.change) as Change,
    fields_added: (row.fields_added as string[] | null) ?? [],
    fields_removed: (row.fields_removed as string[] | null) ?? [],
    fields_changed: (row.fields_changed as string[] | null) ?? [],
  };
}
