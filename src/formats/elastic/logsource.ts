import type { Detection, LogSource } from '../../model/index.js';
import { CATEGORY_BY_EVENT_CATEGORY, PROCESS_START_TYPES, PRODUCT_BY_OS_TAG } from './logsource-table.js';

/**
 * Derives a Sigma-style logsource, kept simple on purpose:
 * - product: the single `OS: ...` tag, else a single host.os.type value required by the query.
 * - category: from the positive event.category / event.type tests among the top-level `and` of the
 *   query (for sequences: of each positive item; all items must agree), mapped by logsource-table.ts.
 * Returns the ECS event categories seen too (kept in extra.event_categories).
 */
export function deriveLogSource(detection: Detection | undefined, tags: string[], isSequence: boolean): { logsource: LogSource; categories: string[] } {
  const logsource: LogSource = {};
  const products = [...new Set(tags.map((t) => PRODUCT_BY_OS_TAG[t.trim().toLowerCase()]).filter((p): p is string => !!p))];
  const branches = !detection ? [] : isSequence && detection.kind === 'or' ? detection.children.filter((c) => c.kind !== 'not') : [detection];
  const allCategories = new Set<string>();
  const sigmaCategories = new Set<string | undefined>();
  const osTypes = new Set<string>();
  for (const b of branches) {
    const conj = b.kind === 'and' ? b.children : [b];
    const cats = valuesOf(conj, 'event.category');
    const types = valuesOf(conj, 'event.type');
    for (const v of valuesOf(conj, 'host.os.type')) osTypes.add(v.toLowerCase());
    cats.forEach((c) => allCategories.add(c));
    sigmaCategories.add(cats.length === 1 ? sigmaCategory(cats[0], types) : undefined);
  }
  if (products.length === 1) logsource.product = products[0];
  else if (products.length === 0 && osTypes.size === 1) logsource.product = [...osTypes][0];
  if (sigmaCategories.size === 1) {
    const c = [...sigmaCategories][0];
    if (c) logsource.category = c;
  }
  return { logsource, categories: [...allCategories] };
}

function sigmaCategory(category: string, types: string[]): string | undefined {
  const c = category.toLowerCase();
  if (c === 'process') return types.some((t) => PROCESS_START_TYPES.includes(t.toLowerCase())) ? 'process_creation' : undefined;
  return CATEGORY_BY_EVENT_CATEGORY[c];
}

/** String values of positive eq predicates on `field` among the conjuncts. */
function valuesOf(conj: Detection[], field: string): string[] {
  const out: string[] = [];
  for (const d of conj) if (d.kind === 'pred' && d.field === field && d.op === 'eq') for (const v of d.values) if (typeof v === 'string') out.push(v);
  return out;
}
