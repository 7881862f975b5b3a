/** Hunt over ClickHouse: the shared loop (store/hunt-loop.ts) with ClickHouse's SQL. */
import type { ClickHouseClient } from '@clickhouse/client';
import type { RuleSet } from '../../engine/rules.js';
import type { Rule } from '../../model/index.js';
import { promotedColumn } from './promoted.js';
import { chCoverSql, chPrefilterSql } from './prefilter.js';
import type { Atom } from '../../backends/duckdb/prefilter.js';
import { chRuleQuery, type Routes } from '../../backends/clickhouse/rule-query.js';
import { fieldValue, SIGMA_FIELDS } from '../../backends/clickhouse/print.js';
import { keywordOf } from '../keyword-shown.js';
import { listFieldOf } from '../list-shown.js';
import { shownValue } from './shown-value.js';
import { runHunt, type SqlDialect } from '../hunt-loop.js';
import { correlationClickhouse } from '../../backends/sql-correlation/clickhouse.js';
import type { HuntOptions, HuntSummary } from '../types.js';
import { epochMicros } from './time.js';
import { VISIBLE } from './ingest.js';
import { EVENTS, LOCAL_EVENTS } from './schema.js';
import { shardSet } from './shards.js';
import type { ShardAddresses } from './route-evaluation.js';
import { groupColumns, groupedBatchSql } from './grouped-batch.js';
import { mergeReads, noReads, type FieldReads, type MapEntryPrinter } from '../../backends/field-reads.js';
import type { ChTarget } from './client.js';
import { clickhouseElasticSql } from './elastic-sql.js';
import { chainedCorrelations } from './chained-correlations.js';
import { chRowStream } from './streamed-correlation.js';
import { prepareRouteGroups, type RouteGroups } from './route-groups.js';
import { mergeSorted, preparedShardRows, shardRows } from './batch-rows.js';

/** Fields stored with several values somewhere (the SQL reads `l_values` only for those). */
async function listFields(client: ClickHouseClient): Promise<Set<string> | 'all'> {
  try {
    const rows = await (await client.query({ query: `SELECT DISTINCT arrayJoin(l_keys) AS k FROM ${EVENTS}`, format: 'JSONEachRow' })).json<{ k: string }>();
    return new Set(rows.map((r) => r.k));
  } catch {
    return 'all';
  }
}

const micros = (t: string): number => epochMicros(t) ?? Number.NaN;

/** The (channel, EventID) pairs present: one small GROUP BY over the sort key's first columns. */
async function routes(client: ClickHouseClient): Promise<Routes | undefined> {
  try {
    const rows = await (await client.query({ query: `SELECT DISTINCT channel_lc AS c, eid AS e FROM ${EVENTS}`, format: 'JSONEachRow' })).json<{ c: string; e: number }>();
    return { channels: new Set(rows.map((r) => r.c)), pairs: new Set(rows.map((r) => `${r.c}\t${Number(r.e)}`)), eids: new Set(rows.map((r) => Number(r.e))) };
  } catch {
    return undefined;
  }
}

/**
 * A rule whose every route (channel, EventIDs) is absent from the store cannot match: it is sent
 * as the condition 0, so 18.16 does not spend its slow query analysis on it (most rules, on a
 * store holding a few channels). Rows of a route that appears during the hunt are not seen by it.
 */
/** Batch key of the rules prepared by route-groups.ts. */
const PREPARED = 'g';
/** Rules per batch of prepared rules: their statement is a join of small tables, whatever the rules. */
const PREPARED_BATCH = 32;

/**
 * `onShards`: batch statements that read each shard's local table, with their count (run on every
 * shard: chHunt); `shards`: the shards' clients, for the rules prepared per route (route-groups.ts);
 * `routeGroups`: false to evaluate every batch over its route's events (the store URL's route_groups=0).
 */
