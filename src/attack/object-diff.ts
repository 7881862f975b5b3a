import type { Db } from '../store/db.js';
import { canonicalJson } from './hash.js';
import { releasesInOrder } from './history.js';
import { lineDiff, type DiffLine } from './line-diff.js';

/** One top-level field of a STIX object compared between two releases. */
export interface FieldChange {
  field: string;
  change: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
  /** The two values as indented JSON (strings as they are), line by line; absent for very long values. */
  lines?: DiffLine[];
}

export interface ObjectDiff {
  stix_id: string;
  attack_id: string;
  from: string;
  to: string;
  present: { from: boolean; to: boolean };
  changes: FieldChange[];
  unchanged: string[];
}

/** The STIX object of one release as stored at import (JSON text), or undefined when absent from it. */
export async function rawObjectText(db: Db, stixId: string, release: string): Promise<string | undefined> {
  const r = await db.conn.runAndReadAll(`SELECT json FROM attack_objects WHERE stix_id = $1 AND release = $2 LIMIT 1`, [stixId, release]);
  const j = r.getRows()[0]?.[0];
  return j === undefined || j === null ? undefined : String(j);
}

export async function rawObject(db: Db, stixId: string, release: string): Promise<Record<string, unknown> | undefined> {
  const t = await rawObjectText(db, stixId, release);
  return t === undefined ? undefined : JSON.parse(t) as Record<string, unknown>;
}

/** Field-by-field comparison of one object between two imported releases (values compared canonically). */
export async function diffObject(db: Db, stixId: string, attackId: string, from: string, to: string): Promise<ObjectDiff> {
  const a = (await rawObject(db, stixId, from)) ?? {};
  const b = (await rawObject(db, stixId, to)) ?? {};
  const out: ObjectDiff = {
    stix_id: stixId, attack_id: attackId, from, to,
    present: { from: Object.keys(a).length > 0, to: Object.keys(b).length > 0 }, changes: [], unchanged: [],
  };
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!(k in a)) out.changes.push({ field: k, change: 'added', before: null, after: b[k] });
    else if (!(k in b)) out.changes.push({ field: k, change: 'removed', before: a[k], after: null });
    else if (canonicalJson(a[k]) !== canonicalJson(b[k])) {
      const lines = lineDiff(shown(a[k]), shown(b[k]));
      out.changes.push({ field: k, change: 'changed', before: a[k], after: b[k], ...(lines ? { lines } : {}) });
    }
    else out.unchanged.push(k);
  }
  return out;
}

/** Imported releases, oldest first ([] when none). */
export async function importedReleases(db: Db): Promise<string[]> {
  try {
    return await releasesInOrder(db);
  } catch {
    return [];
  }
}

/** A value as people read it in a diff: strings as they are, anything else as indented JSON. */
export const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2) ?? '');
