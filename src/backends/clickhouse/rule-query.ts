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
import { noReads, type FieldReads, type MapEntryPrinter } from '../field-reads.js';

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

/** A printed rule and what it reads. */
export interface ChRuleWhere {
  where: string;
  route?: string;
  need: Atom[] | null;
  /** What `where` reads (backends/field-reads.ts): the route columns, and what the printer told. */
  reads: FieldReads;
  /** `where` printed again with each single field read printed by `mapEntry` (e.g. a column computed once per event). */
  print(mapEntry: MapEntryPrinter): string;
}

/**
 * The rule's WHERE, and `route`: the OR of its variants' route conditions alone (a necessary
 * condition of the WHERE; absent when a variant reads every event), `need`: literals one of
 * which every event the rule matches contains (backends/duckdb/prefilter.ts, read through
 * lowerUTF8 as this printer reads them; null when none is known), and what it reads.
 */
export function chRuleQuery(rule: Rule, opts: ChPrintOptions & { routes?: Routes } = {}): Exclude<RuleQuery, { where: string }> | ChRuleWhere {
  const plan = planRule(rule);
  if ('skip' in plan) return plan;
  try {
    // Exact, not a guess: the route columns are part of every variant's condition.
    const variants = opts.routes ? plan.variants.filter((v) => reachable(v.channel, v.eventIds, opts.routes!)) : plan.variants;
    if (!variants.length) return { where: '0', route: '0', need: [], reads: noReads(), print: () => '0' };
    const routes: string[][] = [];
    const lists = opts.listFields ?? 'all';
    const src = { ...(opts.source ?? SIGMA_FIELDS), lowered: (c: string) => `lowerUTF8(${c})` };
    let need: Atom[] | null = [];
    const reads = noReads();
    const parts = variants.map((v) => {
      const route: string[] = [];
      if (v.channel !== ANY) route.push(`channel_lc = ${chString(v.channel)}`);
      if (v.eventIds) route.push(v.eventIds.length ? `eid IN (${v.eventIds.join(', ')})` : '0');
      routes.push(route);
      if (v.channel !== ANY) reads.columns.add('channel_lc');
      if (v.eventIds?.length) reads.columns.add('eid');
      const n = need && necessaryLiterals(v.detection, src, (f) => lists === 'all' || lists.has(f));
      need = n ? [...need!, ...n] : null;
      return printClickhouse(v.detection, { ...opts, reads });
    });
    const whereOf = (detections: string[]): string => detections.map((d, i) => `(${[...routes[i], d].join(' AND ')})`).join('\n OR ');
    const where = whereOf(parts);
    const print = (mapEntry: MapEntryPrinter): string => whereOf(variants.map((v) => printClickhouse(v.detection, { ...opts, reads: noReads(), mapEntry })));
    return { where, need, reads, print, ...(routes.some((r) => !r.length) ? {} : { route: routes.map((r) => `(${r.join(' AND ')})`).join(' OR ') }) };
  } catch (e) {
    if (e instanceof SqlPrintError) return { skip: 'not-convertible', message: `${e.construct}: ${e.message}` };
    throw e;
  }
}
