/**
 * The event store's tables on ClickHouse, created on every shard (no ON CLUSTER: it needs
 * ZooKeeper). Same content as the DuckDB schema (store/duckdb/schema.ts); 18.16 has no Map, so
 * the single-valued fields are two parallel arrays (f_keys, f_values) and the list fields two
 * more (l_keys, l_values). The sort key puts the routing columns first: a rule reads only the
 * granules of its channel and EventIDs (eid = event_id, -1 for none: a sort key cannot be
 * Nullable), then host and time. `events` and `files` are Distributed tables over the shards'
 * `*_local` tables.
 *
 * Each ingest attempt of a file has its own `attempt` id; a file is done when its `files` row
 * (with that id) exists, and hunts read only events whose attempt is in `files` (see ingest.ts).
 */
import { PROMOTED_FIELDS } from '../duckdb/promoted-fields.js';

export const EVENTS = 'events';
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
      ${PROMOTED_FIELDS.map((f) => `f_${f} Nullable(String)`).join(', ')}
    ) ENGINE = MergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (channel_lc, eid, host, ts)`,
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

/** Database names are identifiers we print unquoted: letters, digits, underscore. */
export function validDbName(db: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(db);
}
