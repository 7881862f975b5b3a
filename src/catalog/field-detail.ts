import type { Db } from '../store/db.js';
import { num, rows, strOrNull } from './query.js';

/** One canonical field across the catalog: its vendor names, operators, top values with reach, rules. */
export interface FieldDetail {
  field: string;
  rules: number;
  vendor_fields: Array<{ vendor: string; vendor_field: string; rules: number }>;
  operators: Array<{ op: string; rules: number }>;
  values: Array<{ op: string; value: string; corpus_reach: number; exclusions: number }>;
  rule_list: Array<{ uid: string; id: string; vendor: string; title: string; level: string | null }>;
}

const KEYWORD = '(keyword)';
const TOP_VALUES = 100;
const RULES = 500;

/** Detail of a canonical field ('(keyword)' for field-less searches); undefined when no rule uses it. */
export async function fieldDetail(db: Db, field: string): Promise<FieldDetail | undefined> {
  const where = field === KEYWORD ? 'field IS NULL' : 'field = $1';
  const params = field === KEYWORD ? [] : [field];
  const total = await rows(db, `SELECT count(DISTINCT rule_uid) AS n FROM predicates WHERE ${where}`, params);
  if (num(total[0]?.n) === 0) return undefined;
  const vendorFields = await rows(db, `SELECT vendor, coalesce(vendor_field, '${KEYWORD}') AS vf, count(DISTINCT rule_uid) AS rules
    FROM predicates WHERE ${where} GROUP BY vendor, vf
    ORDER BY CASE vendor WHEN 'sigma' THEN 0 WHEN 'elastic' THEN 1 ELSE 2 END, rules DESC, vf`, params);
  const ops = await rows(db, `SELECT op, count(DISTINCT rule_uid) AS rules FROM predicates WHERE ${where} GROUP BY op ORDER BY rules DESC, op`, params);
  const values = await rows(db, `SELECT match_op AS op, value_norm AS value,
      count(DISTINCT rule_uid) FILTER (WHERE NOT exclusion AND NOT negated) AS reach,
      count(DISTINCT rule_uid) FILTER (WHERE exclusion) AS excl
    FROM predicates WHERE ${where} AND value_norm IS NOT NULL GROUP BY ALL
    ORDER BY reach DESC, excl DESC, op, value LIMIT ${TOP_VALUES}`, params);
  const list = await rows(db, `SELECT r.uid, r.id, r.vendor, r.title, r.level FROM rules r
    WHERE r.uid IN (SELECT rule_uid FROM predicates WHERE ${where})
    ORDER BY CASE r.vendor WHEN 'sigma' THEN 0 WHEN 'elastic' THEN 1 ELSE 2 END, lower(r.title) LIMIT ${RULES}`, params);
  return {
    field,
    rules: num(total[0]?.n),
    vendor_fields: vendorFields.map((v) => ({ vendor: String(v.vendor), vendor_field: String(v.vf), rules: num(v.rules) })),
    operators: ops.map((o) => ({ op: String(o.op), rules: num(o.rules) })),
    values: values.map((v) => ({ op: String(v.op), value: String(v.value), corpus_reach: num(v.reach), exclusions: num(v.excl) })),
    rule_list: list.map((r) => ({ uid: String(r.uid), id: String(r.id), vendor: String(r.vendor), title: String(r.title), level: strOrNull(r.level) })),
  };
}
