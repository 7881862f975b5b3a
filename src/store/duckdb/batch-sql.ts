/**
 * A batch of rules as one DuckDB statement that reads each slice of the store once. Rules are
 * batched by route (channel, EventIDs: hunt-loop batchKey), and a rule's variants are split by
 * route when no event can take two of them. Each route is one SELECT over the events it routes
 * to (sorted rows: DuckDB skips the other row groups by their min/max), computing every rule's
 * detection as `CASE WHEN detection THEN r END` and keeping the rules that hold. One scan for
 * the whole batch instead of one per rule: the columns are read and decompressed once.
 */
import type { Rule } from '../../model/index.js';
import { disjointRoutes, type RouteVariant } from '../../backends/duckdb/rule-query.js';
import type { Atom } from '../../backends/duckdb/prefilter.js';
import { groupByLiterals, prefilterSql } from './prefilter-groups.js';

/** Rules per statement: one scan evaluates them all. */
export const BATCH = 128;

/** Fields read from the map (or lists) make a rule read the whole map of its slice: batched apart. */
function readsMap(sql: string): boolean {
  return sql.includes('fields[') || sql.includes('map_contains(') || sql.includes('lists[') || sql.includes('map_values(');
}


export function routeKey(vs: RouteVariant[]): string {
  const map = vs.some((v) => readsMap(v.detection)) ? ' +map' : '';
  if (!disjointRoutes(vs)) return `~whole${map}`;
  return [...new Set(vs.map((v) => v.route))].sort().join(' | ') + map;
}

interface Item {
  rule: Rule;
  where: string;
  shown: string[];
  variants: RouteVariant[];
}

/** Any variant's literals (null when one variant has none: the rule may match without any). */
function anyNeed(vs: RouteVariant[]): Atom[] | null {
  const out: Atom[] = [];
  for (const v of vs) {
    if (!v.need) return null;
    out.push(...v.need);
  }
  return out;
}

/** Sort key of a rule inside its batch key: rules needing the same literals sit side by side (one group, one filter). */
export function literalOrder(vs: RouteVariant[]): string {
  const need = anyNeed(vs);
  return need === null ? '\uffff' : need.map((a) => `${a.column}\u0000${a.literal}`).sort().join('\u0001');
}

export function batchSql(batch: Item[], time: string[], shownValues: (fields: string[]) => string, freq: (a: Atom) => number = () => 0): string {
  const routes = new Map<string, Array<{ i: number; detection: string; need: Atom[] | null }>>();
  const add = (route: string, i: number, detection: string, need: Atom[] | null): void => {
    let list = routes.get(route);
    if (!list) routes.set(route, (list = []));
    list.push({ i, detection, need });
  };
  batch.forEach((b, i) => {
    if (b.variants.length && disjointRoutes(b.variants)) for (const v of b.variants) add(v.route, i, v.detection, v.need ?? null);
    else add('', i, b.where, b.variants.length ? anyNeed(b.variants) : null);
  });
  const selects = [...routes].flatMap(([route, all]) => groupByLiterals(all, freq).map(({ items, need }) => {
    const where = [route, ...time, ...(need ? [prefilterSql(need)] : [])].filter(Boolean);
    const hits = items.map(({ i, detection }) => `CASE WHEN ${detection} THEN ${i} END`).join(',\n  ');
    const rules = [...new Set(items.map((x) => x.i))];
    const shown = rules.length === 1 ? shownValues(batch[rules[0]].shown)
      : `CASE r ${rules.map((i) => `WHEN ${i} THEN ${shownValues(batch[i].shown)}`).join(' ')} END`;
    return `SELECT r, file, seq, record_id, timestamp, computer, channel, event_id, ${shown} AS shown FROM (
  SELECT *, unnest(list_filter([${hits}]::INTEGER[], lambda h: h IS NOT NULL)) AS r FROM events${where.length ? `\n  WHERE ${where.join(' AND ')}` : ''})`;
  }));
  if (!selects.length) return 'SELECT NULL::INTEGER AS r, NULL AS file, NULL AS seq, NULL AS record_id, NULL AS timestamp, NULL AS computer, NULL AS channel, NULL AS event_id, NULL AS shown WHERE FALSE';
  return selects.join('\nUNION ALL\n') + '\nORDER BY r, file, seq';
}
