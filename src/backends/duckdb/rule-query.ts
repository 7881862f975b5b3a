/**
 * One rule as a WHERE over the event table: each logsource variant (engine/plan.ts: channel,
 * EventIDs, the source's field mapping) routed by the fixed columns, then its detection.
 */
import type { Rule } from '../../model/index.js';
import { ANY, planRule } from '../../engine/plan.js';
import { printDuckdb, type SqlPrintOptions } from './print.js';
import { SqlPrintError } from './errors.js';
import { sqlString } from './literal.js';

export type RuleQuery = { where: string } | { skip: string; message: string };

export function ruleQuery(rule: Rule, opts: SqlPrintOptions = {}): RuleQuery {
  if (rule.aggregations?.length) return { skip: 'not-convertible', message: 'the rule aggregates events (STATS ... BY): its group conditions are not run here' };
  const plan = planRule(rule);
  if ('skip' in plan) return plan;
  try {
    const parts = plan.variants.map((v) => {
      const route: string[] = [];
      if (v.channel !== ANY) route.push(`channel_lc = ${sqlString(v.channel)}`);
      if (v.eventIds) route.push(v.eventIds.length ? `event_id IN (${v.eventIds.join(', ')})` : 'FALSE');
      return `(${[...route, printDuckdb(v.detection, opts)].join(' AND ')})`;
    });
    return { where: parts.join('\n OR ') };
  } catch (e) {
    if (e instanceof SqlPrintError) return { skip: 'not-convertible', message: `${e.construct}: ${e.message}` };
    throw e;
  }
}
