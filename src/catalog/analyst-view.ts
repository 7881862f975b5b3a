import { listValue } from '@duckdb/node-api';
import type { Catalog } from '../attack/catalog-join.js';
import type { LogSource, ShowReport } from '../attack/show.js';
import type { Db } from '../store/db.js';
import { num, rows } from './query.js';
import type { RuleFacet } from './rule-facets.js';
import type { PredicateIndex } from './predicate-index.js';

/**
 * The analyst view of an analytic or a technique, computed from ATT&CK and the catalog only: the
 * telemetry it needs, what the implementing rules look at, the tuning knobs and the coverage.
 */
export interface AnalystView {
  telemetry: Array<{
    log_source: string; channel: string; event_ids: number[]; data_component: { id: string; name: string } | null;
    event_types: string[]; analytics: string[]; rules: number;
  }>;
  data_components: Array<{ id: string; name: string }>;
  fields: Array<{ field: string; rules: number; operators: Record<string, number> }>;
  tuning: Array<{ analytic: string; field: string; description: string }>;
  coverage: {
    rules: number;
    by_vendor: Record<string, number>;
    by_platform: Record<string, number>;
    /** Log sources of the telemetry list that none of the rules reads. */
    unused_log_sources: string[];
  };
}

const TOP_FIELDS = 15;


/** `index`: the catalog's predicates in memory (web server): the fields are then counted without SQL. */
export async function analystView(db: Db, rep: ShowReport, cat: Catalog, facets: Map<string, RuleFacet>, index?: PredicateIndex): Promise<AnalystView> {
  const analytics: Array<{ id: string; log_sources: LogSource[]; mutable: Array<{ field: string; description: string }> }> = [];
  if (rep.analytic) analytics.push({ id: rep.analytic.id, log_sources: rep.analytic.log_sources, mutable: rep.analytic.mutable_elements });
  for (const det of rep.detection_strategies ?? []) {
    for (const an of det.analytics) analytics.push({ id: an.id, log_sources: an.log_sources, mutable: an.mutable_elements });
  }
  const uids = Object.values(rep.rules?.by_vendor ?? {}).flat().map((r) => r.key);
  const ruleCats = uids.map((u) => cat.rules.get(u)).filter((r) => !!r);

  const telemetry = new Map<string, AnalystView['telemetry'][number]>();
  for (const an of analytics) {
    for (const ls of an.log_sources) {
      const key = `${ls.name}\u0000${ls.channel}`;
      let t = telemetry.get(key);
      if (!t) {
        const uses = ruleCats.filter((r) => r.categories.some((c) => ls.categories.includes(c))
          || (r.categories.length === 0 && r.services.includes(ls.service ?? '') && r.products.includes(ls.product ?? ''))).length;
        t = {
          log_source: ls.name, channel: ls.channel, event_ids: ls.event_ids,
          data_component: ls.data_component ? { id: ls.data_component.id, name: ls.data_component.name } : null,
          event_types: ls.categories, analytics: [], rules: uses,
        };
        telemetry.set(key, t);
      }
      if (!t.analytics.includes(an.id)) t.analytics.push(an.id);
    }
  }
  const dcs = new Map<string, { id: string; name: string }>();
  for (const t of telemetry.values()) if (t.data_component) dcs.set(t.data_component.id, t.data_component);

  const fields: AnalystView['fields'] = [];
  if (uids.length > 0) {
    // the rules as a joined list (a hash join), not a list_contains per predicate row
    const r = index ? fieldOpCounts(index, uids) : await rows(db, `WITH u AS (SELECT DISTINCT unnest($1::VARCHAR[]) AS rule_uid)
      SELECT field, op, count(DISTINCT rule_uid) AS rules FROM predicates JOIN u USING (rule_uid)
      WHERE NOT exclusion AND field IS NOT NULL GROUP BY GROUPING SETS ((field, op), (field))`, [listValue(uids)]);
    const byField = new Map<string, { rules: number; operators: Record<string, number> }>();
    const totals = r.filter((x) => x.op === null).sort((a, b) => num(b.rules) - num(a.rules) || String(a.field).localeCompare(String(b.field))).slice(0, TOP_FIELDS);
    for (const t of totals) byField.set(String(t.field), { rules: num(t.rules), operators: {} });
    for (const x of r) {
      if (x.op === null) continue;
      const f = byField.get(String(x.field));
      if (f) f.operators[String(x.op)] = num(x.rules);
    }
    for (const [field, f] of byField) fields.push({ field, rules: Number(f.rules), operators: f.operators });
  }

  const byVendor: Record<string, number> = {};
  const byPlatform: Record<string, number> = {};
  for (const u of uids) {
    const r = cat.rules.get(u);
    if (r) byVendor[r.vendor] = (byVendor[r.vendor] ?? 0) + 1;
    const p = facets.get(u)?.platform ?? 'other';
    byPlatform[p] = (byPlatform[p] ?? 0) + 1;
  }
  return {
    telemetry: [...telemetry.values()],
    data_components: [...dcs.values()],
    fields,
    tuning: analytics.flatMap((an) => an.mutable.map((m) => ({ analytic: an.id, field: m.field, description: m.description }))),
    coverage: {
      rules: uids.length, by_vendor: byVendor, by_platform: byPlatform,
      unused_log_sources: [...telemetry.values()].filter((t) => t.rules === 0).map((t) => `${t.log_source} ${t.channel}`.trim()),
    },
  };
}

/** The rows of the GROUPING SETS query above from the in-memory index: (field, op) and (field, null) counts. */
function fieldOpCounts(ix: PredicateIndex, uids: string[]): Array<{ field: string; op: string | null; rules: number }> {
  const sets = new Map<string, { field: string; op: string | null; uids: Set<string> }>();
  const add = (field: string, op: string | null, uid: string): void => {
    const k = op === null ? field : `${field}\u0000${op}`;
    let e = sets.get(k);
    if (!e) sets.set(k, (e = { field, op, uids: new Set() }));
    e.uids.add(uid);
  };
  for (const uid of new Set(uids)) {
    for (const p of ix.predicates(uid)) {
      if (p.exclusion || p.field === null) continue;
      add(p.field, p.op, uid);
      add(p.field, null, uid);
    }
  }
  return [...sets.values()].map((e) => ({ field: e.field, op: e.op, rules: e.uids.size }));
}
