import type { Db } from '../store/db.js';
import { normalizeTechnique } from '../taxonomy/attack-ids.js';
import { rows, strOrNull } from './query.js';
import type { PredicateIndex } from './predicate-index.js';

export interface RuleRef {
  uid: string;
  id: string;
  vendor: string;
  title: string;
  level: string | null;
  status: string | null;
  /** Sub-techniques the rule is tagged with (it counts toward the parent technique). */
  via: string[];
}

/** The rules behind each indicator and exclusion row of a technique's guide, to expand them in place. */
export interface TechniqueRules {
  rules: RuleRef[];
  /** indicatorKey(...) -> rule uids. */
  byIndicator: Map<string, string[]>;
}

export const indicatorKey = (exclusion: boolean, field: string, op: string, value: string): string =>
  `${exclusion ? 'x' : 'i'}\u0000${field}\u0000${op}\u0000${value}`;

const KEYWORD = '(keyword)';

/**
 * Rules of a technique (tagged with it or one of its sub-techniques, like the guide) with uids, and for
 * every (field, op, value) the guide lists as indicator (not excluded, not negated) or exclusion, the
 * rules that test it.
 */
export async function techniqueRules(db: Db, technique: string, index?: PredicateIndex): Promise<TechniqueRules | undefined> {
  const id = normalizeTechnique(technique);
  if (!id) return undefined;
  if (index) return techniqueRulesFromIndex(index, id);
  const guideRules = `WITH guide_rules AS (
    SELECT rule_uid, list(DISTINCT technique_id ORDER BY technique_id) FILTER (WHERE technique_id <> $1) AS via
    FROM rule_techniques WHERE technique_id = $1 OR parent_id = $1 GROUP BY rule_uid)`;
  const list = await rows(db, `${guideRules} SELECT r.uid, r.id, r.vendor, r.title, r.level, r.status, g.via
    FROM guide_rules g JOIN rules r ON r.uid = g.rule_uid
    ORDER BY CASE r.vendor WHEN 'sigma' THEN 0 WHEN 'elastic' THEN 1 ELSE 2 END, lower(r.title), r.path`, [id]);
  // flat rows grouped here: cheaper than one list per key in SQL (T1059.001: 6 600 rows, 5 000 keys)
  const flat = await db.conn.runAndReadAll(`${guideRules} SELECT rule_uid, coalesce(field, '${KEYWORD}'), match_op, value_norm, exclusion
    FROM predicates JOIN guide_rules USING (rule_uid)
    WHERE value_norm IS NOT NULL AND (exclusion OR (NOT negated AND match_op <> 'exists'))`, [id]);
  const byIndicator = new Map<string, string[]>();
  for (const [uid, field, op, value, exclusion] of flat.getRows()) {
    const k = indicatorKey(exclusion === true, String(field), String(op), String(value));
    const list = byIndicator.get(k);
    if (!list) byIndicator.set(k, [String(uid)]);
    else if (!list.includes(String(uid))) list.push(String(uid));
  }
  for (const l of byIndicator.values()) l.sort();
  return {
    rules: list.map((r) => ({
      uid: String(r.uid), id: String(r.id), vendor: String(r.vendor), title: String(r.title),
      level: strOrNull(r.level), status: strOrNull(r.status), via: Array.isArray(r.via) ? r.via.map(String) : [],
    })),
    byIndicator,
  };
}

/** The same answer from the in-memory index (web server): rules grouped per predicate key id, strings built per key only. */
function techniqueRulesFromIndex(ix: PredicateIndex, id: string): TechniqueRules {
  const list = ix.techniqueRules(id);
  // id = keyId * 2 + (exclusion ? 1 : 0)
  const last = new Int32Array(ix.ids.keys.size * 2).fill(-1);
  const uids = new Map<number, string[]>();
  for (const [r, { rule }] of list.entries()) {
    for (const p of ix.predicates(rule.uid)) {
      if (p.keyId < 0 || !(p.exclusion || (!p.negated && p.matchOp !== 'exists'))) continue;
      const k = p.keyId * 2 + (p.exclusion ? 1 : 0);
      if (last[k] === r) continue;
      last[k] = r;
      const l = uids.get(k);
      if (!l) uids.set(k, [rule.uid]);
      else l.push(rule.uid);
    }
  }
  const byIndicator = new Map<string, string[]>();
  for (const [k, l] of uids) {
    const [field, op, value] = ix.ids.keys.parts[k >> 1];
    byIndicator.set(indicatorKey((k & 1) === 1, field, op, value), l.sort());
  }
  return {
    rules: list.map(({ rule: r, via }) => ({ uid: r.uid, id: r.id, vendor: r.vendor, title: r.title, level: r.level, status: r.status, via })),
    byIndicator,
  };
}
