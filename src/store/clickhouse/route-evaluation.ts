/**
 * The prepared tables of route-groups.ts, built on the shards, each route's rules evaluated once
 * for the whole cluster: hosts run the same programs, so the shards hold mostly the same
 * combinations, and evaluating a rule's condition costs its statement's analysis (most of an
 * evaluation statement's CPU on 18.16) on every shard that evaluates it. Per route:
 * 1. every shard groups its own events into `_c` (one row per distinct combination, `h` its hash);
 * 2. every shard gathers every shard's `_c` rows through remote() into `_u`, one row per distinct
 *    combination (exact GROUP BY over every key column: the shards' equal combinations are one),
 *    and checks that their hashes are distinct (else the route is left out: a collision would join
 *    an event to another combination);
 * 3. the route's rule batches (16 rules per statement) are dealt to the shards in turn, each
 *    evaluated over `_u` into `_p` on one shard only, a refused statement split until the rule is
 *    found (left to the per-batch path); `_o`: a shard's pairs of the statements that completed;
 *    `_q`: every shard's `_o` rows of the route, gathered on every shard (remote());
 * 4. every shard keeps in `_e` its events whose hash is one of `_q`'s (an event's hash names its
 *    own combination: the hashes of `_u` are distinct).
 * A rule is prepared when its statement completed and steps 1, 2 and 4 (and the copy) did on
 * every shard. Without the shards' addresses (`remote` undefined) each shard evaluates every
 * batch over its own combinations (the per-shard evaluation of earlier versions).
 * Measured (all Windows Sigma rules over the 32-host store, 2 shards, server CPU of the statements
 * per shard from system.query_log, machine loaded by other work, same sorted alerts): evaluation
 * 10.5 -> 6.1 and 4.5 s (batches dealt in turn: by route owner, one shard had 9.6 s, the other
 * 0.7 s); presence reads as has(): grouping 7.7 -> 5.3 s, joining back 9.0 -> 6.6 s. The sharing
 * does not come from the benchmark's replicated hosts: rows are spread over the shards at random,
 * so a combination with a few events is on both; process creation over the 1-host part alone:
 * 1,280 distinct combinations on each shard, 1,280 in the union (the same at 32 hosts).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { chString } from '../../backends/clickhouse/literal.js';
import type { FieldEntry } from './field-entries.js';
import { LOCAL_EVENTS } from './schema.js';

export interface PreparedRoute {
  rt: number;
  route: string;
  /** Promoted columns and field entries (field-entries.ts) its rules read (sorted). */
  cols: string[];
  /** Conditions and shown values over those columns (entries read by their alias). */
  rules: Array<{ id: number; where: string; shown: string[] }>;
}

/** How the shards reach each other: the database and each shard's TCP address (host:port), in the clients' order. */
export interface ShardAddresses {
  db: string;
  tcp: string[];
}

/** Rules per evaluation statement (analysis grows faster than the conditions: hunt.ts). */
const EVAL_BATCH = 16;
/** Routes in flight per shard (statements of one shard overlap their round trips). */
const ROUTES_PER_SHARD = 2;

/** The table names of one hunt's prepared tables (dropped by RouteGroups.drop). */
export const PREPARED_TABLES = ['c', 'u', 'p', 'o', 'q', 'e'];

const shownArray = (values: string[]): string => `arrayPopFront([${["toNullable('')", ...values].join(', ')}])`;

/**
 * Whether every shard reads every other one through remote(): shards that cannot reach each other
 * (a firewall, other addresses inside a container) evaluate per shard, not leave every route to
 * the slower per-batch path.
 */
