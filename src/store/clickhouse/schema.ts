/**
 * The event store's tables on ClickHouse, created on every shard (no ON CLUSTER: it needs
 * ZooKeeper). Same content as the DuckDB schema (store/duckdb/schema.ts); 18.16 has no Map, so
 * the single-valued fields are two parallel arrays (f_keys, f_values) and the list fields two
 * more (l_keys, l_values). The sort key puts the routing columns first: a rule reads only the
 * granules of its channel and EventIDs (eid = event_id, -1 for none: a sort key cannot be
 * Nullable), then host and time. Partitions are years, not months: parts never merge across
 * partitions, and every part costs each hunt statement its own pass (on the 2018-2021 sample
 * logs, monthly partitions left ~60 parts per shard and the hunt spent 92 s of server CPU, yearly
 * ones 54 s). `events` and `files` are Distributed tables over the shards'
 * `*_local` tables.
 *
 * Each ingest attempt of a file has its own `attempt` id; a file is done when its `files` row
 * (with that id) exists, and hunts read only events whose attempt is in `files` (see ingest.ts).
 *
 * The ECS columns (ECS_COLUMNS, last) hold the event's ECS document for the Elastic rules, as
 * DuckDB's `ecs*` columns do (store/ecs-row.ts): its single values as parallel arrays (ecs_keys,
 * ecs_values: never NULL inside, Nullable so that an absent key reads NULL), its multi-valued
 * fields (ecs_lkeys, ecs_lvalues), the fields that were numbers or booleans (ecs_typed), what
 * decides which rules see it (ecs_index, ecs_os), and the order `scan` reads events in
 * (ingest_run, file_no, then seq). No ECS field has its own column (DuckDB promotes some): the
 * candidate query returns ecs_keys/ecs_values of its rows, so every granule it reads reads them
 * anyway, and each column is more files per part (a part per file inserted). A store created before
 * them has none of these columns: its events ingest without them and Elastic rules are skipped.
 */
import { PROMOTED_FIELDS } from '../duckdb/promoted-fields.js';

/** The ECS part of an event row (has_ecs = 0: the event was ingested without it). */
export const ECS_COLUMNS: ReadonlyArray<[string, string]> = [
  ['has_ecs', 'UInt8'],
  ['ingest_run', 'Int64'],
  ['file_no', 'UInt32'],
  ['ecs_keys', 'Array(String)'],
  ['ecs_values', 'Array(Nullable(String))'],
  ['ecs_lkeys', 'Array(String)'],
  ['ecs_lvalues', 'Array(Array(String))'],
  ['ecs_typed', 'Array(String)'],
  ['ecs_index', 'Nullable(String)'],
  ['ecs_os', 'Nullable(String)'],
];

/** A column of ECS_COLUMNS whose presence tells a store that holds them. */
export const ECS_MARKER = 'has_ecs';

export const EVENTS = 'events';
/** Each shard's own part of `events`. */
export const LOCAL_EVENTS = 'events_local';
export const FILES = 'files';

export function localDdl(db: string): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    `CREATE TABLE IF NOT EXISTS ${db}.events_local (
      file String, file_hash String, attempt UInt64, seq UInt64,
      record_id Nullable(Int64), timestamp Nullable(String), ts DateTime, ts_us Nullable(Int64),
      computer Nullable(String), host String, channel String, channel_lc String,
      event_id Nullable(Int64), eid Int64, provider Nullable(String),
      f_keys Array(String), f_values Array(Nullable(String)),
      l_keys Array(String), l_values Array(Array(String)),
      all_values String,
      ${PROMOTED_FIELDS.map((f) => `f_${f} Nullable(String)`).join(', ')},
      ${ECS_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')}
    ) ENGINE = MergeTree() PARTITION BY toYear(ts) ORDER BY (channel_lc, eid, host, ts)`,
    `CREATE TABLE IF NOT EXISTS ${db}.files_local (
      hash String, path String, attempt UInt64, events UInt64, problems UInt64, ingested_at DateTime
    ) ENGINE = MergeTree() ORDER BY hash`,
  ];
}

/** The Distributed tables over every shard's local tables (rows spread at random). */
export function distributedDdl(db: string, cluster: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.${EVENTS} AS ${db}.events_local ENGINE = Distributed(${cluster}, ${db}, events_local, rand())`,
    `CREATE TABLE IF NOT EXISTS ${db}.${FILES} AS ${db}.files_local ENGINE = Distributed(${cluster}, ${db}, files_local, rand())`,
  ];
}

/**
 * A shard's own HTTP port, as a view (no data): hunt reads it through the cluster's TCP addresses
 * to query every shard's local table directly (store/clickhouse/shards.ts). Written anew at every
 * start: a cluster folder copied and started on other ports kept the first cluster's ports, and
 * its hunts then ran their batches on that other cluster's shards.
 */
export const SHARD_HTTP = 'shard_http';

export function shardHttpDdl(db: string, httpPort: number): string[] {
  return [`DROP TABLE IF EXISTS ${db}.${SHARD_HTTP}`, `CREATE VIEW ${db}.${SHARD_HTTP} AS SELECT toUInt16(${Math.trunc(httpPort)}) AS http_port`];
}

/** Database names are identifiers we print unquoted: letters, digits, underscore. */
export function validDbName(db: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(db);
}
