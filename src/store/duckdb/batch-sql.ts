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
import { disjointRoutes, routeColumns, variantsWhere, type RouteVariant } from '../../backends/duckdb/rule-query.js';
import type { Atom } from '../../backends/duckdb/prefilter.js';
import { mergeReads, noReads, type FieldReads, type MapEntry, type MapEntryPrinter } from '../../backends/field-reads.js';
import { groupByLiterals, prefilterSql } from './prefilter-groups.js';
import { lowerCaseOf, promotedColumn } from './promoted-fields.js';
import { sqlKey } from '../../backends/duckdb/literal.js';
import { listShownEntries, listShownSql, shownSql } from './shown-sql.js';
import { keywordOf } from '../keyword-shown.js';
import { listFieldOf } from '../list-shown.js';
import { printKeywordFound } from '../../backends/duckdb/print.js';

/**
 * Rules per statement: one statement per route, so that the route's distinct value combinations
 * are computed once for all its rules (all Windows Sigma rules over 4 replicated hosts, 1.5M
 * events: 19.6 s of CPU with 128 rules per statement, 17.6 s with 2048).
 */
export const BATCH = 2048;

/** Fields read from the map (or lists) make a rule read the whole map of its slice: batched apart. */
function readsMap(r: FieldReads): boolean {
  return r.wholeMap || r.entries.size > 0;
}

/**
 * A rule that searches all values (keyword) and reads no map. Where some rule must search all
 * values of every event anyway (a variant of any channel and EventID), such rules join its batch (hunt.ts): the whole table is then grouped
 * by all_values once, instead of once more per route (all Windows Sigma rules over the 32-host
 * store: grouping the 2.2M process creations by all_values for one keyword rule took 5.6 s of CPU,
 * 0.5 s without it).
 */
export function searchesAllValues(vs: RouteVariant[]): boolean {
  return vs.length > 0 && vs.every((v) => !readsMap(v.reads)) && vs.some((v) => v.reads.columns.has('all_values'));
}

export function routeKey(vs: RouteVariant[]): string {
  const map = vs.some((v) => readsMap(v.reads)) ? ' +map' : '';
  if (!disjointRoutes(vs)) return `~whole${map}`;
  return [...new Set(vs.map((v) => v.route))].sort().join(' | ') + map;
}