async function reachEachOther(shards: ClickHouseClient[], remote: ShardAddresses): Promise<boolean> {
  try {
    await Promise.all(shards.map(async (c, i) => {
      const others = remote.tcp.filter((_, j) => j !== i).map((a) => `SELECT 1 AS x FROM remote(${chString(a)}, system, one)`);
      await (await c.query({ query: `SELECT count() AS n FROM (${others.join(' UNION ALL ')})`, format: 'JSONEachRow' })).json();
    }));
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the tables of `routes` on every shard; returns the ids of the rules prepared on every
 * shard. `where`: the conditions every event read must pass (visible attempts, time).
 */
export async function prepareRoutes(shards: ClickHouseClient[], remote: ShardAddresses | undefined, id: string, routes: PreparedRoute[],
  cols: string[], entries: ReadonlyMap<string, FieldEntry>, where: string[]): Promise<Set<number>> {
  const run = async (c: ClickHouseClient, query: string): Promise<void> => { await c.command({ query }); };
  const combos = `rt UInt32, h UInt64, channel_lc String, eid Int64${cols.map((x) => `, ${x} ${entries.get(x)?.type ?? 'Nullable(String)'}`).join('')}`;
  await Promise.all(shards.map(async (c) => {
    await run(c, `CREATE TABLE ${id}_c (${combos}) ENGINE = Memory`);
    await run(c, `CREATE TABLE ${id}_u (${combos}) ENGINE = Memory`);
    await run(c, `CREATE TABLE ${id}_p (tag UInt32, rt UInt32, h UInt64, rid UInt32, shown Array(Nullable(String))) ENGINE = Memory`);
    await run(c, `CREATE TABLE ${id}_o (rt UInt32, h UInt64, rid UInt32, shown Array(Nullable(String))) ENGINE = Memory`);
    await run(c, `CREATE TABLE ${id}_q (rt UInt32, h UInt64, rid UInt32, shown Array(Nullable(String))) ENGINE = Memory`);
    await run(c, `CREATE TABLE ${id}_e (rt UInt32, h UInt64, file String, seq UInt64, record_id Nullable(Int64), timestamp Nullable(String),
      computer Nullable(String), channel String, event_id Nullable(Int64)) ENGINE = Memory`);
  }));
  const shared = !!remote && remote.tcp.length === shards.length && shards.length > 1 && (await reachEachOther(shards, remote));
  const prepared = new Set<number>();
  let tags = 0;

  /**
   * The route on the shards of `group` (all shards when shared, else one): its rule batches are
   * dealt to the group's shards in turn (a route's batches are the unit that balances the shards:
   * one route, process creation, holds a third of the rules); returns the ids prepared.
   */
  const one = async (route: PreparedRoute, group: number[]): Promise<Set<number>> => {
    const key = ['channel_lc', 'eid', ...route.cols];
    // The key columns over the events: each presence read (an entry) as its own has(f_keys, K)
    // under its alias. Measured on 18.16 (process creation route, 1.4M events, 10 presence
    // reads): one arrayFilter lambda over f_keys for all of them cost 2.1 s of CPU, ten has() 0.4 s.
    const readsKeys = route.cols.some((x) => entries.has(x));
    const keyExprs = key.map((x) => { const e = entries.get(x); return e ? `has(f_keys, ${e.key}) AS ${x}` : x; });
    const events = `${LOCAL_EVENTS} WHERE ${[...where, `(${route.route})`].join(' AND ')}`;
    const source = (extra: string[]): string => `(SELECT ${[...extra, 'channel_lc', 'eid', ...route.cols.filter((x) => !entries.has(x)),
      ...(readsKeys ? ['f_keys'] : [])].join(', ')} FROM ${events})`;
    // Non-null hash arguments: a Nullable argument makes the hash NULL (an entry's presence is never NULL).
    const hash = `cityHash64(${['channel_lc', 'eid', ...route.cols.flatMap((x) => (entries.has(x) ? [x] : [`ifNull(${x}, '')`, `isNull(${x})`]))].join(', ')})`;
    /** `table`'s rows of this route on every shard of the group, as read on shard `at`. */
    const gathered = (table: string, cols: string, at: number): string => group.map((s) => `SELECT ${cols} FROM ${s === at ? `${id}_${table}` : `remote(${chString(remote!.tcp[s])}, ${remote!.db}, ${id}_${table})`} WHERE rt = ${route.rt}`).join('\nUNION ALL\n');
    const cols = ['rt', 'h', ...key].join(', ');
    try {
      await Promise.all(group.map((s) => run(shards[s], `INSERT INTO ${id}_c (rt, h, ${key.join(', ')}) SELECT toUInt32(${route.rt}), ${hash}, ${key.join(', ')}
        FROM (SELECT ${keyExprs.join(', ')} FROM ${source([])} GROUP BY ${key.join(', ')})`)));
      const checks = await Promise.all(group.map(async (s) => {
        await run(shards[s], `INSERT INTO ${id}_u (${cols}) SELECT ${cols} FROM (${gathered('c', cols, s)}) GROUP BY ${cols}`);
        const [chk] = await (await shards[s].query({ query: `SELECT count() = uniqExact(h) AS ok FROM ${id}_u WHERE rt = ${route.rt}`, format: 'JSONEachRow' })).json<{ ok: number }>();
        return Number(chk?.ok) === 1;
      }));
      if (!checks.every(Boolean)) return new Set();
    } catch {
      return new Set();
    }
    const ok: number[] = [];
    const okTags = new Map<number, number[]>(group.map((s) => [s, []]));
    const evaluate = async (s: number, batch: PreparedRoute['rules']): Promise<void> => {
      const tag = ++tags;
      try {
        await run(shards[s], `INSERT INTO ${id}_p SELECT toUInt32(${tag}), toUInt32(${route.rt}), h, toUInt32([${batch.map((b) => b.id).join(', ')}][r + 1]),
          [${batch.map((b) => shownArray(b.shown)).join(', ')}][r + 1]
        FROM (
          SELECT h, ${key.join(', ')}, [${batch.map((b) => `ifNull((${b.where}), 0)`).join(',\n  ')}] AS hits
          FROM ${id}_u WHERE rt = ${route.rt}
        )
        ARRAY JOIN arrayFilter((i, x) -> x = 1, range(${batch.length}), hits) AS r`);
        okTags.get(s)!.push(tag);
        ok.push(...batch.map((b) => b.id));
      } catch {
        // The rows of a failed statement keep its tag and are never read; the halves run again.
        if (batch.length === 1) return;
        const half = Math.ceil(batch.length / 2);
        await evaluate(s, batch.slice(0, half));
        await evaluate(s, batch.slice(half));
      }
    };
    const batches: Array<PreparedRoute['rules']> = [];
    for (let i = 0; i < route.rules.length; i += EVAL_BATCH) batches.push(route.rules.slice(i, i + EVAL_BATCH));
    await Promise.all(group.map(async (s, k) => {
      // Batch i on the group's shard (i + rt) mod n: a route with one batch is not always on the first shard.
      for (let i = 0; i < batches.length; i++) if ((i + route.rt) % group.length === k) await evaluate(s, batches[i]);
    }));
    if (!ok.length) return new Set();
    try {
      // _o: the matches each shard evaluated; _q: every shard's, on every shard.
      await Promise.all(group.map((s) => (okTags.get(s)!.length ? run(shards[s], `INSERT INTO ${id}_o SELECT rt, h, rid, shown FROM ${id}_p WHERE rt = ${route.rt} AND tag IN (${okTags.get(s)!.join(', ')})`) : undefined)));
      await Promise.all(group.map((s) => run(shards[s], `INSERT INTO ${id}_q SELECT rt, h, rid, shown FROM (${gathered('o', 'rt, h, rid, shown', s)})`)));
      await Promise.all(group.map((s) => run(shards[s], `INSERT INTO ${id}_e SELECT toUInt32(${route.rt}), h, file, seq, record_id, timestamp, computer, channel, event_id
        FROM (SELECT file, seq, record_id, timestamp, computer, channel, event_id, ${hash} AS h
          FROM (SELECT file, seq, record_id, timestamp, computer, channel, event_id, ${keyExprs.join(', ')} FROM ${source(['file', 'seq', 'record_id', 'timestamp', 'computer', 'channel', 'event_id'])}))
        WHERE h IN (SELECT h FROM ${id}_q WHERE rt = ${route.rt})`)));
    } catch {
      // Rows this route left in _o/_q/_e are read only with its rules' ids: none are prepared.
      return new Set();
    }
    return new Set(ok);
  };

  // Work items: (route, group, owner). Shared: one per route, owners in turn; else one per route and shard.
  const all = shards.map((_, i) => i);
  const work = shared ? routes.map((r) => ({ r, group: all })) : routes.flatMap((r) => all.map((s) => ({ r, group: [s] })));
  const perRoute = new Map<number, Set<number>[]>();
  const queue = [...work];
  await Promise.all(Array.from({ length: ROUTES_PER_SHARD * shards.length }, async () => {
    for (let w = queue.shift(); w; w = queue.shift()) {
      const done = await one(w.r, w.group);
      const list = perRoute.get(w.r.rt) ?? [];
      list.push(done);
      perRoute.set(w.r.rt, list);
    }
  }));
  // Per shard (not shared): a rule is prepared when every shard prepared it.
  const need = shared ? 1 : shards.length;
  for (const sets of perRoute.values()) {
    if (sets.length !== need) continue;
    for (const x of sets[0]) if (sets.every((s) => s.has(x))) prepared.add(x);
  }
  return prepared;
}
