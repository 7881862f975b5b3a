import type { Db } from '../store/db.js';
import { normalizeTechnique } from '../taxonomy/attack-ids.js';
import { SHOWN_OP_SQL } from './negated-op.js';
import { techniqueInfo, techniqueInfoFromKb } from './technique-info.js';
import type { KnowledgeBase } from '../attack/kb.js';
import { num, rows, strOrNull, type Row } from './query.js';
import type { ReachIndex } from './reach-index.js';
import type { PredicateIndex } from './predicate-index.js';
import { guideFromIndex } from './guide-index.js';

/** The authoring guide of one technique, in the shape of the CLI contract (`guide --json`). */
export interface Guide {
  technique: { id: string; name: string | null; tactics: string[] | null };
  rules: {
    total: number;
    by_vendor: { sigma: number; elastic: number; splunk: number };
    list: Array<{ id: string; title: string; vendor: string; path: string; status: string | null; level: string | null; subtechniques: string[] }>;
  };
  events_covered: Array<{ event: string; rules: number }>;
  fields: Array<{ field: string; vendor_fields: Record<string, string[]>; rules: number; operators: Record<string, number>; samples: string[] }>;
  indicators: Array<{ field: string; op: string; value: string; rules: number; corpus_reach: number }>;
  exclusions: Array<{ field: string; op: string; value: string; rules: number }>;
}

const SAMPLES = 5;
const VENDOR_ORDER = `CASE vendor WHEN 'sigma' THEN 0 WHEN 'elastic' THEN 1 ELSE 2 END`;
const KEYWORD = '(keyword)';
/** UTF-16 code-unit order: DuckDB sorts VARCHAR by UTF-8 bytes, the same order outside surrogate pairs. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Rules of the technique ($1): tagged with it, or (for a parent technique) with one of its
 * sub-techniques, which count toward the parent and are marked by `subtechniques`.
 */
const GUIDE_RULES = `WITH guide_rules AS (
    SELECT rule_uid, list(DISTINCT technique_id ORDER BY technique_id) FILTER (WHERE technique_id <> $1) AS subtechniques
    FROM rule_techniques WHERE technique_id = $1 OR parent_id = $1 GROUP BY rule_uid)`;

/**
 * `reach`: a preloaded corpus-reach index; `index`: the catalog's predicates in memory (web server),
 * `kb`: the newest ATT&CK release in memory (the technique's name and tactics without a query):
 * the guide is then aggregated in memory, with the same result. Without them everything is SQL.
 */
