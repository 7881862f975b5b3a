/**
 * The ClickHouse side of Elastic rules in hunt (store/elastic-hunt.ts): facts, candidate SQL, row
 * streaming, as store/duckdb/elastic-sql.ts does on DuckDB. A store created before the ECS columns
 * (schema.ts) runs no Elastic rule: it says why.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { chElasticWhere } from '../../backends/clickhouse/elastic-query.js';
import type { EcsFacts, EcsRow, ElasticSql } from '../elastic-hunt.js';
import { hasEcsColumns, VISIBLE } from './ingest.js';
import { EVENTS } from './schema.js';

const NO_ECS = 'this ClickHouse store was created before it kept ECS documents (no ECS columns): start a new cluster and ingest the events there to run Elastic rules';

/** Rows of the statement: the rule's index and the event read back. */
interface Row {
  r: number;
  file: string;
  record_id: number | string | null;
  timestamp: string | null;
  ecs_keys: string[];
  ecs_values: Array<string | null>;
  ecs_lkeys: string[];
  ecs_lvalues: string[][];
  ecs_typed: string[];
}

async function rows<T>(client: ClickHouseClient, sql: string): Promise<T[]> {
  return (await client.query({ query: sql, format: 'JSONEachRow' })).json<T>();
}

async function keySet(client: ClickHouseClient, column: string): Promise<Set<string> | 'all'> {
  try {
    return new Set((await rows<{ k: string }>(client, `SELECT DISTINCT arrayJoin(${column}) AS k FROM ${EVENTS} WHERE has_ecs = 1`)).map((r) => r.k));
  } catch {
    return 'all';
  }
}

function zip<T>(keys: string[], values: T[]): Record<string, T> {
  const out: Record<string, T> = {};
  keys.forEach((k, i) => { out[k] = values[i]; });
  return out;
}

/**
 * Measured on 18.16 as for the Sigma rules (hunt.ts): a statement's analysis grows faster than its
 * conditions, so a batch holds few rules.
 */
const BATCH = 16;

export function clickhouseElasticSql(client: ClickHouseClient): ElasticSql {
  return {
    batchSize: BATCH,
    // As the Sigma batches (hunt.ts): several statements in flight, each shard analysing its own.
    concurrency: 4,
    async facts(): Promise<EcsFacts> {
      if (!(await hasEcsColumns(client))) return { lists: 'all', typed: 'all', scopes: [], noEcs: NO_ECS };
      const scopes = await rows<{ i: string | null; o: string | null }>(client, `SELECT DISTINCT ecs_index AS i, ecs_os AS o FROM ${EVENTS} WHERE has_ecs = 1 AND ${VISIBLE}`)
        .then((l) => l.map((x) => ({ index: x.i, os: x.o })))
        .catch(() => []);
      return { lists: await keySet(client, 'ecs_lkeys'), typed: await keySet(client, 'ecs_typed'), scopes };
    },
    where: (trees, scopes, facts) => chElasticWhere(trees, scopes, facts),
    /**
     * The whole batch in one scan (as hunt.ts batchQuery): each rule's condition evaluated into
     * `hits`, ARRAY JOIN gives a row per (rule, event). Rows in scan's order: the ingest run, the
     * file's place in it, then the file's order. Only rows of completed ingest attempts (VISIBLE).
     */
    async stream(parts, time, onRows) {
      const conds = parts.map((p) => `(${p.where})`);
      const sql = `SELECT r, file, record_id, timestamp, ecs_keys, ecs_values, ecs_lkeys, ecs_lvalues, ecs_typed
FROM (
  SELECT file, seq, ingest_run, file_no, record_id, timestamp, ecs_keys, ecs_values, ecs_lkeys, ecs_lvalues, ecs_typed,
    [${conds.map((c) => `ifNull(${c}, 0)`).join(',\n    ')}] AS hits
  FROM ${EVENTS}
  WHERE ${['has_ecs = 1', VISIBLE, ...time, `(${conds.join('\n OR ')})`].join(' AND ')}
)
ARRAY JOIN arrayFilter((i, h) -> h = 1, range(${parts.length}), hits) AS r
ORDER BY r, ingest_run, file_no, file, seq`;
      const rs = await client.query({ query: sql, format: 'JSONEachRow' });
      for await (const chunk of rs.stream()) {
        onRows(chunk.map((raw): EcsRow => {
          const row = raw.json<Row>();
          return {
            r: parts[Number(row.r)].r,
            file: row.file,
            recordId: row.record_id === null ? null : Number(row.record_id),
            timestamp: row.timestamp,
            single: zip(row.ecs_keys, row.ecs_values),
            lists: row.ecs_lkeys.length ? zip(row.ecs_lkeys, row.ecs_lvalues) : null,
            typed: row.ecs_typed,
          };
        }));
      }
    },
  };
}
