/**
 * The event store's tables (DuckDB). Fixed columns route and filter (channel, EventID, host,
 * time); the heterogeneous Windows fields sit in a MAP: one map lookup per tested field costs
 * less than hundreds of sparse columns, and the schema does not change per provider. Fields with
 * several values (unnamed <Data> lists) go to `lists`; `all_values` holds every value case-folded
 * and joined by U+001F for keyword searches; the most tested fields also have their own column
 * (promoted-fields.ts). The ECS columns (store/ecs-row.ts) hold the event's ECS document for the
 * Elastic rules: `ecs` its single values, `ecs_lists` its multi-valued fields, `ecs_typed` the
 * fields that were numbers or booleans, `ecs_index`/`ecs_os` what decides which rules see it, and the most tested
 * ECS fields have their own column too (store/ecs-promoted-fields.ts); they
 * come last so that a store made before them gains them by ALTER (its older events keep NULL there:
 * Elastic rules do not see them; ingest them into a new store). `files` records each file ingested (by content hash)
 * in the same transaction as its events: a file is done exactly when its events are in.
 */
import { LOWERED_FIELDS, PROMOTED_FIELDS } from './promoted-fields.js';
import { ECS_PROMOTED_FIELDS, ecsPromotedColumn } from '../ecs-promoted-fields.js';

/** The ECS part of an event (additive: last in the table, NULL for events ingested before it). */
export const ECS_COLUMNS: ReadonlyArray<[string, string]> = [
  ['ecs', 'MAP(VARCHAR, VARCHAR)'],
  ['ecs_lists', 'MAP(VARCHAR, VARCHAR[])'],
  ['ecs_typed', 'VARCHAR[]'],
  ['ecs_index', 'VARCHAR'],
  ['ecs_os', 'VARCHAR'],
  ...ECS_PROMOTED_FIELDS.map((f): [string, string] => [ecsPromotedColumn(f)!, 'VARCHAR']),
];

export const EVENT_TABLE_DDL = [
  `CREATE TABLE IF NOT EXISTS events (
    file VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    seq BIGINT NOT NULL,
    record_id BIGINT,
    timestamp VARCHAR,
    ts TIMESTAMP,
    computer VARCHAR,
    host VARCHAR,
    channel VARCHAR,
    channel_lc VARCHAR,
    event_id BIGINT,
    provider VARCHAR,
    fields MAP(VARCHAR, VARCHAR),
    lists MAP(VARCHAR, VARCHAR[]),
    all_values VARCHAR,
    ${PROMOTED_FIELDS.map((f) => `"f_${f}" VARCHAR`).join(',\n    ')},
    ${LOWERED_FIELDS.map((f) => `"l_${f}" VARCHAR`).join(',\n    ')},
    ${ECS_COLUMNS.map(([c, t]) => `${c} ${t}`).join(',\n    ')}
  )`,
  ...ECS_COLUMNS.map(([c, t]) => `ALTER TABLE events ADD COLUMN IF NOT EXISTS ${c} ${t}`),
  `CREATE TABLE IF NOT EXISTS files (
    hash VARCHAR PRIMARY KEY,
    path VARCHAR NOT NULL,
    events BIGINT NOT NULL,
    problems BIGINT NOT NULL,
    ingested_at TIMESTAMP NOT NULL
  )`,
];

/**
 * The order rows are written in (each file's rows at ingest): rules route by channel and EventID,
 * so sorted rows let DuckDB skip whole row groups by their min/max (zone maps).
 */
export const EVENT_ORDER = 'channel_lc, event_id';

/** Rows go through a staging table of plain text columns; maps are built by a cast on insert. */
export const STAGING_DDL = `CREATE TEMP TABLE IF NOT EXISTS staging (
  seq BIGINT, record_id BIGINT, timestamp VARCHAR, computer VARCHAR, channel VARCHAR, channel_lc VARCHAR,
  event_id BIGINT, provider VARCHAR, fields_json VARCHAR, lists_json VARCHAR, all_values VARCHAR,
  ecs_json VARCHAR, ecs_lists_json VARCHAR, ecs_typed_json VARCHAR, ecs_index VARCHAR, ecs_os VARCHAR,
  ${ECS_PROMOTED_FIELDS.map((f) => `${ecsPromotedColumn(f)} VARCHAR`).join(', ')}
)`;

export const STAGING_COLUMNS = 16 + ECS_PROMOTED_FIELDS.length;
