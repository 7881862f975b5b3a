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
 * as key columns (field-entries.ts), all of a route's from one pass over f_keys per event. All
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
import { printFieldValue } from '../../backends/clickhouse/print.js';
import { mergeReads, noReads, type FieldReads, type MapEntryPrinter } from '../../backends/field-reads.js';
import { groupColumns } from './grouped-batch.js';
import { FieldEntries, type FieldEntry } from './field-entries.js';
import { FILES, LOCAL_EVENTS } from './schema.js';

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

/** Rules per evaluation statement (analysis grows faster than the conditions: hunt.ts). */
const EVAL_BATCH = 16;
/** Visible ingest attempts listed in the statements; more: the hunt runs per batch instead. */
const MAX_ATTEMPTS = 100_000;
/** Routes prepared at once on one shard (statements of one shard overlap their round trips). */
const ROUTES_IN_FLIGHT = 2;

const shownArray = (values: string[]): string => `arrayPopFront([${["toNullable('')", ...values].join(', ')}])`;

/** The prepared rules and the statement of a batch of them. */
export class RouteGroups {
  constructor(readonly id: string, private readonly shards: ClickHouseClient[], private readonly rid: ReadonlyMap<Rule, number>) {}

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
    return `SELECT r, h, file, seq, record_id, timestamp, computer, channel, event_id
FROM ${this.id}_e ALL INNER JOIN (
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
    await Promise.all(this.shards.flatMap((c) => ['c', 'p', 'q', 'e'].map((t) => c.command({ query: `DROP TABLE IF EXISTS ${this.id}_${t}` }).catch(() => {}))));
  }
}

export interface Route {
  rt: number;
  route: string;
  /** Promoted columns and field entries (field-entries.ts) its rules read (sorted). */
  cols: string[];
  /** Conditions and shown values over those columns (entries read by their alias). */
  rules: Array<{ id: number; where: string; shown: string[] }>;
}

/**
 * The rules that can be prepared (they read only route and promoted columns and presence reads,
 * as the printer reported: rule-query.ts), by route, printed over the grouped columns (a presence
 * read as its entry's alias); `ruleOf`: each prepared rule by its index in `rules`.
 */
export function routeRules(rules: RouteRule[]): { routes: Route[]; ruleOf: Map<number, Rule>; entries: Map<string, FieldEntry> } {
  const byRoute = new Map<string, Route>();
  const ruleOf = new Map<number, Rule>();
  const entries = new FieldEntries();
  rules.forEach((r, id) => {
    if (r.where === '0' || !r.reads || !r.print) return;
    // What the rule reads, as the printer told: its condition's reads and its shown values'.
    const shownReads = noReads();
    for (const f of r.shown) printFieldValue(f, { reads: shownReads });
    const cols = groupColumns(mergeReads([r.reads, shownReads]), true);
    if (!cols) return;
    // Printed again, each presence read as its entry's column.
    const used = new Set<string>();
    const entry = entries.printer(used);
    const where = r.print(entry);
    const shown = r.shown.map((f) => printFieldValue(f, { mapEntry: entry }));
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
export async function prepareRouteGroups(shards: ClickHouseClient[], rules: RouteRule[], time: string[]): Promise<RouteGroups | undefined> {
  const { routes, ruleOf, entries: entryOf } = routeRules(rules);
  if (!routes.length || !shards.length) return undefined;
  const attempts = await (await shards[0].query({ query: `SELECT toString(min(attempt)) AS a FROM ${FILES} GROUP BY hash`, format: 'JSONEachRow' })).json<{ a: string }>();
  if (attempts.length > MAX_ATTEMPTS) return undefined;
  const visible = attempts.length ? `attempt IN (${attempts.map((x) => String(BigInt(x.a))) /* text: a JSON number loses UInt64 digits */.join(', ')})` : '0';
  const id = `hunt_${randomBytes(6).toString('hex')}`;
  const cols = [...new Set(routes.flatMap((r) => r.cols))].sort();
  const groups = new RouteGroups(id, shards, new Map());
  try {
    const done = await Promise.all(shards.map((c) => prepareShard(c, id, routes, cols, entryOf, [visible, ...time])));
    const rid = new Map<Rule, number>();
    for (const [x, rule] of ruleOf) if (done.every((d) => d.has(x))) rid.set(rule, x);
    if (!rid.size) {
      await groups.drop();
      return undefined;
    }
    return new RouteGroups(id, shards, rid);
  } catch (e) {
    await groups.drop();
    throw e;
  }
}

/** The tables on one shard; returns the ids of the rules prepared there. */
async function prepareShard(c: ClickHouseClient, id: string, routes: Route[], cols: string[], entries: ReadonlyMap<string, FieldEntry>, where: string[]): Promise<Set<number>> {
  const run = async (query: string): Promise<void> => { await c.command({ query }); };
  await run(`CREATE TABLE ${id}_c (rt UInt32, h UInt64, channel_lc String, eid Int64${cols.map((x) => `, ${x} ${entries.get(x)?.type ?? 'Nullable(String)'}`).join('')}) ENGINE = Memory`);
  await run(`CREATE TABLE ${id}_p (tag UInt32, rt UInt32, h UInt64, rid UInt32, shown Array(Nullable(String))) ENGINE = Memory`);
  await run(`CREATE TABLE ${id}_q (rt UInt32, h UInt64, rid UInt32, shown Array(Nullable(String))) ENGINE = Memory`);
  await run(`CREATE TABLE ${id}_e (rt UInt32, h UInt64, file String, seq UInt64, record_id Nullable(Int64), timestamp Nullable(String),
    computer Nullable(String), channel String, event_id Nullable(Int64)) ENGINE = Memory`);
  const prepared = new Set<number>();
  let tags = 0;
  const one = async (route: Route): Promise<void> => {
    const key = ['channel_lc', 'eid', ...route.cols];
    // The key columns over the events: an entry computed under its alias. The presence reads scan
    // f_keys once per event for all of them (xk: the keys among theirs the event has), not once each.
    const own = route.cols.map((x) => entries.get(x));
    const present = [...new Set(own.flatMap((e) => (e?.key ? [e.key] : [])))];
    const keyExprs = key.map((x) => { const e = entries.get(x); return !e ? x : e.key ? `has(xk, ${e.key}) AS ${x}` : `${e.expr} AS ${x}`; });
    const source = (extra: string[]): string => `(SELECT ${[...extra, 'channel_lc', 'eid', ...route.cols.filter((x) => !entries.has(x)),
      ...(own.some((e) => e && !e.key) ? ['f_keys', 'f_values'] : []), ...(present.length ? [`arrayFilter(k -> has([${present.join(', ')}], k), f_keys) AS xk`] : [])].join(', ')} FROM ${events})`;
    // Non-null hash arguments: a Nullable argument makes the hash NULL (an entry's presence is never NULL).
    const hash = `cityHash64(${['channel_lc', 'eid', ...route.cols.flatMap((x) => (entries.get(x)?.type === 'UInt8' ? [x] : [`ifNull(${x}, '')`, `isNull(${x})`]))].join(', ')})`;
    const events = `${LOCAL_EVENTS} WHERE ${[...where, `(${route.route})`].join(' AND ')}`;
    try {
      await run(`INSERT INTO ${id}_c (rt, h, ${key.join(', ')}) SELECT toUInt32(${route.rt}), ${hash}, ${key.join(', ')}
        FROM (SELECT ${keyExprs.join(', ')} FROM ${source([])} GROUP BY ${key.join(', ')})`);
      const [chk] = await (await c.query({ query: `SELECT count() = uniqExact(h) AS ok FROM ${id}_c WHERE rt = ${route.rt}`, format: 'JSONEachRow' })).json<{ ok: number }>();
      if (Number(chk?.ok) !== 1) return;
    } catch {
      return;
    }
    const okTags: number[] = [];
    const ok: number[] = [];
    const evaluate = async (batch: Route['rules']): Promise<void> => {
      const tag = ++tags;
      try {
        await run(`INSERT INTO ${id}_p SELECT toUInt32(${tag}), toUInt32(${route.rt}), h, toUInt32([${batch.map((b) => b.id).join(', ')}][r + 1]),
          [${batch.map((b) => shownArray(b.shown)).join(', ')}][r + 1]
        FROM (
          SELECT h, ${key.join(', ')}, [${batch.map((b) => `ifNull((${b.where}), 0)`).join(',\n  ')}] AS hits
          FROM ${id}_c WHERE rt = ${route.rt}
        )
        ARRAY JOIN arrayFilter((i, x) -> x = 1, range(${batch.length}), hits) AS r`);
        okTags.push(tag);
        ok.push(...batch.map((b) => b.id));
      } catch {
        // The rows of a failed statement keep its tag and are never read; the halves run again.
        if (batch.length === 1) return;
        const half = Math.ceil(batch.length / 2);
        await evaluate(batch.slice(0, half));
        await evaluate(batch.slice(half));
      }
    };
    for (let i = 0; i < route.rules.length; i += EVAL_BATCH) await evaluate(route.rules.slice(i, i + EVAL_BATCH));
    if (!ok.length) return;
    try {
      await run(`INSERT INTO ${id}_q SELECT rt, h, rid, shown FROM ${id}_p WHERE rt = ${route.rt} AND tag IN (${okTags.join(', ')})`);
      await run(`INSERT INTO ${id}_e SELECT toUInt32(${route.rt}), h, file, seq, record_id, timestamp, computer, channel, event_id
        FROM (SELECT file, seq, record_id, timestamp, computer, channel, event_id, ${hash} AS h
          FROM (SELECT file, seq, record_id, timestamp, computer, channel, event_id, ${keyExprs.join(', ')} FROM ${source(['file', 'seq', 'record_id', 'timestamp', 'computer', 'channel', 'event_id'])}))
        WHERE h IN (SELECT h FROM ${id}_q WHERE rt = ${route.rt})`);
    } catch {
      // Rows this route left in _q/_e are read only with its rules' ids: none are prepared.
      return;
    }
    for (const x of ok) prepared.add(x);
  };
  const queue = [...routes];
  await Promise.all(Array.from({ length: ROUTES_IN_FLIGHT }, async () => {
    for (let r = queue.shift(); r; r = queue.shift()) await one(r);
  }));
  return prepared;
}
