/**
 * One rule as a WHERE over the ClickHouse event table: each logsource variant (engine/plan.ts)
 * routed by the sort-key columns (channel_lc, eid: event_id with -1 for none), then its detection.
 */
import type { Rule } from '../../model/index.js';
import { ANY, planRule } from '../../engine/plan.js';
import { SqlPrintError } from '../duckdb/errors.js';
import type { RuleQuery } from '../duckdb/rule-query.js';
import { printClickhouse, type ChPrintOptions } from './print.js';
import { chString } from './literal.js';

export function chRuleQuery(rule: Rule, opts: ChPrintOptions = {}): RuleQuery {
  const plan = planRule(rule);
  if ('skip' in plan) return plan;
  try {
    const parts = plan.variants.map((v) => {
      const route: string[] = [];
      if (v.channel !== ANY) route.push(`channel_lc = ${chString(v.channel)}`);
      if (v.eventIds) route.push(v.eventIds.length ? `eid IN (${v.eventIds.join(', ')})` : '0');
      return `(${[...route, printClickhouse(v.detection, opts)].join(' AND ')})`;
    });
    return { where: parts.join('\n OR ') };
  } catch (e) {
    if (e instanceof SqlPrintError) return { skip: 'not-convertible', message: `${e.construct}: ${e.message}` };
    throw e;
  }
}
