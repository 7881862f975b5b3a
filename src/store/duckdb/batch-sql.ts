/**
 * A batch of rules as one DuckDB statement that reads each slice of the store once. Rules are
 * batched by route (channel, EventIDs: hunt-loop batchKey), and a rule's variants are split by
 * route when no event can take two of them. Each route is one SELECT over the events it routes
 * to (sorted rows: DuckDB skips the other row groups by their min/max), computing every rule's
 * detection as `CASE WHEN detection THEN r END` and keeping the rules that hold. One scan for
 * the whole batch instead of one per rule: the columns are read and decompressed once. When the
 * route's rules read only plain columns (no map), they run once per distinct combination of
 * those columns' values, joined back to the events by row id (distinctJoin).
 */
import type { Rule } from '../../model/index.js';
import { disjointRoutes, type RouteVariant } from '../../backends/duckdb/rule-query.js';
import type { Atom } from '../../backends/duckdb/prefilter.js';
import { groupByLiterals, prefilterSql } from './prefilter-groups.js';
import { LOWERED_FIELDS, PROMOTED_FIELDS } from './promoted-fields.js';
import { replaceMapLookups } from './map-lookups.js';

/**
 * Rules per statement: one statement per route, so that the route's distinct value combinations
 * are computed once for all its rules (all Windows Sigma rules over 4 replicated hosts, 1.5M
 * events: 19.6 s of CPU with 128 rules per statement, 17.6 s with 2048).
 */
export const BATCH = 2048;

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

export function batchSql(batch: Item[], time: string[], shownValues: (fields: string[]) => string, freq: (a: Atom) => number = () => 0, dedup = true): string {
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
  const ctes: string[] = [];
  const selects = [...routes].flatMap(([route, all]) => {
    const groups = groupByLiterals(all, freq);
    const shownOf = (rules: number[]): string => (rules.length === 1 ? shownValues(batch[rules[0]].shown)
      : `CASE r ${rules.map((i) => `WHEN ${i} THEN ${shownValues(batch[i].shown)}`).join(' ')} END`);
    const hitsOf = (items: Array<{ i: number; detection: string }>): string => items.map(({ i, detection }) => `CASE WHEN ${detection} THEN ${i} END`).join(',\n  ');
    // The columns the detections read, and those their literal prefilters read (a cased rule's prefilter reads the lower-case column).
    const read = [...all.map((x) => x.detection), ...all.flatMap((x) => (x.need ?? []).map((a) => a.column))];
    const plan = dedup ? dedupPlan(read.join('\n')) : null;
    if (plan) {
      // One pass over the route's events for the distinct combinations, one join back for every group.
      const d = `d${ctes.length}`;
      const filter = [route, ...time].filter(Boolean);
      const grouping = `SELECT ${plan.select.join(', ')}, list(rowid) AS event_rows FROM events${filter.length ? ` WHERE ${filter.join(' AND ')}` : ''} GROUP BY ALL`;
      ctes.push(`${d} AS MATERIALIZED (${plan.derived.length ? `SELECT *, ${plan.derived.join(', ')} FROM (${grouping})` : grouping})`);
      const grouped = (items: Array<{ i: number; detection: string }>): Array<{ i: number; detection: string }> => items.map((x) => ({ i: x.i, detection: plan.rewrite(x.detection) }));
      const hits = groups.map(({ items, need }) => `SELECT *, unnest(list_filter([${hitsOf(grouped(items))}]::INTEGER[], lambda h: h IS NOT NULL)) AS r FROM ${d}${need ? ` WHERE ${prefilterSql(need)}` : ''}`);
      return [distinctJoin(hits, filter, shownOf([...new Set(all.map((x) => x.i))]))];
    }
    return groups.map(({ items, need }) => {
      const where = [route, ...time, ...(need ? [prefilterSql(need)] : [])].filter(Boolean);
      return `SELECT r, file, seq, record_id, timestamp, computer, channel, event_id, ${shownOf([...new Set(items.map((x) => x.i))])} AS shown FROM (
  SELECT *, unnest(list_filter([${hitsOf(items)}]::INTEGER[], lambda h: h IS NOT NULL)) AS r FROM events${where.length ? `\n  WHERE ${where.join(' AND ')}` : ''})`;
    });
  });
  if (!selects.length) return 'SELECT NULL::INTEGER AS r, NULL AS file, NULL AS seq, NULL AS record_id, NULL AS timestamp, NULL AS computer, NULL AS channel, NULL AS event_id, NULL AS shown WHERE FALSE';
  return (ctes.length ? `WITH ${ctes.join(',\n')}\n` : '') + selects.join('\nUNION ALL\n') + '\nORDER BY r, file, seq';
}

