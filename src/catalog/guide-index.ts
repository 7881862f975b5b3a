import type { Guide } from './guide.js';
import { cmp, RuleCounter, type PredicateIndex } from './predicate-index.js';

const SAMPLES = 5;
const VENDOR_RANK: Record<string, number> = { sigma: 0, elastic: 1 };
const vendorRank = (v: string): number => VENDOR_RANK[v] ?? 2;

/**
 * The guide of technique `id` (everything but the technique's name and tactics) from the in-memory
 * index: the same aggregations, counts and order as the SQL of computeGuide. Counting runs over the
 * predicates' dense ids in typed arrays (T1059.001: 400 rules, 6 600 predicates, no string built
 * per predicate); strings are looked up only for the rows of the answer.
 */
export function guideFromIndex(ix: PredicateIndex, id: string): Omit<Guide, 'technique'> {
  const list = ix.techniqueRules(id);
  const byVendor = { sigma: 0, elastic: 0, splunk: 0 };
  for (const { rule } of list) if (rule.vendor === 'sigma' || rule.vendor === 'elastic' || rule.vendor === 'splunk') byVendor[rule.vendor]++;

  const ids = ix.ids;
  const events = new RuleCounter(ids.events.size);
  const fieldRules = new RuleCounter(ids.fields.size);
  const fieldVendors = new RuleCounter(ids.vendorFields.size);
  const fieldOps = new RuleCounter(ids.ops.size);
  const samples = new RuleCounter(ids.samples.size);
  const here = new RuleCounter(ids.keys.size);
  const excl = new RuleCounter(ids.keys.size);
  const counters = [events, fieldRules, fieldVendors, fieldOps, samples, here, excl];
  for (const { rule } of list) {
    for (const c of counters) c.next();
    for (const e of ix.eventIds.get(rule.uid) ?? []) events.add(e);
    for (const p of ix.predicates(rule.uid)) {
      if (p.exclusion) {
        if (p.keyId >= 0) excl.add(p.keyId);
        continue;
      }
      fieldRules.add(p.fieldId);
      fieldVendors.add(p.vendorFieldId);
      fieldOps.add(p.opId);
      if (p.sampleId < 0) continue;
      samples.add(p.sampleId);
      if (!p.negated && p.matchOp !== 'exists') here.add(p.keyId);
    }
  }

  const fieldName = (i: number): string => ids.fields.parts[i][0];
  const fields: Guide['fields'] = fieldRules.touched.map((f) => [f, fieldRules.counts[f]] as const)
    .sort((a, b) => b[1] - a[1] || cmp(fieldName(a[0]), fieldName(b[0])))
    .map(([f, rules]) => ({ field: fieldName(f), vendor_fields: {}, rules, operators: {}, samples: [] }));
  const byField = new Map(fields.map((f) => [f.field, f]));
  const fv = fieldVendors.touched.map((i) => ids.vendorFields.parts[i]).sort((a, b) => vendorRank(a[1]) - vendorRank(b[1]) || cmp(a[2], b[2]));
  for (const [field, vendor, vf] of fv) (byField.get(fieldName(field))!.vendor_fields[vendor] ??= []).push(vf);
  const ops = fieldOps.touched.map((i) => [...ids.ops.parts[i], fieldOps.counts[i]] as const).sort((a, b) => b[2] - a[2] || cmp(a[1], b[1]));
  for (const [field, op, n] of ops) byField.get(fieldName(field))!.operators[op] = n;
  const perField = new Map<number, Array<[string, number]>>();
  for (const i of samples.touched) {
    const [field, value] = ids.samples.parts[i];
    let l = perField.get(field);
    if (!l) perField.set(field, (l = []));
    l.push([value, samples.counts[i]]);
  }
  for (const [field, l] of perField) {
    byField.get(fieldName(field))!.samples.push(...l.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).slice(0, SAMPLES).map((x) => x[0]));
  }

  const indicators = here.touched.map((i) => {
    const [field, op, value] = ids.keys.parts[i];
    return { field, op, value, rules: here.counts[i], corpus_reach: ids.keyReach[i] };
  }).sort((a, b) => b.rules - a.rules || b.corpus_reach - a.corpus_reach || cmp(a.field, b.field) || cmp(a.op, b.op) || cmp(a.value, b.value));
  const exclusions = excl.touched.map((i) => {
    const [field, op, value] = ids.keys.parts[i];
    return { field, op, value, rules: excl.counts[i] };
  }).sort((a, b) => b.rules - a.rules || cmp(a.field, b.field) || cmp(a.op, b.op) || cmp(a.value, b.value));

  return {
    rules: {
      total: list.length,
      by_vendor: byVendor,
      list: list.map(({ rule: r, via }) => ({ id: r.id, title: r.title, vendor: r.vendor, path: r.path, status: r.status, level: r.level, subtechniques: via })),
    },
    events_covered: events.touched.map((e) => [ids.events.parts[e][0], events.counts[e]] as const).sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).map(([event, rules]) => ({ event, rules })),
    fields,
    indicators,
    exclusions,
  };
}