export async function computeGuide(db: Db, technique: string, opts: { reach?: ReachIndex; index?: PredicateIndex; kb?: KnowledgeBase } = {}): Promise<Guide | undefined> {
  const id = normalizeTechnique(technique);
  if (!id) return undefined;
  if (opts.index) return { technique: (opts.kb && techniqueInfoFromKb(opts.kb, id)) || await techniqueInfo(db, id), ...guideFromIndex(opts.index, id) };
  const q = (sql: string) => rows(db, sql.trimStart().startsWith('WITH ') ? `${GUIDE_RULES}, ${sql.trimStart().slice(5)}` : `${GUIDE_RULES} ${sql}`, [id]);
  {
    const list = await q(`SELECT r.id, r.title, r.vendor, r.path, r.status, r.level, g.subtechniques
      FROM guide_rules g JOIN rules r ON r.uid = g.rule_uid ORDER BY ${VENDOR_ORDER}, lower(r.title), r.path`);
    const byVendor = { sigma: 0, elastic: 0, splunk: 0 };
    for (const r of list) if (r.vendor === 'sigma' || r.vendor === 'elastic' || r.vendor === 'splunk') byVendor[r.vendor]++;

    const events = await q(`SELECT e.event, count(DISTINCT e.rule_uid) AS rules
      FROM rule_events e JOIN guide_rules g USING (rule_uid) GROUP BY e.event ORDER BY rules DESC, e.event`);

    const fieldRules = await q(`SELECT coalesce(field, '${KEYWORD}') AS field, count(DISTINCT rule_uid) AS rules
      FROM predicates JOIN guide_rules USING (rule_uid) WHERE NOT exclusion GROUP BY ALL ORDER BY rules DESC, field`);
    const fieldVendors = await q(`SELECT DISTINCT coalesce(field, '${KEYWORD}') AS field, vendor, coalesce(vendor_field, '${KEYWORD}') AS vf
      FROM predicates JOIN guide_rules USING (rule_uid) WHERE NOT exclusion ORDER BY ${VENDOR_ORDER}, vf`);
    // a predicate under a negation that is not an exclusion counts as its negated operator (negated-op.ts)
    const fieldOps = await q(`SELECT coalesce(field, '${KEYWORD}') AS field, ${SHOWN_OP_SQL} AS op, count(DISTINCT rule_uid) AS rules
      FROM predicates JOIN guide_rules USING (rule_uid) WHERE NOT exclusion GROUP BY ALL ORDER BY rules DESC, op`);
    const fieldSamples = await q(`SELECT field, value FROM (
        SELECT coalesce(field, '${KEYWORD}') AS field, value_norm AS value, count(DISTINCT rule_uid) AS n,
               row_number() OVER (PARTITION BY coalesce(field, '${KEYWORD}') ORDER BY count(DISTINCT rule_uid) DESC, value_norm) AS k
        FROM predicates JOIN guide_rules USING (rule_uid)
        WHERE NOT exclusion AND value_norm IS NOT NULL GROUP BY 1, 2)
      WHERE k <= ${SAMPLES} ORDER BY field, k`);

    const here = `SELECT coalesce(field, '${KEYWORD}') AS field, match_op AS op, value_norm AS value, count(DISTINCT rule_uid) AS rules
        FROM predicates JOIN guide_rules USING (rule_uid)
        WHERE NOT exclusion AND NOT negated AND value_norm IS NOT NULL AND match_op <> 'exists' GROUP BY ALL`;
    const reachIndex = opts.reach;
    const indicators = reachIndex
      ? (await q(here)).map((r): Row => ({ ...r, corpus_reach: reachIndex.get(String(r.field), String(r.op), String(r.value)) }))
        .sort((a, b) => num(b.rules) - num(a.rules) || num(b.corpus_reach) - num(a.corpus_reach)
          || cmp(String(a.field), String(b.field)) || cmp(String(a.op), String(b.op)) || cmp(String(a.value), String(b.value)))
      : await q(`WITH here AS (${here}),
      reach AS (
        SELECT coalesce(p.field, '${KEYWORD}') AS field, p.match_op AS op, p.value_norm AS value, count(DISTINCT p.rule_uid) AS corpus_reach
        FROM predicates p SEMI JOIN here h ON coalesce(p.field, '${KEYWORD}') = h.field AND p.match_op = h.op AND p.value_norm = h.value
        WHERE NOT p.exclusion AND NOT p.negated GROUP BY ALL)
      SELECT here.*, reach.corpus_reach FROM here JOIN reach USING (field, op, value)
      ORDER BY rules DESC, corpus_reach DESC, field, op, value`);

    const exclusions = await q(`SELECT coalesce(field, '${KEYWORD}') AS field, match_op AS op, value_norm AS value, count(DISTINCT rule_uid) AS rules
      FROM predicates JOIN guide_rules USING (rule_uid)
      WHERE exclusion AND value_norm IS NOT NULL GROUP BY ALL ORDER BY rules DESC, field, op, value`);

    const fields: Guide['fields'] = fieldRules.map((f) => ({
      field: String(f.field),
      vendor_fields: {} as Record<string, string[]>,
      rules: num(f.rules),
      operators: {} as Record<string, number>,
      samples: [] as string[],
    }));
    const byField = new Map(fields.map((f) => [f.field, f]));
    for (const r of fieldVendors) {
      const f = byField.get(String(r.field));
      if (f) (f.vendor_fields[String(r.vendor)] ??= []).push(String(r.vf));
    }
    for (const r of fieldOps) {
      const f = byField.get(String(r.field));
      if (f) f.operators[String(r.op)] = num(r.rules);
    }
    for (const r of fieldSamples) byField.get(String(r.field))?.samples.push(String(r.value));

    return {
      technique: await techniqueInfo(db, id),
      rules: {
        total: list.length,
        by_vendor: byVendor,
        list: list.map((r) => ({
          id: String(r.id), title: String(r.title), vendor: String(r.vendor), path: String(r.path),
          status: strOrNull(r.status), level: strOrNull(r.level),
          subtechniques: Array.isArray(r.subtechniques) ? r.subtechniques.map(String) : [],
        })),
      },
      events_covered: events.map((e) => ({ event: String(e.event), rules: num(e.rules) })),
      fields,
      indicators: indicators.map((r) => ({ field: String(r.field), op: String(r.op), value: String(r.value), rules: num(r.rules), corpus_reach: num(r.corpus_reach) })),
      exclusions: exclusions.map((r) => ({ field: String(r.field), op: String(r.op), value: String(r.value), rules: num(r.rules) })),
    };
  }
}
