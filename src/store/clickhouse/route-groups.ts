/**
 * Every rule of a route evaluated once per hunt on each shard, over the distinct combinations of
 * the values its rules read, instead of once per batch over the route's events (grouped-batch.ts
 * re-reads and re-groups the route for every 16 rules: at 32 hosts the process-creation route
 * was read 2 x 88 times per hunt). Per shard, in Memory tables named after the hunt (dropped at
 * its end), for each route (`rt`: its number) whose rules read only the route and promoted columns:
 * 1. `_c`: the route's events grouped by those columns (exact GROUP BY), each combination with
 *    `h`, a hash of its values; a route whose combinations do not all have distinct hashes is left
 *    out (a collision would join an event to another combination);
 * 2. `_p`: each rule's condition computed per combination, 16 rules per statement (the statements'
 *    analysis is most of their cost: grouped-batch.ts), the (combination, rule, shown values) pairs
 *    that hold; a statement the server refuses is split until the rule is found, which is left to
 *    the per-batch path (and reported there); `_q`: the pairs of statements that completed;
 * 3. `_e`: the route's events whose hash is one of a matched combination's, with the alert's columns.
 * An alert batch then joins `_e` and `_q` by (rt, h): the same (rule, event) pairs as evaluating
 * every event (an event's hash names its own combination: hashes are distinct among the route's
 * combinations, and steps 1 and 3 read the same rows: the ingest attempts visible when the hunt
 * began, as a list, not the VISIBLE subquery that a concurrent ingest could change in between).
 * Measured (all Windows Sigma rules, 2 shards, loaded 2-core machine, same alerts): 2 hosts shards
 * CPU 28.0 + 27.6 -> 15.5 + 15.6 s; 32 hosts (12.1M events) 248 + 243 (earlier, loaded) -> 55 + 54 s.
 * A rule that reads the field arrays only to know whether the event has a field
 * (`has(f_keys, 'K')`: an empty CommandLine told from an absent one) is grouped with those reads
 * as key columns (field-entries.ts), each a has(f_keys, K) of its own (route-evaluation.ts). All
 * Windows Sigma rules over the 32-host store, 2 shards, machine otherwise idle: per-event
 * statements 32 -> 19 s of each shard's CPU, grouping and joining back 8 -> 16 s, shards 59 -> 53 s,
 * hunt wall 117 -> 72 s (the long per-event statements at the end had left a core idle), same
 * sorted alerts. Grouping the value reads too (`f_values[indexOf(f_keys, 'K')]`) cost more than
 * it saved (shards 60 s: f_values read twice for every event of the route).
 * Rules reading the arrays otherwise, lists or all_values stay per event: grouping them too (those
 * columns in the key, their routes apart) cost more at 32 hosts (shards 62-64 s): their
 * combinations are nearly one per event, and a rule with no route grouped every event.
 */
import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Rule } from '../../model/index.js';
import { shownValue } from './shown-value.js';
import { mergeReads, noReads, type FieldReads, type MapEntryPrinter } from '../../backends/field-reads.js';
import { groupColumns } from './grouped-batch.js';
import { FieldEntries, type FieldEntry } from './field-entries.js';
import { FILES } from './schema.js';
import { prepareRoutes, PREPARED_TABLES, type PreparedRoute, type ShardAddresses } from './route-evaluation.js';

export interface RouteRule {
  rule: Rule;
  where: string;
  /** The rule's route condition (rule-query.ts); '1' for a rule that reads every event. */
  route: string;
  shown: string[];
  /** What `where` reads and `where` printed again with a hook (rule-query.ts); a rule without them is not prepared. */
  reads?: FieldReads;
  print?: (mapEntry: MapEntryPrinter) => string;
}

/** Visible ingest attempts listed in the statements; more: the hunt runs per batch instead. */
const MAX_ATTEMPTS = 100_000;

/** The prepared rules and the statement of a batch of them. */
export class RouteGroups {
  /** `rt`: each prepared rule's route number (its events are the `_e` rows of that rt). */
  constructor(readonly id: string, private readonly shards: ClickHouseClient[], private readonly rid: ReadonlyMap<Rule, number>,
    private readonly rt: ReadonlyMap<Rule, number> = new Map()) {}

  /** The rule's route number (rules of one route side by side in a batch read fewer `_e` rows). */
  routeOf(rule: Rule): number | undefined {
    return this.rt.get(rule);
  }

  has(rule: Rule): boolean {
    return this.rid.has(rule);
  }

  get size(): number {
    return this.rid.size;
  }

