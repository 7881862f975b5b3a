/**
 * One rule as a WHERE over the event table: each logsource variant (engine/plan.ts: channel,
 * EventIDs, the source's field mapping) routed by the fixed columns, then its detection.
 */
import type { Rule } from '../../model/index.js';
import { ANY, planRule } from '../../engine/plan.js';
import { printDuckdb, SIGMA_FIELDS, type SqlPrintOptions } from './print.js';
import { necessaryLiterals, type Atom, type AtomCost } from './prefilter.js';
import { SqlPrintError } from './errors.js';
import { sqlString } from './literal.js';
import { noReads, type FieldReads, type MapEntryPrinter } from '../field-reads.js';

export type RuleQuery = { where: string } | { skip: string; message: string };

/** One logsource variant: its route over the fixed columns ('' = every event) and its detection. */
export interface RouteVariant {
  route: string;
  detection: string;
  channel: string;
  eventIds?: number[];
  /** Literals one of which every event the detection matches contains (prefilter.ts); null: none known. */
  need?: Atom[] | null;
  /** What `detection` reads, as the printer told (field-reads.ts). */
  reads: FieldReads;
  /** The detection printed again with each map entry printed by `mapEntry` (e.g. a column computed once per event). */
  print(mapEntry: MapEntryPrinter): string;
}

/** The columns a route reads (as printed in ruleVariants). */
export function routeColumns(v: Pick<RouteVariant, 'channel' | 'eventIds'>): string[] {
  return [...(v.channel !== ANY ? ['channel_lc'] : []), ...(v.eventIds?.length ? ['event_id'] : [])];
}

/** A rule's variants as one condition: each variant's route and detection (printed by `detection`). */
export function variantsWhere(vs: RouteVariant[], detection: (v: RouteVariant) => string = (v) => v.detection): string {
  return vs.map((v) => `(${[v.route, detection(v)].filter(Boolean).join(' AND ')})`).join('\n OR ');
}

/** `cost`: how the rule's filter literals are chosen (prefilter.ts); only speed depends on it. */
export function ruleVariants(rule: Rule, opts: SqlPrintOptions = {}, cost?: AtomCost): { variants: RouteVariant[] } | { skip: string; message: string } {
  if (rule.aggregations?.length) return { skip: 'not-convertible', message: 'the rule aggregates events (STATS ... BY): its group conditions are not run here' };
  const plan = planRule(rule);
  if ('skip' in plan) return plan;
  try {
    return {
      variants: plan.variants.map((v) => {
        const route: string[] = [];
        if (v.channel !== ANY) route.push(`channel_lc = ${sqlString(v.channel)}`);
        if (v.eventIds) route.push(v.eventIds.length ? `event_id IN (${v.eventIds.join(', ')})` : 'FALSE');
        const reads = noReads();
        const detection = printDuckdb(v.detection, { ...opts, reads });
        const print = (mapEntry: MapEntryPrinter): string => printDuckdb(v.detection, { ...opts, mapEntry });
        const lists = opts.listFields ?? 'all';
        const need = necessaryLiterals(v.detection, opts.source ?? SIGMA_FIELDS, (f) => lists === 'all' || lists.has(f), cost);
        return { route: route.join(' AND '), detection, channel: v.channel, eventIds: v.eventIds, need, reads, print };
      }),
    };
  } catch (e) {
    if (e instanceof SqlPrintError) return { skip: 'not-convertible', message: `${e.construct}: ${e.message}` };
    throw e;
  }
}

export function ruleQuery(rule: Rule, opts: SqlPrintOptions = {}): RuleQuery {
  const r = ruleVariants(rule, opts);
  if ('skip' in r) return r;
  return { where: variantsWhere(r.variants) };
}

/** No event can take two of these routes (so a rule split by route alerts once per event). */
export function disjointRoutes(vs: RouteVariant[]): boolean {
  for (let i = 0; i < vs.length; i++) {
    for (let j = i + 1; j < vs.length; j++) {
      const a = vs[i];
      const b = vs[j];
      const channels = a.channel !== ANY && b.channel !== ANY && a.channel !== b.channel;
      const ids = a.eventIds !== undefined && b.eventIds !== undefined && !a.eventIds.some((x) => b.eventIds!.includes(x));
      if (!channels && !ids) return false;
    }
  }
  return true;
}