interface Item {
  rule: Rule;
  where: string;
  shown: string[];
  variants: RouteVariant[];
  /** Run over the whole table even when its variants' routes are disjoint (batched with the whole rules). */
  whole?: boolean;
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

/** A rule run whole (its variants OR-ed, routes included): what it reads; unknown without variants. */
function wholeReads(vs: RouteVariant[]): FieldReads {
  if (!vs.length) return { ...noReads(), wholeMap: true };
  const r = mergeReads(vs.map((v) => v.reads));
  for (const v of vs) for (const c of routeColumns(v)) r.columns.add(c);
  return r;
}

interface Test {
  i: number;
  detection: string;
  need: Atom[] | null;
  reads: FieldReads;
  print: (mapEntry: MapEntryPrinter) => string;
}

/** `shownValue`: a field's single value (its column, else its map entry). */
export function batchSql(batch: Item[], time: string[], shownValue: (field: string) => string, freq: (a: Atom) => number = () => 0, dedup = true): string {
  const routes = new Map<string, Test[]>();
  const add = (route: string, t: Test): void => {
    let list = routes.get(route);
    if (!list) routes.set(route, (list = []));
    list.push(t);
  };
  batch.forEach((b, i) => {
    if (!b.whole && b.variants.length && disjointRoutes(b.variants)) {
      for (const v of b.variants) add(v.route, { i, detection: v.detection, need: v.need ?? null, reads: v.reads, print: (m) => v.print(m) });
    } else {
      add('', { i, detection: b.where, need: b.variants.length ? anyNeed(b.variants) : null, reads: wholeReads(b.variants), print: (m) => variantsWhere(b.variants, (v) => v.print(m)) });
    }
  });
  const ctes: string[] = [];
  const selects = [...routes].flatMap(([route, all]) => {
    const groups = groupByLiterals(all, freq);
    const shownOf = (rules: number[]): string => shownSql(rules.map((i) => ({ i, shown: batch[i].shown })), shownValue);
    const hitsOf = (items: Array<{ i: number; detection: string }>): string => items.map(({ i, detection }) => `CASE WHEN ${detection} THEN ${i} END`).join(',\n  ');
    // What the detections read, and the columns their literal prefilters read (a cased rule's prefilter reads the lower-case column).
    const atoms: FieldReads = { ...noReads(), columns: new Set(all.flatMap((x) => (x.need ?? []).map((a) => a.reads ?? a.column))) };
    const rulesHere = [...new Set(all.map((x) => x.i))];
    // The shown fields are grouped by too: the alerts' values are then computed once per combination.
    const plan = dedup ? dedupPlan([...all.map((x) => x.reads), atoms, shownReads(rulesHere.flatMap((i) => batch[i].shown))]) : null;
    if (plan) {
      // One pass over the route's events for the distinct combinations, one join back for every group.
      const d = `d${ctes.length}`;
      const filter = [route, ...time].filter(Boolean);
      const grouping = `SELECT ${plan.select.join(', ')}, list(rowid) AS event_rows FROM events${filter.length ? ` WHERE ${filter.join(' AND ')}` : ''} GROUP BY ALL`;
      ctes.push(`${d} AS MATERIALIZED (${plan.derived.length ? `SELECT *, ${plan.derived.join(', ')} FROM (${grouping})` : grouping})`);
      const grouped = (items: Test[]): Array<{ i: number; detection: string }> => items.map((x) => ({ i: x.i, detection: x.print(plan.entry) }));
      const hits = groups.map(({ items, need }) => `SELECT *, unnest(list_filter([${hitsOf(grouped(items))}]::INTEGER[], lambda h: h IS NOT NULL)) AS r FROM ${d}${need ? ` WHERE ${prefilterSql(need)}` : ''}`);
      const groupedValue = (f: string): string => {
        const k = keywordOf(f);
        if (k !== undefined) return printKeywordFound(k, { mapEntry: plan.entry });
        if (listFieldOf(f) !== undefined) return listShownSql(f, plan.entry);
        return promotedColumn(f) ?? plan.entry(shownEntry(f));
      };
      return [distinctJoin(hits, filter, shownSql(rulesHere.map((i) => ({ i, shown: batch[i].shown })), groupedValue))];
    }
    return groups.map(({ items, need }) => {
      const where = [route, ...time, ...(need ? [prefilterSql(need)] : [])].filter(Boolean);
      return `SELECT r, file, seq, record_id, timestamp, computer, channel, event_id, ${shownOf([...new Set(items.map((x) => x.i))])} AS shown, NULL::BIGINT AS c FROM (
  SELECT *, unnest(list_filter([${hitsOf(items)}]::INTEGER[], lambda h: h IS NOT NULL)) AS r FROM events${where.length ? `\n  WHERE ${where.join(' AND ')}` : ''})`;
    });
  });
  if (!selects.length) return 'SELECT NULL::INTEGER AS r, NULL::JSON AS event_texts, NULL AS record_id, NULL AS event_id, NULL AS shown, NULL::BIGINT AS c WHERE FALSE';
  // The event's texts leave as one JSON array per row: the client reads one string instead of four (batch-rows.ts).
  return (ctes.length ? `WITH ${ctes.join(',\n')}\n` : '') + `SELECT r, to_json([file, timestamp, computer, channel]) AS event_texts, record_id, event_id, shown, c FROM (\n${selects.join('\nUNION ALL\n')})\nORDER BY r, file, seq`;
}

export interface DedupPlan {
  /** What the route's events are grouped by: columns, and map entries named `"map_N"`. */
  select: string[];
  /** Map entries among them. */
  lookups: number;
  /** Columns computed per combination from the grouped ones (`lower("f_X") AS "l_X"`). */
  derived: string[];
  /** How a detection reads a map entry once grouped: the entry's column. */
  entry: MapEntryPrinter;
}

/**
 * How the detections can run once per distinct combination, from what the printer said they read
 * (backends/field-reads.ts): the plain columns, and each single map entry
 * (`fields['K']`, `map_contains(fields, 'K')`) computed once per event as a column of its own.
 * Null when they read a map whole (keyword search over map_values) or read nothing.
 */
export function dedupPlan(reads: FieldReads[]): DedupPlan | null {
  const r = mergeReads(reads);
  if (r.wholeMap) return null;
  const cols = [...r.columns].sort();
  // A lower-case column is lower() of its field's column (promoted-fields.ts): not a key of its own when both are read.
  const derived = cols.filter((c) => {
    const of = lowerCaseOf(c);
    return of !== undefined && r.columns.has(of);
  });
  const aliases = new Map([...r.entries.keys()].map((sql, i) => [sql, `"map_${i}"`]));
  const select = [...cols.filter((c) => !derived.includes(c)), ...[...aliases].map(([sql, alias]) => `${sql} AS ${alias}`)];
  if (!select.length) return null;
  return {
    select,
    lookups: aliases.size,
    derived: derived.map((c) => `lower(${lowerCaseOf(c)!}) AS ${c}`),
    entry: (e: MapEntry) => aliases.get(e.sql) ?? e.sql,
  };
}

/** A shown field that has no column of its own: its map entry (the lookup print.ts writes for a value). */
function shownEntry(field: string): MapEntry {
  return { kind: 'value', map: 'fields', key: field, sql: `fields[${sqlKey(field)}]` };
}

/** What showing these fields reads: their columns, else their map entries (a keyword: what its test reads; a list field: its value and list). */
function shownReads(fields: string[]): FieldReads {
  const r = noReads();
  for (const f of fields) {
    const own = promotedColumn(f);
    const k = keywordOf(f);
    const listed = listFieldOf(f);
    // A keyword's test (keyword-shown.ts) reads what the rule's keyword search reads.
    if (k !== undefined) printKeywordFound(k, { reads: r });
    else if (listed !== undefined) {
      const { value, list } = listShownEntries(listed);
      if (value) r.entries.set(value.sql, value);
      else r.columns.add(promotedColumn(listed)!);
      r.entries.set(list.sql, list);
    } else if (own !== undefined) r.columns.add(own);
    else {
      const e = shownEntry(f);
      r.entries.set(e.sql, e);
    }
  }
  return r;
}

/**
 * A route's rules run over the distinct value combinations of the columns they read and show
 * (events of the route and time range, grouped with the row ids of their events: NULL groups with
 * NULL), then each matching combination's events are joined back by row id: the same (rule, event)
 * pairs as evaluating every event, with the detections and the shown values computed once per
 * combination. Logs repeat (the same command lines, images, services on every host). `c` names the
 * combination (its first event's row id): rows of one rule and one `c` show the same values, which
 * the reader converts once (hunt.ts). The hits are the join's right side, its build side when the
 * hunt turns DuckDB's build-side swap off (hunt.ts).
 */
function distinctJoin(hits: string[], where: string[], shown: string): string {
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  return `SELECT r, file, seq, record_id, timestamp, computer, channel, event_id, shown, c FROM (SELECT rowid AS event_row, file, seq, record_id, timestamp, computer, channel, event_id FROM events${filter}) e
  JOIN (SELECT r, c, shown, unnest(event_rows) AS event_row FROM (SELECT r, event_rows[1] AS c, ${shown} AS shown, event_rows FROM (${hits.join('\n  UNION ALL ')}))) h USING (event_row)`;
}
