import { createHash } from 'node:crypto';

/**
 * Stable content hashes and field-level diffs of STIX objects.
 *
 * The normalized JSON of an object is its JSON with keys sorted at every level (array order kept, since
 * ATT&CK arrays are ordered lists), without the `modified` timestamp: the hash says whether the content
 * changed, and `modified` is recorded beside it. Two releases carrying the same object with the same
 * content but a new `modified` date therefore have the same hash.
 */
export const HASH_EXCLUDED_FIELDS: readonly string[] = ['modified'];

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function contentHash(obj: Record<string, unknown>): string {
  const copy: Record<string, unknown> = { ...obj };
  for (const f of HASH_EXCLUDED_FIELDS) delete copy[f];
  return createHash('sha256').update(canonicalJson(copy)).digest('hex');
}

export interface FieldDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Top-level fields added, removed and changed from `before` to `after` (values compared canonically). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const k of Object.keys(after).sort()) {
    if (!(k in before)) added.push(k);
    else if (canonicalJson(before[k]) !== canonicalJson(after[k])) changed.push(k);
  }
  for (const k of Object.keys(before).sort()) if (!(k in after)) removed.push(k);
  return { added, removed, changed };
}