  /**
   * Alert rows of prepared rules (r = index in `rules`, h = the combination's hash, then the
   * event), in the per-batch statement's order, on one shard's tables; the shown values of each
   * (r, h) come once from shownSql (batch-rows.ts), not on every alert row.
   */
  batchSql(rules: Rule[]): string {
    const ids = rules.map((r) => this.rid.get(r)!).join(', ');
    // Only the batch's routes' events go through the join (measured: the whole of _e, 675k rows at
    // 32 hosts, was read for each of the ~80 batches).
    const rts = [...new Set(rules.map((r) => this.rt.get(r)))];
    const events = rts.every((x) => x !== undefined) ? `(SELECT rt, h, file, seq, record_id, timestamp, computer, channel, event_id FROM ${this.id}_e WHERE rt IN (${rts.join(', ')}))` : `${this.id}_e`;
    return `SELECT r, h, file, seq, record_id, timestamp, computer, channel, event_id
FROM ${events} ALL INNER JOIN (
  SELECT rt, h, toUInt32(indexOf([${ids}], rid) - 1) AS r FROM ${this.id}_q WHERE rid IN (${ids})
) USING (rt, h)
ORDER BY r, file, seq`;
  }

  /** The shown values of each (r, h) of batchSql's rows: r, h, shown. */
  shownSql(rules: Rule[]): string {
    const ids = rules.map((r) => this.rid.get(r)!).join(', ');
    return `SELECT toUInt32(indexOf([${ids}], rid) - 1) AS r, h, shown FROM ${this.id}_q WHERE rid IN (${ids})`;
  }

  async drop(): Promise<void> {
    await Promise.all(this.shards.flatMap((c) => PREPARED_TABLES.map((t) => c.command({ query: `DROP TABLE IF EXISTS ${this.id}_${t}` }).catch(() => {}))));
  }
}

/**
 * The rules that can be prepared (they read only route and promoted columns and presence reads,
 * as the printer reported: rule-query.ts), by route, printed over the grouped columns (a presence
 * read as its entry's alias); `ruleOf`: each prepared rule by its index in `rules`.
 */
export function routeRules(rules: RouteRule[]): { routes: PreparedRoute[]; ruleOf: Map<number, Rule>; entries: Map<string, FieldEntry> } {
  const byRoute = new Map<string, PreparedRoute>();
  const ruleOf = new Map<number, Rule>();
  const entries = new FieldEntries();
  rules.forEach((r, id) => {
    if (r.where === '0' || !r.reads || !r.print) return;
    // What the rule reads, as the printer told: its condition's reads and its shown values'.
    const shownReads = noReads();
    for (const f of r.shown) shownValue(f, { reads: shownReads });
    const cols = groupColumns(mergeReads([r.reads, shownReads]), true);
    if (!cols) return;
    // Printed again, each presence read as its entry's column.
    const used = new Set<string>();
    const entry = entries.printer(used);
    const where = r.print(entry);
    const shown = r.shown.map((f) => shownValue(f, { mapEntry: entry }));
    let route = byRoute.get(r.route);
    if (!route) byRoute.set(r.route, (route = { rt: byRoute.size, route: r.route, cols: [], rules: [] }));
    route.cols = [...new Set([...route.cols, ...cols, ...used])].sort();
    route.rules.push({ id, where, shown });
    ruleOf.set(id, r.rule);
  });
  return { routes: [...byRoute.values()], ruleOf, entries: entries.byAlias() };
}

/**
 * Prepares the rules that can be (routeRules), on every shard; undefined when none can. A rule is
 * prepared when it is on every shard.
 */
export async function prepareRouteGroups(shards: ClickHouseClient[], rules: RouteRule[], time: string[], remote?: ShardAddresses): Promise<RouteGroups | undefined> {
  const { routes, ruleOf, entries: entryOf } = routeRules(rules);
  if (!routes.length || !shards.length) return undefined;
  const attempts = await (await shards[0].query({ query: `SELECT toString(min(attempt)) AS a FROM ${FILES} GROUP BY hash`, format: 'JSONEachRow' })).json<{ a: string }>();
  if (attempts.length > MAX_ATTEMPTS) return undefined;
  const visible = attempts.length ? `attempt IN (${attempts.map((x) => String(BigInt(x.a))) /* text: a JSON number loses UInt64 digits */.join(', ')})` : '0';
  const id = `hunt_${randomBytes(6).toString('hex')}`;
  const cols = [...new Set(routes.flatMap((r) => r.cols))].sort();
  const groups = new RouteGroups(id, shards, new Map());
  try {
    const done = await prepareRoutes(shards, remote, id, routes, cols, entryOf, [visible, ...time]);
    const rid = new Map<Rule, number>();
    for (const [x, rule] of ruleOf) if (done.has(x)) rid.set(rule, x);
    const rt = new Map<Rule, number>();
    for (const r of routes) for (const { id: x } of r.rules) if (done.has(x)) rt.set(ruleOf.get(x)!, r.rt);
    if (!rid.size) {
      await groups.drop();
      return undefined;
    }
    return new RouteGroups(id, shards, rid, rt);
  } catch (e) {
    await groups.drop();
    throw e;
  }
}
