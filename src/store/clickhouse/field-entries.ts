/**
 * The reads of a field without a column of its own (backends/clickhouse/print.ts: whether the
 * event has it, `has(f_keys, 'K')`, and its value, `f_values[indexOf(f_keys, 'K')]`) as columns
 * of their own, so that a rule reading them can still run once per distinct combination of the
 * values it reads (route-groups.ts), as DuckDB groups its map entries (store/duckdb/batch-sql.ts).
 * Measured (all Windows Sigma rules over the 32-host store, 2 shards): the per-event statements
 * were 32 of each shard's 59 s of CPU, most of it process-creation rules that read f_keys only to
 * tell an empty CommandLine from an absent one. route-groups.ts takes the presence reads only
 * (`values` false): see there.
 * The SQL is scanned token by token: text inside string literals is never taken for a read.
 */

export interface FieldEntry {
  /** The printed read (exact text), computed over the event table. */
  expr: string;
  /** Its column name in the grouped tables. */
  alias: string;
  type: 'UInt8' | 'Nullable(String)';
  /** The field name's literal, for a presence read (`has(f_keys, key)`). */
  key?: string;
}

/** A ClickHouse string literal (chString: backslash escapes), at the sticky position. */
const LITERAL = /'(?:[^'\\]|\\[\s\S])*'/y;
const READ = /has\(f_keys, ('(?:[^'\\]|\\[\s\S])*')\)|f_values\[indexOf\(f_keys, ('(?:[^'\\]|\\[\s\S])*')\)\]/y;

/**
 * `sql` with every field read (`values` false: presence reads only) replaced by its entry's alias
 * (entries added to `known`, shared by the statements that read the same tables), and the
 * aliases it uses.
 */
export function withEntries(sql: string, known: Map<string, FieldEntry>, values = true): { sql: string; used: string[] } {
  let out = '';
  const used = new Set<string>();
  let i = 0;
  let from = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      LITERAL.lastIndex = i;
      if (!LITERAL.exec(sql)) break; // unterminated: left as it is (the server refuses it)
      i = LITERAL.lastIndex;
      continue;
    }
    if (ch === 'h' || ch === 'f') {
      READ.lastIndex = i;
      const m = READ.exec(sql);
      // Only at a word's start: `xhas(f_keys, ...)` is another function.
      if (m && (values || m[1] !== undefined) && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]))) {
        let e = known.get(m[0]);
        if (!e) known.set(m[0], (e = m[1] !== undefined ? { expr: m[0], alias: `x_${known.size}`, type: 'UInt8', key: m[1] } : { expr: m[0], alias: `x_${known.size}`, type: 'Nullable(String)' }));
        used.add(e.alias);
        out += sql.slice(from, i) + e.alias;
        i = READ.lastIndex;
        from = i;
        continue;
      }
    }
    i++;
  }
  return { sql: out + sql.slice(from), used: [...used] };
}
