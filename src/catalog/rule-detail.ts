import { resolve } from 'node:path';
import type { Db } from '../store/db.js';
import type { JoinKey, Sequence } from '../model/index.js';
import { num, rows, strOrNull, type Row } from './query.js';

export interface RuleDetail {
  id: string;
  uid: string;
  title: string;
  vendor: string;
  path: string;
  status: string | null;
  level: string | null;
  type: string | null;
  language: string | null;
  logsource: { product: string | null; category: string | null; service: string | null };
  events: string[];
  techniques: string[];
  tactics: string[];
  description: string | null;
  query: string | null;
  parse_status: string;
  parse_note: string | null;
  predicates: Array<{
    path: string; field: string | null; vendor_field: string | null; op: string; value: string | null;
    authored_op: string; authored_value: string | null; negated: boolean; exclusion: boolean; cased: boolean;
  }>;
  problems: Array<{ line: number | null; column: number | null; reason: string; message: string }>;
  /** Conditions of the raw query the predicates do not hold (why the rule is partial). */
  losses: Array<{ text: string; reason: string; offset: number | null; detail: string | null }>;
  /** EQL sequence / sample: its structure (stage filters are in `predicates`, path 0.<stage>). */
  sequence?: SequenceOutline;
}

export interface SequenceOutline {
  kind: string;
  by: string[];
  maxspan: string | null;
  stages: Array<{ category: string; by: string[]; missing: boolean; runs: number }>;
  until: { category: string; by: string[] } | null;
}

/** The outline of the model's Sequence stored in rules.model (no filters: those are the predicates). */
function sequenceOutline(model: unknown): SequenceOutline | undefined {
  if (typeof model !== 'string') return undefined;
  let s: Sequence | undefined;
  try {
    s = (JSON.parse(model) as { sequence?: Sequence }).sequence;
  } catch {
    return undefined;
  }
  if (!s) return undefined;
  const keys = (k: JoinKey[]): string[] => k.map((x) => (x.optional ? `?${x.text}` : x.text));
  return {
    kind: s.kind,
    by: keys(s.by),
    maxspan: s.maxspan ?? null,
    stages: s.stages.map((st) => ({ category: st.category, by: keys(st.by), missing: st.missing, runs: st.runs ?? 1 })),
    until: s.until ? { category: s.until.category, by: keys(s.until.by) } : null,
  };
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Rules whose id, catalog uid or file path (absolute, as given, or a path suffix) is `key`. */
export async function findRules(db: Db, key: string): Promise<RuleDetail[]> {
  const abs = resolve(key);
  const found = await rows(db, `SELECT * FROM rules WHERE id = $1 OR uid = $1 OR path = $2
      OR (length($1) > 4 AND (path LIKE '%/' || $1 OR path LIKE '%\\' || $1))
    ORDER BY CASE WHEN id = $1 OR uid = $1 THEN 0 ELSE 1 END, path, doc_index LIMIT 50`, [key, abs]);
  const out: RuleDetail[] = [];
  for (const r of found) out.push(await detailOf(db, r));
  return out;
}

/** The detail of a row of the rules table (all columns): its predicates, problems and losses. */
export async function detailOf(db: Db, r: Row): Promise<RuleDetail> {
  const preds = await rows(db, `SELECT tree_path, field, vendor_field, op, value, authored_op, authored_value, negated, exclusion, cased
    FROM predicates WHERE rule_uid = $1 ORDER BY tree_path, value_index`, [String(r.uid)]);
  const problems = await rows(db, `SELECT line, "column", reason, message FROM parse_problems WHERE file = $1 ORDER BY line NULLS LAST`, [String(r.path)]);
  const losses = await rows(db, `SELECT text, reason, "offset", detail FROM rule_losses WHERE rule_uid = $1 ORDER BY "offset" NULLS LAST, reason`, [String(r.uid)]);
  const sequence = sequenceOutline(r.model);
  return {
    ...(sequence ? { sequence } : {}),
    id: String(r.id), uid: String(r.uid), title: String(r.title), vendor: String(r.vendor), path: String(r.path),
    status: strOrNull(r.status), level: strOrNull(r.level), type: strOrNull(r.type), language: strOrNull(r.language),
    logsource: { product: strOrNull(r.product), category: strOrNull(r.category), service: strOrNull(r.service) },
    events: list(r.event_types), techniques: list(r.techniques), tactics: list(r.tactics),
    description: strOrNull(r.description), query: strOrNull(r.query),
    parse_status: String(r.parse_status), parse_note: strOrNull(r.parse_note),
    predicates: preds.map((p) => ({
      path: String(p.tree_path), field: strOrNull(p.field), vendor_field: strOrNull(p.vendor_field), op: String(p.op),
      value: strOrNull(p.value), authored_op: String(p.authored_op), authored_value: strOrNull(p.authored_value),
      negated: p.negated === true, exclusion: p.exclusion === true, cased: p.cased === true,
    })),
    problems: problems.map((p) => ({
      line: p.line === null ? null : num(p.line), column: p.column === null ? null : num(p.column),
      reason: String(p.reason), message: String(p.message),
    })),
    losses: losses.map((l) => ({
      text: String(l.text), reason: String(l.reason), offset: l.offset === null ? null : num(l.offset), detail: strOrNull(l.detail),
    })),
  };
}