export function clickhouseDialect(client: ClickHouseClient, onShards?: Map<string, number>, shards?: ClickHouseClient[], routeGroups = true, remote?: ShardAddresses): SqlDialect & { dispose(): Promise<void>; shownOf(sql: string): string | undefined } {
  let present: Routes | undefined;
  const shapes = new Map<Rule, { route?: string; need?: Atom[] | null; reads?: FieldReads; print?: (mapEntry: MapEntryPrinter) => string }>();
  let groups: RouteGroups | undefined;
  // Correlations read the committed rows only, like every other hunt query.
  const print = { table: `(SELECT * FROM ${EVENTS} WHERE ${VISIBLE})`, fieldValue };
  // One thread per correlation query: a correlation over many rules is a UNION ALL of one scan per
  // rule, and with a stream per thread each open at once 18.16 passed the per-query memory limit
  // (the correlation over the 100+ security rules in test/store/clickhouse/correlation.test.ts).
  // A prepared batch's statement, its shown values' statement (the same rules: the same texts).
  const preparedShown = new Map<string, string>();
  const correlations = chainedCorrelations(async (sql) => (await client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: { max_threads: 1 } })).json<Row>(), print,
    chRowStream(client));
  return {
    prepare: async (ready, time) => {
      if (!shards?.length || !onShards || !routeGroups) return;
      groups = await prepareRouteGroups(shards, ready.map((b) => { const x = shapes.get(b.rule); return { ...b, route: x?.route ?? '1', reads: x?.reads, print: x?.print }; }), time, remote);
    },
    dispose: async () => { await groups?.drop(); },
    shownOf: (sql) => preparedShown.get(sql),
    batchLimit: (key) => (key === PREPARED ? PREPARED_BATCH : undefined),
    table: EVENTS,
    listFields: async () => {
      present = await routes(client);
      return listFields(client);
    },
    ruleWhere: (rule, lists) => {
      const q = chRuleQuery(rule, { listFields: lists, routes: present });
      if ('where' in q) shapes.set(rule, { route: q.route, need: q.need, reads: q.reads, print: q.print });
      return q;
    },
    // `ts` (whole seconds, in the sort key) prunes; `ts_us` decides.
    timeAtLeast: (t) => {
      const us = micros(t);
      return Number.isFinite(us) ? `ts >= toDateTime(${Math.floor(us / 1e6)}) AND ifNull(ts_us >= ${us}, 0)` : '0';
    },
    timeBefore: (t) => {
      const us = micros(t);
      return Number.isFinite(us) ? `ts < toDateTime(${Math.ceil(us / 1e6)}) AND ifNull(ts_us < ${us}, 0)` : '0';
    },
    // A leading typed element makes the array Array(Nullable(String)) even with no field.
    shownValues: (fields) => `arrayPopFront([${["toNullable('')", ...fields.map((f) => shownValue(f))].join(', ')}])`,
    batchSql: (batch, time) => {
      let sql: string;
      if (groups && batch.every((b) => groups!.has(b.rule))) {
        sql = groups.batchSql(batch.map((b) => b.rule));
        preparedShown.set(sql, groups.shownSql(batch.map((b) => b.rule)));
      } else {
        sql = batchQuery(batch.map((b) => ({ where: b.where, ...shapes.get(b.rule), shownFields: b.shown })), time, onShards ? LOCAL_EVENTS : EVENTS);
      }
      onShards?.set(sql, (onShards.get(sql) ?? 0) + 1);
      return sql;
    },
    // Rules that need literals apart from those that do not (a batch's prefilter needs all of its
    // rules' literals), then by route (a batch reads the granules of fewer routes), then keyword
    // rules (reading all_values, the largest column) apart: in one batch, a keyword rule's literals
    // made the others' prefilter pass where it does, and theirs made all_values read where they do
    // (process creation, 32 hosts: NotPetya with two rules reading GrandParentImage); inside a key,
    // rules needing the same literals side by side; prepared rules by route.
    batchKey: (rule) => {
      if (groups?.has(rule)) return PREPARED;
      const x = shapes.get(rule);
      return `${x?.need ? 'p' : 'o'}\t${x?.route ?? ''}\t${x?.reads?.columns.has(SIGMA_FIELDS.allValues!) ? 'k' : ''}`;
    },
    batchOrder: (rule) => {
      const rt = groups?.routeOf(rule);
      if (rt !== undefined) return String(rt).padStart(10, '0');
      return (shapes.get(rule)?.need ?? []).map((a) => `${a.column}\u0000${a.literal}`).sort().join('\u0001');
    },
    // Measured on 18.16 (loaded 2-core machine): analysing one statement grows faster than its
    // conditions (64 rules 5-6 s, 16 rules 0.8 s, 1 rule 0.1-0.3 s), so batches are small and
    // several are in flight (each shard analyses and scans on its own cores).
    batchSize: 16,
    concurrency: 4,
    elastic: clickhouseElasticSql(client),
    correlationQuery: (rule, bases, all, opts) => correlationClickhouse(rule, bases, all, { ...opts, ...print }),
    correlationRows: correlations,
  };
}

