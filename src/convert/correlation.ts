/**
 * A Sigma correlation rule converted to SQL: one query returning its alerts, over the WHERE of
 * each rule it reads. Those rules must be among the rules converted with it (the same files or
 * folders); a name that matches none, or a rule that does not print, makes it not convertible.
 */
import type { Rule } from '../model/index.js';
import { ruleKeys } from '../engine/correlation.js';
import { ruleQuery } from '../backends/duckdb/rule-query.js';
import type { BaseWhere } from '../backends/sql-correlation/plan.js';
import { correlationDuckdb, type CorrelationSql } from '../backends/sql-correlation/duckdb.js';

/** The DuckDB query (ClickHouse: backends/sql-correlation/clickhouse.ts, given that backend's WHEREs). */
export function convertCorrelation(rule: Rule, all: Rule[]): { text: string } | { reason: string } {
  const sigma = all.filter((r) => r.vendor === 'sigma');
  const correlations = sigma.filter((r) => r.type === 'correlation');
  const known = new Set(sigma.flatMap(ruleKeys));
  const missing = new Set<string>();
  const visit = (c: Rule, seen: Set<Rule>): void => {
    if (seen.has(c)) return;
    seen.add(c);
    for (const k of c.correlation!.rules) {
      if (!known.has(k)) missing.add(k);
      for (const inner of correlations) if (ruleKeys(inner).includes(k)) visit(inner, seen);
    }
  };
  visit(rule, new Set());
  if (missing.size) return { reason: `reads rules not among those converted: ${[...missing].join(', ')}` };
  const bases: BaseWhere[] = [];
  const unprintable = new Map<Rule, string>();
  for (const r of sigma) {
    if (r.type !== 'detection') continue;
    const q = ruleQuery(r);
    if ('skip' in q) unprintable.set(r, `${q.skip}: ${q.message}`);
    else bases.push({ rule: r, where: q.where });
  }
  const q: CorrelationSql = correlationDuckdb(rule, bases, correlations, { unprintable });
  return 'skip' in q ? { reason: `${q.skip}: ${q.message}` } : { text: q.sql + ';' };
}
