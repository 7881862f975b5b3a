/**
 * What a printed detection reads, told by the printer itself (print.ts) as it prints: the plain
 * columns, each single map entry (`fields['K']`, `lists['K']`, `map_contains(fields, 'K')`), and
 * whether it reads a map whole (keyword search over map_values). The hunt (store/duckdb/batch-sql.ts)
 * groups a route's events by what its rules read and prints each entry through a hook (the name of
 * a column computed once per event): nothing is found by reading the SQL text back.
 */

/** One map entry a detection reads. */
export interface MapEntry {
  /** `value`: the entry's value; `list`: a list map's entry; `has`: whether the map holds the key. */
  kind: 'value' | 'list' | 'has';
  /** The map column (e.g. `fields`, `lists`). */
  map: string;
  key: string;
  /** The lookup as printed when no hook replaces it (also the entry's identity). */
  sql: string;
}

/** How a map entry is printed: by default its lookup (`entry.sql`). */
export type MapEntryPrinter = (entry: MapEntry) => string;

export interface FieldReads {
  /** Plain columns read (promoted `"f_X"`, lower-cased `"l_X"`, all_values, route columns...). */
  columns: Set<string>;
  /** Single map entries read, by their lookup. */
  entries: Map<string, MapEntry>;
  /** A map read whole (its values or keys): no entry list describes what it reads. */
  wholeMap: boolean;
}

export function noReads(): FieldReads {
  return { columns: new Set(), entries: new Map(), wholeMap: false };
}

/** Everything any of these read. */
export function mergeReads(all: Iterable<FieldReads>): FieldReads {
  const out = noReads();
  for (const r of all) {
    for (const c of r.columns) out.columns.add(c);
    for (const [k, e] of r.entries) out.entries.set(k, e);
    out.wholeMap ||= r.wholeMap;
  }
  return out;
}