/**
 * The whole batch in one scan: a SELECT per rule costs a distributed query each (about 150 ms on
 * this loaded 2-core machine, whatever the data), so the batch's conditions are evaluated together
 * into `hits` (one 0/1 per rule) and ARRAY JOIN turns each hit into a row with its rule index (a
 * row without a hit has an empty array: ARRAY JOIN drops it). WHERE holds the rules' routes only
 * (the sort key, channel_lc and eid, skips the other granules): 18.16 evaluates every argument of
 * AND and OR on every row, so the conditions in WHERE too would be analysed and computed twice
 * (measured: a quarter of the server's CPU), and, when every rule of the batch needs literals,
 * their prefilter (prefilter.ts). The shown values are read after ARRAY JOIN, on the
 * hits alone. Only rows of completed ingest attempts are read (VISIBLE, ingest.ts).
 * On a shard's local table, a batch whose rules read only promoted columns runs once per distinct
 * combination of their values (grouped-batch.ts): all Windows Sigma rules over the 1 GiB EVTX on
 * 2 shards (loaded machine), server CPU 36.8 + 36.6 -> 33.7 + 33.5 s; over the same events on
 * 32 host names (12.1M) 345 + 333 -> 248 + 243 s; same alerts. Rules that route-groups.ts
 * prepared do not come here: their batch statement is a join of the prepared tables.
 * On a shard, a batch whose keyword literals have a small cover (literal-cover.ts) reads them
 * through PREWHERE first (all Windows Sigma rules, 32-host store, loaded machine, per shard: the
 * Mimikatz keyword statement over every event 7.2 -> 5.1 s of CPU; with keyword rules batched
 * apart (batchKey) the process-creation per-event statements 2.8-3.1 -> 1.6-1.7 s; same alerts).
 */
