/**
 * Correlation rules in a hunt: each printed by the dialect as one query returning its alerts
 * (backends/sql-correlation), run, and its rows turned into the alerts scan raises. A correlation
 * the dialect cannot print, or the database refuses, is reported; the others still run.
 */
import type { Rule } from '../model/index.js';
import { LEVEL_ORDER } from '../engine/alert.js';
import { correlationAlert } from '../backends/sql-correlation/alert-row.js';
import type { BaseWhere } from '../backends/sql-correlation/plan.js';
import type { HuntOptions, HuntSummary } from './types.js';
import type { QueryRunner, SqlDialect } from './hunt-loop.js';

export interface CorrelationInputs {
  /** Every detection that printed as SQL (suppressed or below --min-level included: correlations read them). */
  bases: BaseWhere[];
  /** Detections the dialect could not print, with the reason. */
  unprintable: Map<Rule, string>;
  /** --since / --until as conditions on base hits. */
  timeWhere: string[];
}

export async function huntCorrelations(dialect: SqlDialect, query: QueryRunner, correlations: Rule[], inputs: CorrelationInputs, opts: HuntOptions, s: HuntSummary,
  skip: (rule: Rule, reason: string, message: string) => void): Promise<void> {
  const minLevel = opts.minLevel ? LEVEL_ORDER[opts.minLevel] : undefined;
  for (const c of correlations) {
    const copts = { timeWhere: inputs.timeWhere, unprintable: inputs.unprintable };
    let rows: Array<Record<string, unknown>>;
    try {
      if (dialect.correlationRows) {
        const r = await dialect.correlationRows(c, inputs.bases, correlations, copts);
        if ('skip' in r) {
          skip(c, r.skip, r.message);
          continue;
        }
        rows = r.rows;
      } else if (dialect.correlationQuery) {
        const q = dialect.correlationQuery(c, inputs.bases, correlations, copts);
        if ('skip' in q) {
          skip(c, q.skip, q.message);
          continue;
        }
        rows = await query(q.sql);
      } else {
        skip(c, 'correlation-not-supported', `the ${dialect.table} store does not run correlation rules as SQL`);
        continue;
      }
    } catch (e) {
      skip(c, 'sql-error', (e as Error).message.split('\n')[0]);
      continue;
    }
    s.rules_run++;
    if (minLevel !== undefined && (LEVEL_ORDER[c.level ?? 'medium'] ?? 2) < minLevel) continue;
    for (const row of rows) {
      s.alerts++;
      opts.onAlert(correlationAlert(c, row));
    }
  }
}
