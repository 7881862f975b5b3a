/**
 * The reads of a field without a column of its own (backends/clickhouse/print.ts: whether the
 * event has it, `has(f_keys, 'K')`, and its value, `f_values[indexOf(f_keys, 'K')]`) as columns
 * of their own, so that a rule reading them can still run once per distinct combination of the
 * values it reads (route-groups.ts), as DuckDB groups its map entries (store/duckdb/batch-sql.ts).
 * Measured (all Windows Sigma rules over the 32-host store, 2 shards): the per-event statements
 * were 32 of each shard's 59 s of CPU, most of it process-creation rules that read f_keys only to
 * tell an empty CommandLine from an absent one. route-groups.ts takes the presence reads only:
 * see there.
 * The reads are those the printer reports as it prints (backends/field-reads.ts), printed through
 * a hook as their alias: the SQL text is never read back.
 */
import type { MapEntry, MapEntryPrinter } from '../../backends/field-reads.js';
import { chString } from '../../backends/clickhouse/literal.js';
import { isPresence } from './grouped-batch.js';

/** A presence read of f_keys (the only reads route-groups.ts groups by: see there). */
export interface FieldEntry {
  /** The printed read (exact text), computed over the event table. */
  expr: string;
  /** Its column name in the grouped tables. */
  alias: string;
  type: 'UInt8';
  /** The field name's literal (`has(f_keys, key)`). */
  key: string;
}

/** The entries of one hunt's grouped tables: each distinct read gets one alias (x_N), shared by the statements that read the same tables. */
export class FieldEntries {
  private readonly byRead = new Map<string, FieldEntry>();

  /**
   * A hook printing each presence read of f_keys as its entry's alias (the entry made on first
   * use), any other read as it is; `used` collects the aliases printed.
   */
  printer(used: Set<string>): MapEntryPrinter {
    return (e: MapEntry) => {
      if (!isPresence(e)) return e.sql;
      let x = this.byRead.get(e.sql);
      if (!x) this.byRead.set(e.sql, (x = { expr: e.sql, alias: `x_${this.byRead.size}`, type: 'UInt8', key: chString(e.key) }));
      used.add(x.alias);
      return x.alias;
    };
  }

  /** The entries by alias. */
  byAlias(): Map<string, FieldEntry> {
    return new Map([...this.byRead.values()].map((e) => [e.alias, e]));
  }
}
