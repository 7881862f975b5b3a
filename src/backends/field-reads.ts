/**
 * What a printed detection reads, told by the SQL printer itself as it prints (DuckDB:
 * backends/duckdb/print.ts, ClickHouse: backends/clickhouse/print.ts): the plain columns, each
 * single entry of a field map (DuckDB `fields['K']`, `lists['K']`, `map_contains(fields, 'K')`;
 * ClickHouse `f_values[indexOf(f_keys, 'K')]`, `l_values[indexOf(l_keys, 'K')]`, `has(f_keys, 'K')`),
 * and whether it reads a map whole (keyword search over every value). The hunts group a route's
 * events by what its rules read and print each entry through a hook (the name of a column computed
 * once per event: store/duckdb/batch-sql.ts, store/clickhouse/route-groups.ts): nothing is found
 * by reading the SQL text back.
 */

/** One map entry a detection reads. */
export interface MapEntry {
  /** `value`: the entry's value; `list`: a list map's entry; `has`: whether the map holds the key. */
  kind: 'value' | 'list' | 'has';
  /** The column read: the map (DuckDB `fields`, `lists`); ClickHouse's value array (`f_values`, `l_values`), or its key array for `has` (`f_keys`, `l_keys`). */
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

/** A printer's side of the reads: it notes each read as it prints it, and prints entries through the hook. */
export class ReadRecorder {
  readonly reads: FieldReads;
  private readonly hook: MapEntryPrinter;
  constructor(reads?: FieldReads, hook?: MapEntryPrinter) {
    this.reads = reads ?? noReads();
    this.hook = hook ?? ((e) => e.sql);
  }

  /** A plain column the SQL reads. */
  column(c: string): string {
    this.reads.columns.add(c);
    return c;
  }

  /** One map entry the SQL reads, as the hook prints it. */
  entry(e: MapEntry): string {
    this.reads.entries.set(e.sql, e);
    return this.hook(e);
  }

  /** The SQL reads a map whole. */
  wholeMap(): void {
    this.reads.wholeMap = true;
  }
}
