import type { Db } from '../store/db.js';
import { num, rows } from './query.js';
import { cmp, type PredicateIndex } from './predicate-index.js';

export interface SharedPredicate {
  field: string;
  op: string;
  value: string;
}

export interface SimilarRule {
  uid: string;
  id: string;
  vendor: string;
  title: string;
  /** Distinct (field, op, value) tests both rules make, outside exclusions. */
  shared: number;
  /** Shared / the union of both rules' distinct tests (Jaccard), 0..1. */
  score: number;
  predicates: SharedPredicate[];
}

const KEYWORD = '(keyword)';

/**
 * Rules of other vendors that test the same (canonical field, operator, value) as rule `uid`, ranked
 * by the number of shared tests, then by their share of both rules' tests. Exclusions are left out:
 * two rules are alike by what they look for, not by what they filter away.
 */
export async function similarRules(db: Db, uid: string, limit = 10, index?: PredicateIndex): Promise<SimilarRule[]> {
  if (index) return similarFromIndex(index, uid, limit);
  const found = await rows(db, `WITH mine AS (
      SELECT DISTINCT coalesce(field, '${KEYWORD}') AS field, match_op AS op, value_norm AS value FROM predicates
      WHERE rule_uid = $1 AND NOT exclusion AND value_norm IS NOT NULL),
    me AS (SELECT vendor FROM rules WHERE uid = $1),
    theirs AS (
      SELECT DISTINCT p.rule_uid, coalesce(p.field, '${KEYWORD}') AS field, p.match_op AS op, p.value_norm AS value FROM predicates p
      WHERE NOT p.exclusion AND p.value_norm IS NOT NULL AND p.vendor <> (SELECT vendor FROM me)
        AND p.rule_uid IN (SELECT q.rule_uid FROM predicates q JOIN mine m
                           ON coalesce(q.field, '${KEYWORD}') = m.field AND q.match_op = m.op AND q.value_norm = m.value)),
    scored AS (
      SELECT t.rule_uid, count(*) FILTER (WHERE m.field IS NOT NULL) AS shared, count(*) AS total,
             list({'field': t.field, 'op': t.op, 'value': t.value} ORDER BY t.field, t.op, t.value) FILTER (WHERE m.field IS NOT NULL) AS preds
      FROM theirs t LEFT JOIN mine m USING (field, op, value) GROUP BY t.rule_uid)
    SELECT s.rule_uid, s.shared, s.total, (SELECT count(*) FROM mine) AS mine, s.preds, r.id, r.vendor, r.title
    FROM scored s JOIN rules r ON r.uid = s.rule_uid WHERE s.shared > 0
    ORDER BY s.shared DESC, s.shared / (s.total + (SELECT count(*) FROM mine) - s.shared) DESC, r.vendor, r.title LIMIT ${Math.max(1, Math.min(limit, 100))}`, [uid]);
  return found.map((r) => {
    const shared = num(r.shared);
    const union = num(r.total) + num(r.mine) - shared;
    const preds = Array.isArray(r.preds) ? r.preds as Array<Record<string, unknown>> : [];
    return {
      uid: String(r.rule_uid), id: String(r.id), vendor: String(r.vendor), title: String(r.title), shared,
      score: union > 0 ? shared / union : 0,
      predicates: preds.map((p) => ({ field: String(p.field), op: String(p.op), value: String(p.value) })),
    };
  });
}

/** Distinct (field, op, value) tests of a rule outside exclusions, by predicateKey. */
function tests(ix: PredicateIndex, uid: string): Map<string, SharedPredicate> {
  const out = new Map<string, SharedPredicate>();
  for (const p of ix.predicates(uid)) {
    if (p.exclusion || p.key === null || out.has(p.key)) continue;
    out.set(p.key, { field: p.fieldOrKeyword, op: p.matchOp, value: p.value! });
  }
  return out;
}

/** The same ranking from the in-memory index (web server). */
function similarFromIndex(ix: PredicateIndex, uid: string, limit: number): SimilarRule[] {
  const me = ix.rules.get(uid);
  if (!me) return [];
  const mine = tests(ix, uid);
  const candidates = new Set<string>();
  for (const k of mine.keys()) for (const u of ix.byKey.get(k) ?? []) if (ix.rules.get(u)?.vendor !== me.vendor) candidates.add(u);
  const scored: SimilarRule[] = [];
  for (const u of candidates) {
    const r = ix.rules.get(u)!;
    const theirs = tests(ix, u);
    const shared = [...theirs].filter(([k]) => mine.has(k)).map(([, p]) => p)
      .sort((a, b) => cmp(a.field, b.field) || cmp(a.op, b.op) || cmp(a.value, b.value));
    if (shared.length === 0) continue;
    const union = theirs.size + mine.size - shared.length;
    scored.push({ uid: u, id: r.id, vendor: r.vendor, title: r.title, shared: shared.length, score: union > 0 ? shared.length / union : 0, predicates: shared });
  }
  return scored.sort((a, b) => b.shared - a.shared || b.score - a.score || cmp(a.vendor, b.vendor) || cmp(a.title, b.title))
    .slice(0, Math.max(1, Math.min(limit, 100)));
}
