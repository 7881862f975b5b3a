import type { Detection, Rule, Scalar } from '../model/index.js';
import type { When } from './types.js';

/**
 * What a predicate's meaning may depend on: the event categories its subtree is scoped to (from the
 * sibling event.category tests of the enclosing `and`, e.g. one EQL sequence stage) and the data
 * sources the rule reads (from its index patterns and dataset tests).
 */
export interface MappingContext {
  categories?: ReadonlySet<string>;
  sources: ReadonlySet<string>;
}

/** Index patterns and dataset names -> data source. */
const SOURCE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^(winlogbeat-|logs-windows\.|logs-system\.)/i, 'winlog'],
  [/^(windows\.|system\.(security|system|application)$)/i, 'winlog'],
  [/^(logs-endpoint\.|endgame-|endpoint\.)/i, 'endpoint'],
  [/^(apm-|logs-apm|traces-apm|apm\.|logs-nginx|nginx\.|logs-apache|apache\.|logs-iis|iis\.)|proxy/i, 'web'],
];

const DATASET_FIELDS = new Set(['event.dataset', 'data_stream.dataset']);

/** Image-load events written as process events (Sysmon event 7 through winlogbeat): event.action tells. */
const LIBRARY_ACTIONS = /^(load|image loaded)/i;

export function ruleSources(rule: Rule): Set<string> {
  const names: string[] = [];
  const idx = rule.extra.index;
  if (Array.isArray(idx)) names.push(...idx.filter((x): x is string => typeof x === 'string'));
  const esql = rule.extra.esql as { indices?: unknown } | undefined;
  if (Array.isArray(esql?.indices)) names.push(...esql.indices.filter((x): x is string => typeof x === 'string'));
  if (rule.detection) collectDatasets(rule.detection, names, false);
  const out = new Set<string>();
  for (const n of names) for (const [re, src] of SOURCE_PATTERNS) if (re.test(n.trim())) out.add(src);
  return out;
}

function collectDatasets(d: Detection, out: string[], negated: boolean): void {
  if (d.kind === 'pred') {
    if (!negated && d.op === 'eq' && DATASET_FIELDS.has(d.authoredField ?? d.field ?? '')) for (const v of d.values) if (typeof v === 'string') out.push(v);
  } else if (d.kind === 'and' || d.kind === 'or') for (const c of d.children) collectDatasets(c, out, negated);
  else if (d.kind === 'not') collectDatasets(d.child, out, !negated);
}

const fieldOf = (d: Detection): string | undefined => (d.kind === 'pred' ? (d.authoredField ?? d.field ?? undefined) : undefined);

/** Event categories a condition allows, when it says (undefined: any). */
export function allowedCategories(d: Detection): Set<string> | undefined {
  if (d.kind === 'pred') {
    const f = fieldOf(d);
    if (d.op === 'eq' && f === 'event.category') return new Set(d.values.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()));
    if ((d.op === 'eq' || d.op === 'starts_with') && f === 'event.action' && d.values.every((v) => typeof v === 'string' && LIBRARY_ACTIONS.test(v))) return new Set(['library']);
    return undefined;
  }
  if (d.kind === 'or') {
    const out = new Set<string>();
    for (const c of d.children) {
      const s = allowedCategories(c);
      if (!s) return undefined;
      s.forEach((x) => out.add(x));
    }
    return out;
  }
  if (d.kind === 'and') return conjunctCategories(d.children);
  return undefined;
}

/** The categories a conjunction allows: an image-load action wins over the `process` category it is written with. */
export function conjunctCategories(children: readonly Detection[]): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (const c of children) {
    const s = allowedCategories(c);
    if (!s) continue;
    if (fieldOf(c) === 'event.action') return s;
    out = out ? new Set([...out].filter((x) => s.has(x))) : s;
  }
  return out;
}

export function whenHolds(w: When | undefined, ctx: MappingContext | undefined, values: readonly Scalar[]): boolean {
  if (!w) return true;
  if (w.categories) {
    const cats = ctx?.categories;
    if (!cats || cats.size === 0 || ![...cats].every((c) => w.categories!.includes(c))) return false;
  }
  if (w.sources && !w.sources.some((s) => ctx?.sources.has(s))) return false;
  if (w.numeric && !values.every((v) => typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))) return false;
  return true;
}
