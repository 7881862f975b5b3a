import type { KnowledgeBase } from '../attack/kb.js';
import type { Db } from '../store/db.js';
import { rows } from './query.js';

export interface TechniqueInfo {
  id: string;
  name: string | null;
  tactics: string[] | null;
}

async function hasTable(db: Db, name: string): Promise<boolean> {
  const r = await rows(db, `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $1`, [name]);
  return Number(r[0]?.n ?? 0) > 0;
}

/**
 * Name and tactics of a technique: from the newest imported ATT&CK release (attack_ tables) when
 * loaded; otherwise the tactics the catalog's rules of this technique alone are tagged with, and no name.
 */
export async function techniqueInfo(db: Db, id: string): Promise<TechniqueInfo> {
  if ((await hasTable(db, 'attack_objects')) && (await hasTable(db, 'attack_releases'))) {
    const r = await rows(db, `SELECT o.name, o.tactics, o.release FROM attack_objects o JOIN attack_releases rel USING (release)
      WHERE o.attack_id = $1 ORDER BY rel.ordinal DESC LIMIT 1`, [id]);
    if (r[0]) {
      const short = Array.isArray(r[0].tactics) ? r[0].tactics.map(String) : [];
      const names = await rows(db, `SELECT shortname, name FROM attack_objects WHERE release = $1 AND type = 'x-mitre-tactic'`, [String(r[0].release)]);
      const byShort = new Map(names.map((n) => [String(n.shortname), String(n.name)]));
      return { id, name: r[0].name === null ? null : String(r[0].name), tactics: short.map((s) => byShort.get(s) ?? s) };
    }
  }
  const t = await rows(db, `SELECT DISTINCT unnest(r.tactics) AS tactic FROM rules r
    WHERE r.uid IN (SELECT rule_uid FROM rule_techniques GROUP BY rule_uid
                    HAVING bool_and(parent_id = split_part($1, '.', 1)) AND bool_or(technique_id = $1 OR parent_id = $1))
    ORDER BY tactic`, [id]);
  return { id, name: null, tactics: t.length > 0 ? t.map((x) => String(x.tactic)) : null };
}

/**
 * techniqueInfo's answer from a loaded knowledge base of the newest release (the web server keeps one
 * in memory): the newest release holding the id is then this one, so no query is needed (four
 * queries, ~9 ms, on the technique page). Undefined when the release lacks the id: ask the database.
 */
const tacticNames = new WeakMap<KnowledgeBase, Map<string, string>>();

export function techniqueInfoFromKb(kb: KnowledgeBase, id: string): TechniqueInfo | undefined {
  if (kb.releases.length > 0 && kb.release !== kb.releases[kb.releases.length - 1]) return undefined;
  const o = kb.byId(id)[0];
  if (!o) return undefined;
  let byShort = tacticNames.get(kb);
  if (!byShort) {
    // every tactic of the release, as the SQL maps them (deprecated ones too)
    byShort = new Map();
    for (const t of kb.objects.values()) if (t.kind === 'tactic' && t.shortname) byShort.set(t.shortname, t.name);
    tacticNames.set(kb, byShort);
  }
  return { id, name: o.name, tactics: o.tactics.map((s) => byShort.get(s) ?? s) };
}

/** The newest imported ATT&CK release, or undefined when ATT&CK is not loaded. */
export async function newestAttackRelease(db: Db): Promise<string | undefined> {
  if (!(await hasTable(db, 'attack_releases'))) return undefined;
  const r = await rows(db, 'SELECT release FROM attack_releases ORDER BY ordinal DESC LIMIT 1');
  return r[0] ? String(r[0].release) : undefined;
}
