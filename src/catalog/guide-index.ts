import type { Guide } from './guide.js';
import { cmp, DistinctCounter, KEYWORD, predicateKey, type PredicateIndex } from './predicate-index.js';

const SAMPLES = 5;
const VENDOR_RANK: Record<string, number> = { sigma: 0, elastic: 1 };
const vendorRank = (v: string): number => VENDOR_RANK[v] ?? 2;
/** The operator the guide shows for a predicate under a negation (negated-op.ts has the SQL form). */
const shownOp = (op: string, negated: boolean): string => (!negated ? op : op === 'eq' ? 'ne' : op === 'ne' ? 'eq' : `not ${op}`);
/** Splits a key into its `n` parts; the last takes the rest (a value may hold the separator). */
const split = (k: string, n = 3): string[] => {
  const out: string[] = [];
  let at = 0;
  for (let i = 1; i < n; i++) {
    const j = k.indexOf('\u0000', at);
    out.push(k.slice(at, j));
    at = j + 1;
  }
  out.push(k.slice(at));
  return out;
};

/**
 * The guide of technique `id` (everything but the technique's name and tactics) from the in-memory
 * index: the same aggregations, counts and order as the SQL of computeGuide.
 */
export function guideFromIndex(ix: PredicateIndex, id: string): Omit<Guide, 'technique'> {
  const list = ix.techniqueRules(id);
  const byVendor = { sigma: 0, elastic: 0, splunk: 0 };
  for (const { rule } of list) if (rule.vendor === 'sigma' || rule.vendor === 'elastic' || rule.vendor === 'splunk') byVendor[rule.vendor]++;

  const events = new DistinctCounter();
  const fieldRules = new DistinctCounter();
  const fieldVendors = new Set<string>();
  const fieldOps = new DistinctCounter();
  const samples = new DistinctCounter();
  const here = new DistinctCounter();
  const excl = new DistinctCounter();
  for (const { rule } of list) {
    const uid = rule.uid;
    for (const e of ix.events.get(uid) ?? []) events.add(e, uid);
    for (const p of ix.predicates(uid)) {
      const field = p.fieldOrKeyword;
      if (p.exclusion) {
        if (p.key !== null) excl.add(p.key, uid);
        continue;
      }
      fieldRules.add(field, uid);
      fieldVendors.add(predicateKey(field, p.vendor, p.vendorField ?? KEYWORD));
      fieldOps.add(`${field}\u0000${shownOp(p.op, p.negated)}`, uid);
      if (p.value === null) continue;
      samples.add(`${field}\u0000${p.value}`, uid);
      if (!p.negated && p.matchOp !== 'exists') here.add(p.key!, uid);
    }
  }

  const fields: Guide['fields'] = [...fieldRules.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .map(([field, rules]) => ({ field, vendor_fields: {}, rules, operators: {}, samples: [] }));
  const byField = new Map(fields.map((f) => [f.field, f]));
  const fv = [...fieldVendors].map((k) => split(k)).sort((a, b) => vendorRank(a[1]) - vendorRank(b[1]) || cmp(a[2], b[2]));
  for (const [field, vendor, vf] of fv) (byField.get(field)!.vendor_fields[vendor] ??= []).push(vf);
  const ops = [...fieldOps.entries()].map(([k, n]) => [...split(k, 2), n] as [string, string, number])
    .sort((a, b) => b[2] - a[2] || cmp(a[1], b[1]));
  for (const [field, op, n] of ops) byField.get(field)!.operators[op] = n;
  const perField = new Map<string, Array<[string, number]>>();
  for (const [k, n] of samples.entries()) {
    const [field, value] = split(k, 2);
    let l = perField.get(field);
    if (!l) perField.set(field, (l = []));
    l.push([value, n]);
  }
  for (const [field, l] of perField) {
    byField.get(field)!.samples.push(...l.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).slice(0, SAMPLES).map((x) => x[0]));
  }

  const indicators = [...here.entries()].map(([k, rules]) => {
    const [field, op, value] = split(k);
    return { field, op, value, rules, corpus_reach: ix.reach.get(field, op, value) };
  }).sort((a, b) => b.rules - a.rules || b.corpus_reach - a.corpus_reach || cmp(a.field, b.field) || cmp(a.op, b.op) || cmp(a.value, b.value));
  const exclusions = [...excl.entries()].map(([k, rules]) => {
    const [field, op, value] = split(k);
    return { field, op, value, rules };
  }).sort((a, b) => b.rules - a.rules || cmp(a.field, b.field) || cmp(a.op, b.op) || cmp(a.value, b.value));

  return {
    rules: {
      total: list.length,
      by_vendor: byVendor,
      list: list.map(({ rule: r, via }) => ({ id: r.id, title: r.title, vendor: r.vendor, path: r.path, status: r.status, level: r.level, subtechniques: via })),
    },
    events_covered: [...events.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).map(([event, rules]) => ({ event, rules })),
    fields,
    indicators,
    exclusions,
  };
}
