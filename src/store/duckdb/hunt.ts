/** Hunt over DuckDB: the shared loop (store/hunt-loop.ts) with DuckDB's SQL. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RuleSet } from '../../engine/rules.js';
import type { Rule } from '../../model/index.js';
import { ruleVariants, variantsWhere, type RouteVariant } from '../../backends/duckdb/rule-query.js';
import type { Atom } from '../../backends/duckdb/prefilter.js';
import { BATCH, batchSql, literalOrder, routeKey, searchesAllValues } from './batch-sql.js';
import { sqlString } from '../../backends/duckdb/literal.js';
import { promotedColumn } from './promoted-fields.js';
import { keywordOf } from '../keyword-shown.js';
import { listFieldOf } from '../list-shown.js';
import { listShownSql } from './shown-sql.js';
import { printKeywordFound } from '../../backends/duckdb/print.js';
import { boundMemory } from './memory-limit.js';
import { spreadEventTexts, streamBatchRows } from './batch-rows.js';
import { runHunt, type SqlDialect } from '../hunt-loop.js';
import { duckdbElasticSql } from './elastic-sql.js';
import { sampleFrequency, type LiteralFrequency } from './literal-sample.js';
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

/** `dedup: false` evaluates every event, never once per distinct combination (to measure what the grouping gains). */
export function duckdbDialect(conn: DuckDBConnection, opts: { dedup?: boolean } = {}): SqlDialect {
  const variants = new Map<Rule, RouteVariant[]>();
  // Literal frequencies, sampled with the list fields (before any rule is printed).
  let freq: LiteralFrequency = () => 0;
  const passRate = (atoms: Atom[]): number => atoms.reduce((n, a) => n + freq(a), 0);
  const shownValue = (f: string): string => {
    const k = keywordOf(f);
    if (k !== undefined) return printKeywordFound(k);
    if (listFieldOf(f) !== undefined) return listShownSql(f);
    return promotedColumn(f) ?? `fields[${sqlString(f)}]`;
  };
  // The batch key of a rule searching all values of every event, if any (batch-sql.ts searchesAllValues): keyword rules join its batch.
  let wholeKey: string | undefined;
  const joinsWhole = (rule: Rule): boolean => wholeKey !== undefined && searchesAllValues(variants.get(rule) ?? []);
  const shownValues = (fields: string[]): string => `[${fields.map(shownValue).join(', ')}]::VARCHAR[]`;
  return {
    table: 'events',
    batchSize: BATCH,
    listFields: async () => {
      freq = await sampleFrequency(conn);
      return listFields(conn);
    },
    ruleWhere: (rule, lists) => {
      const r = ruleVariants(rule, { listFields: lists }, passRate);
      if ('skip' in r) return r;
      variants.set(rule, r.variants);
      return { where: variantsWhere(r.variants) };
    },
    prepare: async (ready) => {
      const anyRoute = ready.map((b) => variants.get(b.rule) ?? []).find((vs) => searchesAllValues(vs) && vs.some((v) => v.route === ''));
      wholeKey = anyRoute && routeKey(anyRoute);
    },
    batchKey: (rule) => (joinsWhole(rule) ? wholeKey! : routeKey(variants.get(rule) ?? [])),
    batchOrder: (rule) => literalOrder(variants.get(rule) ?? []),
    batchSql: (batch, time) => batchSql(batch.map((b) => ({ ...b, variants: variants.get(b.rule) ?? [], whole: joinsWhole(b.rule) })), time, shownValue, freq, opts.dedup !== false),
    timeAtLeast: (t) => `ts >= TRY_CAST(${sqlString(t)} AS TIMESTAMP)`,
    timeBefore: (t) => `ts < TRY_CAST(${sqlString(t)} AS TIMESTAMP)`,
    // A promoted field's column, not the map: reading the map for the shown values alone costs more than the rule.
    shownValues,
    elastic: duckdbElasticSql(conn),
    async stream(sql, onRows) {
      // A batch joins its hits back to the route's events (batch-sql.ts distinctJoin) with the hits
      // written as the build side; DuckDB's estimate of an unnested list is far off and would build
      // on the wide events side instead (32 hosts: 18.9 s of CPU against 17.2 s for the largest batch).
      await conn.run(`SET disabled_optimizers = 'build_side_probe_side'`).catch(() => undefined);
      try {
        await streamBatchRows(await conn.stream(sql), onRows);
      } finally {
        await conn.run('RESET disabled_optimizers').catch(() => undefined);
      }
    },
    correlationQuery: (rule, bases, correlations, opts) => correlationDuckdb(rule, bases, correlations, { ...opts, table: 'events' }),
  };
}

/**
 * DuckDB's memory limit while hunting a store on disk; past it, sorts, joins and groupings spill
 * to the store's temporary directory. All Windows Sigma rules over the 32-host benchmark store
 * (12M events): 7.0-7.2 GB peak RSS with DuckDB's default (80% of RAM), 3.7 GB with 3 GiB
 * (2.6 GB with 2 GiB, no statement refused either way), same alerts.
 */
export const HUNT_MEMORY_BYTES = 3 * 1024 ** 3;

export async function hunt(conn: DuckDBConnection, rules: RuleSet, opts: HuntOptions): Promise<HuntSummary> {
  await boundMemory(conn, HUNT_MEMORY_BYTES);
  return runHunt(duckdbDialect(conn), async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson().map(spreadEventTexts), rules, opts);
}
