/**
 * One rule as a WHERE over the ClickHouse event table: each logsource variant (engine/plan.ts)
 * routed by the sort-key columns (channel_lc, eid: event_id with -1 for none), then its detection.
 */
import type { Rule } from '../../model/index.js';
import { ANY, planRule } from '../../engine/plan.js';
import { SqlPrintError } from '../duckdb/errors.js';
import type { RuleQuery } from '../duckdb/rule-query.js';
import { necessaryLiterals, type Atom } from '../duckdb/prefilter.js';
import { printClickhouse, SIGMA_FIELDS, type ChPrintOptions } from './print.js';
import { chString } from './literal.js';

/** The (channel, EventID) pairs a store holds: a variant routed elsewhere cannot match there. */
export interface Routes {
  channels: ReadonlySet<string>;
  /** `${channel_lc}\t${eid}` */
  pairs: ReadonlySet<string>;
  eids: ReadonlySet<number>;
}

function reachable(channel: string, eventIds: number[] | undefined, r: Routes): boolean {
  if (channel !== ANY && !r.channels.has(channel)) return false;
  if (!eventIds) return true;
  return eventIds.some((id) => (channel === ANY ? r.eids.has(id) : r.pairs.has(`${channel}\t${id}`)));
}

/**
 * The rule's WHERE, and `route`: the OR of its variants' route conditions alone (a necessary
 * condition of the WHERE; absent when a variant reads every event), and `need`: literals one of
 * which every event the rule matches contains (backends/duckdb/prefilter.ts, read through
 * lowerUTF8 as this printer reads them; null when none is known).
 */
export function chRuleQuery(rule: Rule, opts: ChPrintOptions & { routes?: Routes } = {}): RuleQuery & { route?: string; need?: Atom[] | null } {
  const plan = planRule(rule);
  if ('skip' in plan) return plan;
  try {
    // Exact, not a guess: the route columns are part of every variant's condition.
    const variants = opts.routes ? plan.variants.filter((v) => reachable(v.channel, v.eventIds, opts.routes!)) : plan.variants;
    if (!variants.length) return { where: '0', route: '0', need: [] };
    const routes: string[][] = [];
    const lists = opts.listFields ?? 'all';
    const src = { ...(opts.source ?? SIGMA_FIELDS), lowered: (c: string) => `lowerUTF8(${c})` };
    let need: Atom[] | null = [];
    const parts = variants.map((v) => {
      const route: string[] = [];
      if (v.channel !== ANY) route.push(`channel_lc = ${chString(v.channel)}`);
      if (v.eventIds) route.push(v.eventIds.length ? `eid IN (${v.eventIds.join(', ')})` : '0');
      routes.push(route);
      const n = need && necessaryLiterals(v.detection, src, (f) => lists === 'all' || lists.has(f));
      need = n ? [...need!, ...n] : null;
      return `(${[...route, printClickhouse(v.detection, opts)].join(' AND ')})`;
    });
    const where = parts.join('\n OR ');
    return { where, need, ...(routes.some((r) => !r.length) ? {} : { route: routes.map((r) => `(${r.join(' AND ')})`).join(' OR ') }) };
  } catch (e) {
    if (e instanceof SqlPrintError) return { skip: 'not-convertible', message: `${e.construct}: ${e.message}` };
    throw e;
  }
}
