/** Hunt over DuckDB: the shared loop (store/hunt-loop.ts) with DuckDB's SQL. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RuleSet } from '../../engine/rules.js';
import { ruleQuery } from '../../backends/duckdb/rule-query.js';
import { sqlString } from '../../backends/duckdb/literal.js';
import { runHunt, type SqlDialect } from '../hunt-loop.js';
import { correlationDuckdb } from '../../backends/sql-correlation/duckdb.js';
import type { HuntOptions, HuntSummary } from '../types.js';

/** Fields stored with several values somewhere (the SQL reads `lists` only for those). */
export async function listFields(conn: DuckDBConnection): Promise<Set<string> | 'all'> {
  try {
    const r = await conn.runAndReadAll('SELECT DISTINCT unnest(map_keys(lists)) AS k FROM events');
    return new Set(r.getRowObjectsJson().map((row) => String(row.k)));
  } catch {
    // The store refuses even this: every rule then reports the store's own error.
    return 'all';
  }
}

export function duckdbDialect(conn: DuckDBConnection): SqlDialect {
  return {
    table: 'events',
    listFields: () => listFields(conn),
    ruleWhere: (rule, lists) => ruleQuery(rule, { listFields: lists }),
    timeAtLeast: (t) => `ts >= TRY_CAST(${sqlString(t)} AS TIMESTAMP)`,
    timeBefore: (t) => `ts < TRY_CAST(${sqlString(t)} AS TIMESTAMP)`,
    shownValues: (fields) => `[${fields.map((f) => `fields[${sqlString(f)}]`).join(', ')}]::VARCHAR[]`,
    correlationQuery: (rule, bases, correlations, opts) => correlationDuckdb(rule, bases, correlations, { ...opts, table: 'events' }),
  };
}

export function hunt(conn: DuckDBConnection, rules: RuleSet, opts: HuntOptions): Promise<HuntSummary> {
  return runHunt(duckdbDialect(conn), async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>, rules, opts);
}