/** Event columns a detection may read besides the promoted ones (bare names in the printed SQL; a rule run whole reads its route too). */
const BARE_COLUMNS = ['all_values', 'channel_lc', 'event_id'];
const KNOWN = new Set([...PROMOTED_FIELDS.map((f) => `"f_${f}"`), ...LOWERED_FIELDS.map((f) => `"l_${f}"`)]);

/**
 * The columns the detections read, when all are plain columns (no map): the rules can then be
 * evaluated once per distinct combination of those values instead of once per event. A name
 * inside a string literal only adds a column; a column the detections read is never missed: the
 * printer (backends/duckdb/print.ts) reads promoted columns (quoted), all_values, or the maps.
 */
export function dedupColumns(sql: string): string[] | null {
  const plan = dedupPlan(sql);
  return plan && !plan.lookups ? plan.select : null;
}

export interface DedupPlan {
  /** What the route's events are grouped by: columns, and map lookups named `"map_N"`. */
  select: string[];
  /** Map lookups among them. */
  lookups: number;
  /** Columns computed per combination from the grouped ones (`lower("f_X") AS "l_X"`). */
  derived: string[];
  /** A detection reading the grouped columns instead of the maps. */
  rewrite(detection: string): string;
}

/**
 * How the detections can run once per distinct combination: the plain columns they read, and
 * each single map entry they read (`fields['K']`, `map_contains(fields, 'K')`, backends/duckdb/print.ts)
 * computed once per event as a column of its own. Null when they read a map whole (keyword
 * search over map_values) or read nothing.
 */
export function dedupPlan(sql: string): DedupPlan | null {
  const lookups = new Map<string, string>();
  const name = (lookup: string): string => {
    let alias = lookups.get(lookup);
    if (alias === undefined) lookups.set(lookup, (alias = `"map_${lookups.size}"`));
    return alias;
  };
  const plain = replaceMapLookups(sql, name);
  if (plain === null) return null;
  const cols = plainColumns(plain);
  // A lower-case column is lower() of its field's column (promoted-fields.ts): not a key of its own when both are read.
  const derived = cols.filter((c) => c.startsWith('"l_') && cols.includes(`"f_${c.slice(3)}`));
  const select = [...cols.filter((c) => !derived.includes(c)), ...[...lookups].map(([lookup, alias]) => `${lookup} AS ${alias}`)];
  if (!select.length) return null;
  return { select, lookups: lookups.size, derived: derived.map((c) => `lower("f_${c.slice(3)}) AS ${c}`), rewrite: (detection) => replaceMapLookups(detection, name) ?? detection };
}

function plainColumns(sql: string): string[] {
  const cols = new Set<string>();
  for (const m of sql.matchAll(/"[fl]_[A-Za-z0-9_]+"/g)) if (KNOWN.has(m[0])) cols.add(m[0]);
  for (const c of BARE_COLUMNS) if (new RegExp(`\\b${c}\\b`).test(sql)) cols.add(c);
  return [...cols].sort();
}

/**
 * A route's rules run over the distinct value combinations of the columns they read (events of
 * the route and time range, grouped with the row ids of their events: NULL groups with NULL),
 * then each matching combination's events are joined back by row id: the same (rule, event)
 * pairs as evaluating every event, with the detections run once per combination. Logs repeat
 * (the same command lines, images, services on every host).
 */
function distinctJoin(hits: string[], where: string[], shown: string): string {
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  return `SELECT r, file, seq, record_id, timestamp, computer, channel, event_id, ${shown} AS shown FROM (
  SELECT r, unnest(event_rows) AS event_row FROM (${hits.join('\n  UNION ALL ')})) h
  JOIN (SELECT rowid AS event_row, * FROM events${filter}) e USING (event_row)`;
}