function batchQuery(rules: Array<{ where: string; route?: string; need?: Atom[] | null; reads?: FieldReads; shownFields: string[] }>, time: string[], table: string): string {
  const live = rules.filter((r) => r.where !== '0');
  const routes = live.some((r) => r.route === undefined) ? [] : [...new Set(live.map((r) => r.route!))];
  const filter = !live.length ? ['0'] : routes.length ? [`(${routes.join('\n OR ')})`] : [];
  const need = live.length && live.every((r) => r.need) ? live.flatMap((r) => r.need!) : null;
  if (need) filter.push(chPrefilterSql(need));
  const shown = rules.map((r) => `arrayPopFront([${["toNullable('')", ...r.shownFields.map((f) => shownValue(f))].join(', ')}])`);
  const columns = new Set(['f_keys', 'f_values']);
  for (const r of rules) for (const f of r.shownFields) for (const c of shownColumns(f)) columns.add(c);
  const select = `r, file, seq, record_id, timestamp, computer, channel, event_id, [${shown.join(', ')}][r + 1] AS shown`;
  const grouped = table === LOCAL_EVENTS && live.length && rules.every((r) => r.reads) ? groupColumns(mergeReads(rules.map((r) => r.reads!))) : null;
  if (grouped) {
    // The events side reads only what the alert rows show (the arrays only for a field without a column).
    const shownCols = rules.flatMap((r) => r.shownFields.flatMap(shownColumns));
    const read = ['file', 'seq', 'record_id', 'timestamp', 'computer', 'channel', 'event_id', ...shownCols];
    return groupedBatchSql({ hits: rules.map((r) => r.where), where: [VISIBLE, ...time, ...filter], columns: grouped, select, read, table });
  }
  // A shard's MergeTree table: the keyword literals' cover first (prefilter.ts), the rest on the rows that pass.
  const prewhere = need && table === LOCAL_EVENTS ? chCoverSql(need) : null;
  return `SELECT ${select}
FROM (
  SELECT file, seq, record_id, timestamp, computer, channel, event_id, ${[...columns].join(', ')}, [${rules.map((r) => `ifNull((${r.where}), 0)`).join(',\n  ')}] AS hits
  FROM ${table}${prewhere ? `\n  PREWHERE ${prewhere}` : ''}
  WHERE ${[VISIBLE, ...time, ...filter].join(' AND ')}
)
ARRAY JOIN arrayFilter((i, h) -> h = 1, range(${rules.length}), hits) AS r
ORDER BY r, file, seq`;
}

/** The columns a shown value reads: its promoted column, else the value arrays; a keyword's test (keyword-shown.ts) or a list field's text (list-shown.ts): what the printer reports. */
function shownColumns(field: string): string[] {
  if (keywordOf(field) === undefined && listFieldOf(field) === undefined) {
    const c = promotedColumn(field);
    return c ? [c] : ['f_keys', 'f_values'];
  }
  const reads = noReads();
  shownValue(field, { reads });
  return [...reads.columns, ...[...reads.entries.values()].flatMap((e) => [e.map, e.map === 'l_values' || e.map === 'l_keys' ? 'l_keys' : 'f_keys'])];
}

type Row = Record<string, unknown>;

const rowsOf = async (c: ClickHouseClient, sql: string): Promise<Row[]> => (await c.query({ query: sql, format: 'JSONEachRow' })).json<Row>();

/**
 * Batch statements run on every shard's local table at once when the shards can be reached
 * (shards.ts), their rows merged in the statement's order; every other statement (the store's
 * facts, correlations, Elastic rules) goes through the Distributed table.
 */
export async function chHunt(client: ClickHouseClient, target: ChTarget, rules: RuleSet, opts: HuntOptions): Promise<HuntSummary> {
  const set = await shardSet(client, target);
  const shards = set?.clients;
  const onShards = shards ? new Map<string, number>() : undefined;
  const take = (sql: string): boolean => {
    const n = onShards?.get(sql) ?? 0;
    if (n > 1) onShards!.set(sql, n - 1);
    else onShards?.delete(sql);
    return n > 0;
  };
  // Each route's rules evaluated once for the cluster (route-evaluation.ts) unless the URL says per shard.
  const remote = set && target.sharedEvaluation !== false ? { db: target.db, tcp: set.tcp } : undefined;
  const dialect = clickhouseDialect(client, onShards, shards, target.routeGroups ?? true, remote);
  try {
    return await runHunt(dialect, async (sql) => {
      if (!shards || !take(sql)) return rowsOf(client, sql);
      const shown = dialect.shownOf(sql);
      return mergeSorted(await Promise.all(shards.map((c) => (shown ? preparedShardRows(c, sql, shown) : shardRows(c, sql)))));
    }, rules, opts);
  } finally {
    await dialect.dispose();
    await Promise.all((shards ?? []).map((c) => c.close()));
  }
}
