/**
 * Correlations on ClickHouse as the hunt runs them: a correlation that reads other correlations
 * (chained) runs in two steps, those first (each once per hunt), their alert rows then given to its
 * query as hits (backends/sql-correlation/clickhouse.ts `chained`): 18.16 has no CTE that a query
 * could read twice, and the array form of one correlation is already a deep stack of subqueries.
 * A cycle, a chain deeper than MAX_CHAIN, or a correlation read that is skipped skips the reader.
 */
import type { Rule } from '../../model/index.js';
import { planCorrelation, type BaseWhere } from '../../backends/sql-correlation/plan.js';
import { correlationClickhouse, correlationHitsClickhouse, streamsHits, type ChCorrelationOptions } from '../../backends/sql-correlation/clickhouse.js';
import type { CorrelationSqlOptions } from '../../backends/sql-correlation/duckdb.js';
import { streamedCorrelation, type RowStream } from './streamed-correlation.js';

/** Most correlations a chain may nest (rules are untrusted), as the DuckDB form. */
const MAX_CHAIN = 16;

type Rows = Array<Record<string, unknown>>;
export type CorrelationOutcome = { rows: Rows } | { skip: string; message: string };

/**
 * A runner for one hunt: remembers each correlation's outcome (a chain's inner rules run once).
 * The kinds streamsHits names run from their sorted hits through `stream` (streamed-correlation.ts).
 */
export function chainedCorrelations(run: (sql: string) => Promise<Rows>, print: Pick<ChCorrelationOptions, 'table' | 'fieldValue'>, stream: RowStream) {
  const done = new Map<Rule, CorrelationOutcome>();
  const active = new Set<Rule>();
  const one = async (rule: Rule, bases: BaseWhere[], correlations: Rule[], opts: CorrelationSqlOptions): Promise<CorrelationOutcome> => {
    const known = done.get(rule);
    if (known) return known;
    if (active.has(rule)) return { skip: 'correlation-cycle', message: `correlation '${rule.title}' is part of a cycle of correlations` };
    if (active.size >= MAX_CHAIN) return { skip: 'correlation-chain-too-deep', message: `correlations nested deeper than ${MAX_CHAIN}` };
    active.add(rule);
    try {
      const chained = new Map<Rule, Rows>();
      const p = planCorrelation(rule, bases, correlations, opts.unprintable);
      if (!('skip' in p)) {
        for (const s of p.plan.sources) {
          if (s.kind !== 'correlation' || chained.has(s.rule)) continue;
          const inner = await one(s.rule, bases, correlations, opts);
          if ('skip' in inner) return inner;
          chained.set(s.rule, inner.rows);
        }
      }
      let out: CorrelationOutcome;
      if (streamsHits(rule)) {
        const q = correlationHitsClickhouse(rule, bases, correlations, { ...print, ...opts, chained });
        out = 'skip' in q ? q : { rows: await streamedCorrelation(q.plan, q.sql, stream) };
      } else {
        const q = correlationClickhouse(rule, bases, correlations, { ...print, ...opts, chained });
        out = 'skip' in q ? q : { rows: await run(q.sql) };
      }
      done.set(rule, out);
      return out;
    } finally {
      active.delete(rule);
    }
  };
  return one;
}
