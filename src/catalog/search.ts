import { listValue } from '@duckdb/node-api';
import type { Db } from '../store/db.js';
import { num, rows } from './query.js';
import { tableExists } from './table-exists.js';

/** What one search box finds: ATT&CK objects, rules, fields and indicator values. */
export interface SearchResult {
  query: string;
  attack: Array<{ id: string; name: string; type: string; match: 'id' | 'name' | 'description' | 'rules'; rules?: number }>;
  rules: Array<{ uid: string; id: string; vendor: string; title: string; level: string | null; match: 'id' | 'title' | 'indicator' | 'description' }>;
  fields: Array<{ field: string; rules: number }>;
  indicators: Array<{ field: string; op: string; value: string; rules: number }>;
}

export const MAX_QUERY = 200;
/** Result sizes, shared with the in-memory form (search-index.ts). */
export const SEARCH_LIMITS = { rules: 50, attack: 50, fields: 20, indicators: 30, techniques: 20 } as const;
const LIMIT = SEARCH_LIMITS.rules;
const KEYWORD = '(keyword)';

/**
 * Case-insensitive substring search (no wildcards: `%` and `_` are plain characters). ATT&CK objects
 * come from the newest imported release; techniques are also found through the rules that match.
 */
export async function search(db: Db, query: string): Promise<SearchResult> {
  const q = query.trim().slice(0, MAX_QUERY);
  const out: SearchResult = { query: q, attack: [], rules: [], fields: [], indicators: [] };
  if (q === '') return out;
  const lq = q.toLowerCase();

  const ruleRows = await rows(db, `WITH hits AS (
      SELECT uid, CASE WHEN lower(id) = $1 THEN 0 WHEN contains(lower(title), $1) THEN 1 ELSE 3 END AS rank FROM rules
      WHERE parse_status <> 'failed' AND (lower(id) = $1 OR contains(lower(title), $1) OR contains(lower(coalesce(description, '')), $1))
      UNION ALL
      SELECT DISTINCT rule_uid AS uid, 2 AS rank FROM predicates WHERE contains(CASE WHEN cased THEN lower(value_norm) ELSE value_norm END, $1))
    SELECT r.uid, r.id, r.vendor, r.title, r.level, min(h.rank) AS rank FROM hits h JOIN rules r ON r.uid = h.uid
    GROUP BY r.uid, r.id, r.vendor, r.title, r.level ORDER BY rank, CASE r.vendor WHEN 'sigma' THEN 0 WHEN 'elastic' THEN 1 ELSE 2 END, lower(r.title), r.uid LIMIT ${LIMIT}`, [lq]);
  const MATCH = ['id', 'title', 'indicator', 'description'] as const;
  out.rules = ruleRows.map((r) => ({
    uid: String(r.uid), id: String(r.id), vendor: String(r.vendor), title: String(r.title),
    level: r.level === null ? null : String(r.level), match: MATCH[num(r.rank)] ?? 'title',
  }));

  const fields = await rows(db, `SELECT field, count(DISTINCT rule_uid) AS rules FROM predicates
    WHERE field IS NOT NULL AND contains(lower(field), $1) GROUP BY field ORDER BY rules DESC, field LIMIT ${SEARCH_LIMITS.fields}`, [lq]);
  out.fields = fields.map((f) => ({ field: String(f.field), rules: num(f.rules) }));

  const ind = await rows(db, `SELECT coalesce(field, '${KEYWORD}') AS field, match_op AS op, value_norm AS value, count(DISTINCT rule_uid) AS rules
    FROM predicates WHERE contains(value_norm, $1) AND NOT exclusion AND NOT negated GROUP BY ALL ORDER BY rules DESC, field, op, value LIMIT ${SEARCH_LIMITS.indicators}`, [lq]);
  out.indicators = ind.map((i) => ({ field: String(i.field), op: String(i.op), value: String(i.value), rules: num(i.rules) }));

  if (await tableExists(db, 'attack_objects')) {
    const objs = await rows(db, `WITH newest AS (SELECT release FROM attack_releases ORDER BY ordinal DESC LIMIT 1)
      SELECT attack_id, name, type, CASE WHEN lower(attack_id) = $1 THEN 0 WHEN contains(lower(name), $1) THEN 1 ELSE 2 END AS rank
      FROM attack_objects WHERE release = (SELECT release FROM newest) AND attack_id IS NOT NULL AND attack_id <> ''
        AND type <> 'relationship' AND NOT coalesce(revoked, false)
        AND (lower(attack_id) = $1 OR contains(lower(name), $1) OR contains(lower(coalesce(description, '')), $1))
      ORDER BY rank, attack_id LIMIT ${SEARCH_LIMITS.attack}`, [lq]);
    const KIND = ['id', 'name', 'description'] as const;
    out.attack = objs.map((o) => ({ id: String(o.attack_id), name: String(o.name), type: String(o.type), match: KIND[num(o.rank)] }));
  }
  // techniques (and their parents) of the matching rules, most rules first
  const seen = new Set(out.attack.map((a) => a.id));
  if (out.rules.length > 0) {
    const techs = await rows(db, `SELECT t AS id, count(DISTINCT rule_uid) AS rules FROM (
        SELECT rule_uid, technique_id AS t FROM rule_techniques WHERE list_contains($1::VARCHAR[], rule_uid)
        UNION ALL SELECT rule_uid, parent_id FROM rule_techniques WHERE is_subtechnique AND list_contains($1::VARCHAR[], rule_uid))
      GROUP BY t ORDER BY rules DESC, t LIMIT ${SEARCH_LIMITS.techniques}`, [listValue(out.rules.map((r) => r.uid))]);
    const names = await techniqueNames(db, techs.map((t) => String(t.id)));
    for (const t of techs) {
      const id = String(t.id);
      if (seen.has(id)) continue;
      out.attack.push({ id, name: names.get(id) ?? '', type: 'attack-pattern', match: 'rules', rules: num(t.rules) });
    }
  }
  return out;
}

async function techniqueNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0 || !(await tableExists(db, 'attack_objects'))) return new Map();
  const r = await rows(db, `SELECT attack_id, arg_max(o.name, rel.ordinal) AS name FROM attack_objects o JOIN attack_releases rel USING (release)
    WHERE o.type = 'attack-pattern' AND list_contains($1::VARCHAR[], o.attack_id) GROUP BY attack_id`, [listValue(ids)]);
  return new Map(r.map((x) => [String(x.attack_id), String(x.name)]));
}
