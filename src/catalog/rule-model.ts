import type { Rule } from '../model/index.js';
import type { Db } from '../store/db.js';
import { rows } from './query.js';

/** The stored model (fields canonicalized) of the rule of `vendor` with id `id`; undefined when absent or unreadable. */
export async function ruleModel(db: Db, vendor: string, id: string): Promise<Rule | undefined> {
  const r = await rows(db, `SELECT model FROM rules WHERE vendor = $1 AND id = $2 AND model IS NOT NULL ORDER BY path, doc_index LIMIT 1`, [vendor, id]);
  if (!r[0]) return undefined;
  try {
    return JSON.parse(String(r[0].model)) as Rule;
  } catch {
    return undefined;
  }
}

/** Files of the rules with these ids (any vendor, or `vendor/id`), and the keys not found. */
export async function ruleFiles(db: Db, keys: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const key of keys) {
    const slash = key.indexOf('/');
    const [vendor, id] = slash > 0 && !key.startsWith('/') ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
    const r = await rows(db, `SELECT path FROM rules WHERE id = $1 AND ($2 IS NULL OR vendor = $2) ORDER BY path LIMIT 5`, [id, vendor ?? null]);
    if (r.length === 0) missing.push(key);
    for (const x of r) files.add(String(x.path));
  }
  return { files: [...files], missing };
}
