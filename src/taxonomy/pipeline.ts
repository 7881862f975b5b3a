import type { Detection, Op, Predicate, Rule, Scalar, Vendor } from '../model/index.js';
import { mapStages } from '../model/index.js';
import { allowedCategories, conjunctCategories, ruleSources, whenHolds } from './context.js';
import type { MappingContext } from './context.js';
import { derivePredicate } from './derive.js';
import { pathSeparator } from './platform.js';
import type { Separator } from './platform.js';
import type { CrosswalkEntry } from './types.js';
import { ECS_FIELDS, ECS_SUFFIXES_STRIPPED, WINLOG_EVENT_DATA_PREFIX } from './ecs-fields.js';
import { CIM_BARE_FIELDS, CIM_DATAMODEL_ROOTS, CIM_FIELDS } from './cim-fields.js';
import { WINDOWS_RAW_FIELDS } from './windows-fields.js';

/**
 * Field canonicalization as a list of small steps (like pySigma processing pipelines). Each step says
 * which vendors it applies to; `rename` steps rewrite the vendor field's spelling and go on, `map`
 * steps look the (rewritten) field up in one crosswalk table and end the pipeline when a row applies.
 * A table may hold several rows per vendor field with a `when` context (category-aware mappings):
 * the first row whose context holds is taken.
 */
export type Step =
  | { name: string; vendors: readonly Vendor[]; kind: 'rename'; rename: (field: string) => string }
  | { name: string; vendors: readonly Vendor[]; kind: 'map'; table: ReadonlyMap<string, readonly CrosswalkEntry[]>; caseInsensitive?: boolean };

const index = (t: readonly CrosswalkEntry[], lower = false): Map<string, CrosswalkEntry[]> => {
  const m = new Map<string, CrosswalkEntry[]>();
  for (const e of t) {
    const k = lower ? e.vendor.toLowerCase() : e.vendor;
    m.set(k, [...(m.get(k) ?? []), e]);
  }
  return m;
};

const stripOptional = (f: string): string => (f.startsWith('?') ? f.slice(1) : f);
const stripSuffixes = (f: string): string => {
  for (const s of ECS_SUFFIXES_STRIPPED) if (f.endsWith(s)) return f.slice(0, -s.length);
  return f;
};
const stripWinlog = (f: string): string => (f.startsWith(WINLOG_EVENT_DATA_PREFIX) ? f.slice(WINLOG_EVENT_DATA_PREFIX.length) : f);
const stripDatamodelRoot = (f: string): string => {
  for (const r of CIM_DATAMODEL_ROOTS) if (f.startsWith(`${r}.`) && f.split('.').length > 2) return f.slice(r.length + 1);
  return f;
};

export const STEPS: readonly Step[] = [
  { name: 'elastic: optional-field marker', vendors: ['elastic'], kind: 'rename', rename: stripOptional },
  { name: 'elastic: multi-field suffixes (.caseless, .text)', vendors: ['elastic'], kind: 'rename', rename: stripSuffixes },
  { name: 'elastic: ECS', vendors: ['elastic'], kind: 'map', table: index(ECS_FIELDS) },
  { name: 'elastic: winlog.event_data prefix', vendors: ['elastic'], kind: 'rename', rename: stripWinlog },
  { name: 'splunk: data-model root', vendors: ['splunk'], kind: 'rename', rename: stripDatamodelRoot },
  { name: 'splunk: CIM data-model fields', vendors: ['splunk'], kind: 'map', table: index(CIM_FIELDS) },
  { name: 'splunk: bare CIM fields', vendors: ['splunk'], kind: 'map', table: index(CIM_BARE_FIELDS) },
  { name: 'raw Windows event fields', vendors: ['elastic', 'splunk'], kind: 'map', table: index(WINDOWS_RAW_FIELDS, true), caseInsensitive: true },
];

/**
 * The mapping a vendor field takes for a vendor, or undefined when it stays as written. Without a
 * context, rows that need one (category-aware rows) do not apply.
 */
