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

export function batchSql(batch: Item[], time: string[], shownValues: (fields: string[]) => string): string {
  const routes = new Map<string, Array<{ i: number; detection: string }>>();
  const add = (route: string, i: number, detection: string): void => {
    let list = routes.get(route);
    if (!list) routes.set(route, (list = []));
    list.push({ i, detection });
  };
  batch.forEach((b, i) => {
    if (b.variants.length && disjointRoutes(b.variants)) for (const v of b.variants) add(v.route, i, v.detection);
    else add('', i, b.where);
  });
  const selects = [...routes].map(([route, items]) => {
    const where = [route, ...time].filter(Boolean);
    const hits = items.map(({ i, detection }) => `CASE WHEN ${detection} THEN ${i} END`).join(',\n  ');
    const rules = [...new Set(items.map((x) => x.i))];
    const shown = rules.length === 1 ? shownValues(batch[rules[0]].shown)
      : `CASE r ${rules.map((i) => `WHEN ${i} THEN ${shownValues(batch[i].shown)}`).join(' ')} END`;
    return `SELECT r, file, seq, record_id, timestamp, computer, channel, event_id, ${shown} AS shown FROM (
  SELECT *, unnest(list_filter([${hits}]::INTEGER[], lambda h: h IS NOT NULL)) AS r FROM events${where.length ? `\n  WHERE ${where.join(' AND ')}` : ''})`;
  });
  return selects.join('\nUNION ALL\n') + '\nORDER BY r, file, seq';
}
