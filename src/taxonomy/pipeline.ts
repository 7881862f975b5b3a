import type { Detection, Op, Predicate, Rule, Vendor } from '../model/index.js';
import { mapStages } from '../model/index.js';
import { derivePredicate } from './derive.js';
import { pathSeparator } from './platform.js';
import type { CrosswalkEntry } from './types.js';
import { ECS_FIELDS, ECS_SUFFIXES_STRIPPED, WINLOG_EVENT_DATA_PREFIX } from './ecs-fields.js';
import { CIM_BARE_FIELDS, CIM_DATAMODEL_ROOTS, CIM_FIELDS } from './cim-fields.js';
import { WINDOWS_RAW_FIELDS } from './windows-fields.js';

/**
 * Field canonicalization as a list of small steps (like pySigma processing pipelines). Each step says
 * which vendors it applies to; `rename` steps rewrite the vendor field's spelling and go on, `map`
 * steps look the (rewritten) field up in one crosswalk table and end the pipeline when they match.
 */
export type Step =
  | { name: string; vendors: readonly Vendor[]; kind: 'rename'; rename: (field: string) => string }
  | { name: string; vendors: readonly Vendor[]; kind: 'map'; table: ReadonlyMap<string, CrosswalkEntry>; caseInsensitive?: boolean };

const index = (t: readonly CrosswalkEntry[], lower = false): Map<string, CrosswalkEntry> =>
  new Map(t.map((e) => [lower ? e.vendor.toLowerCase() : e.vendor, e]));

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

/** The mapping a vendor field takes for a vendor, or undefined when it stays as written. */
export function lookupField(vendor: Vendor, field: string, steps: readonly Step[] = STEPS): { field: string; mapping?: CrosswalkEntry } {
  let f = field;
  for (const s of steps) {
    if (!s.vendors.includes(vendor)) continue;
    if (s.kind === 'rename') {
      f = s.rename(f);
      continue;
    }
    const hit = s.table.get(s.caseInsensitive ? f.toLowerCase() : f);
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
export function canonicalizePredicate(p: Predicate, vendor: Vendor, sep: string, steps: readonly Step[] = STEPS): Detection {
  const authored = p.authoredField ?? p.field;
  if (p.field === null || authored === null) return p;
  const { field, mapping } = lookupField(vendor, p.field, steps);
  const withAuthor: Predicate = { ...p, authoredField: authored };
  if (!mapping) return field === p.field ? withAuthor : { ...withAuthor, field };
  const d = derivePredicate(withAuthor, mapping.canonical, mapping.derive, sep);
  const out = d.kind === 'not' ? d.child : d;
  if (out.kind === 'pred' && (out.op !== p.op || d.kind === 'not')) AUTHORED_OPS.set(out, p.op);
  return d;
}

function walk(d: Detection, f: (p: Predicate) => Detection): Detection {
  switch (d.kind) {
    case 'pred':
      return f(d);
    case 'and':
    case 'or':
      return { kind: d.kind, children: d.children.map((c) => walk(c, f)) };
    case 'not':
      return { kind: 'not', child: walk(d.child, f) };
    case 'const':
    case 'unknown':
      return d;
  }
}

/** The rule with every predicate on canonical fields; authored fields and values are kept on the predicates. */
export function canonicalize(rule: Rule, steps: readonly Step[] = STEPS): Rule {
  if (!rule.detection && !rule.sequence) return rule;
  const sep = pathSeparator(rule);
  const f = (d: Detection): Detection => walk(d, (p) => canonicalizePredicate(p, rule.vendor, sep, steps));
  return {
    ...rule,
    ...(rule.detection ? { detection: f(rule.detection) } : {}),
    ...(rule.sequence ? { sequence: mapStages(rule.sequence, f) } : {}),
  };
}