export function lookupField(
  vendor: Vendor, field: string, steps: readonly Step[] = STEPS, ctx?: MappingContext, values: readonly Scalar[] = [],
): { field: string; mapping?: CrosswalkEntry } {
  let f = field;
  for (const s of steps) {
    if (!s.vendors.includes(vendor)) continue;
    if (s.kind === 'rename') {
      f = s.rename(f);
      continue;
    }
    const rows = s.table.get(s.caseInsensitive ? f.toLowerCase() : f);
    const hit = rows?.find((r) => whenHolds(r.when, ctx, values));
    if (hit) return { field: hit.canonical, mapping: hit };
  }
  return { field: f };
}

/**
 * The operator as authored, for predicates whose operator a derivation changed (process.name eq x ->
 * Image ends_with '\x'). The model keeps authored field and values; the operator is remembered here,
 * per predicate object, until the model has a place for it.
 */
const AUTHORED_OPS = new WeakMap<Predicate, Op>();

export function authoredOp(p: Predicate): Op {
  return AUTHORED_OPS.get(p) ?? p.op;
}

/** One predicate onto canonical fields (a `not` node when the derived operator needs one). */
export function canonicalizePredicate(p: Predicate, vendor: Vendor, sep: Separator, steps: readonly Step[] = STEPS, ctx?: MappingContext): Detection {
  const authored = p.authoredField ?? p.field;
  if (p.field === null || authored === null) return p;
  const withAuthor: Predicate = { ...p, authoredField: authored };
  if (p.flags.fieldref) return canonicalizeFieldref(withAuthor, vendor, steps, ctx);
  const { field, mapping } = lookupField(vendor, p.field, steps, ctx, p.values);
  if (!mapping) return field === p.field ? withAuthor : { ...withAuthor, field };
  const d = derivePredicate(withAuthor, mapping.canonical, mapping.derive, sep);
  const out = d.kind === 'not' ? d.child : d;
  if (out.kind === 'pred' && (out.op !== p.op || d.kind === 'not')) AUTHORED_OPS.set(out, p.op);
  return d;
}

/**
 * A field-to-field comparison (`parent_process_name != process_name`): the value names a field, so it
 * is never rewritten as a value. Both sides move to canonical fields only when both map without a
 * derivation; otherwise (a basename of a path, ...) no canonical test says the same, and the
 * predicate keeps the vendor's fields as written.
 */
function canonicalizeFieldref(p: Predicate, vendor: Vendor, steps: readonly Step[], ctx?: MappingContext): Predicate {
  const left = lookupField(vendor, p.field!, steps, ctx);
  const rights = p.values.map((v) => (typeof v === 'string' ? lookupField(vendor, v, steps, ctx) : undefined));
  const plain = (m: { mapping?: CrosswalkEntry } | undefined): boolean => m !== undefined && (m.mapping === undefined || m.mapping.derive === 'same');
  if (!plain(left) || !rights.every(plain)) return p;
  const values = rights.map((r) => r!.field);
  const changed = values.some((v, i) => v !== p.values[i]);
  return { ...p, field: left.field, values, ...(changed ? { authoredValues: p.authoredValues ?? p.values } : {}) };
}

function walk(d: Detection, f: (p: Predicate, categories?: ReadonlySet<string>) => Detection, categories?: ReadonlySet<string>): Detection {
  switch (d.kind) {
    case 'pred':
      return f(d, allowedCategories(d) ?? categories);
    case 'and': {
      const scoped = conjunctCategories(d.children) ?? categories;
      return { kind: d.kind, children: d.children.map((c) => walk(c, f, scoped)) };
    }
    case 'or':
      return { kind: d.kind, children: d.children.map((c) => walk(c, f, categories)) };
    case 'not':
      return { kind: 'not', child: walk(d.child, f, categories) };
    case 'const':
    case 'unknown':
    case 'computed': // its expression reads vendor fields as written: no crosswalk
      return d;
  }
}

/** The rule with every predicate on canonical fields; authored fields and values are kept on the predicates. */
export function canonicalize(rule: Rule, steps: readonly Step[] = STEPS): Rule {
  if (!rule.detection && !rule.sequence) return rule;
  const sep = pathSeparator(rule);
  const sources = ruleSources(rule);
  const f = (d: Detection): Detection =>
    walk(d, (p, categories) => canonicalizePredicate(p, rule.vendor, sep, steps, { categories, sources }));
  return {
    ...rule,
    ...(rule.detection ? { detection: f(rule.detection) } : {}),
    ...(rule.sequence ? { sequence: mapStages(rule.sequence, f) } : {}),
  };
}
