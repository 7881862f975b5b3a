/** The DuckDB side of Elastic rules in hunt (store/elastic-hunt.ts): facts, candidate SQL, row streaming. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { elasticWhere } from '../../backends/duckdb/elastic-query.js';
import type { EcsFacts, EcsRow, ElasticSql } from '../elastic-hunt.js';

async function keySet(conn: DuckDBConnection, sql: string): Promise<Set<string> | 'all'> {
  try {
    const r = await conn.runAndReadAll(sql);
    return new Set(r.getRowObjectsJson().map((row) => String(row.k)));
  } catch {
    return 'all';
  }
}

export function duckdbElasticSql(conn: DuckDBConnection): ElasticSql {
  return {
    async facts(): Promise<EcsFacts> {
      const cols = await conn.runAndReadAll(`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'ecs'`)
        .then((r) => Number(r.getRowObjectsJson()[0].n)).catch(() => 0);
      const tables = await conn.runAndReadAll(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'events'`)
        .then((r) => Number(r.getRowObjectsJson()[0].n)).catch(() => 0);
      if (tables > 0 && cols === 0) {
        return { lists: 'all', typed: 'all', scopes: [], noEcs: 'this store was filled before ingest kept ECS documents: ingest the events into a new store to run Elastic rules' };
      }
      const scopes = await conn.runAndReadAll('SELECT DISTINCT ecs_index, ecs_os FROM events WHERE ecs IS NOT NULL')
        .then((r) => r.getRowObjectsJson().map((row) => ({ index: row.ecs_index === null ? null : String(row.ecs_index), os: row.ecs_os === null ? null : String(row.ecs_os) })))
        .catch(() => []);
      return {
        lists: await keySet(conn, 'SELECT DISTINCT unnest(map_keys(ecs_lists)) AS k FROM events'),
        typed: await keySet(conn, 'SELECT DISTINCT unnest(ecs_typed) AS k FROM events'),
        scopes,
      };
    },
    where: (trees, scopes, facts) => elasticWhere(trees, scopes, facts),
    async stream(parts, time, onRows) {
      // Stream order: files in the order they were ingested (as scan reads the same paths), then file order.
      const sql = parts.map((p) => `SELECT ${p.r} AS r, e.file, e.seq, e.record_id, e.timestamp, f.ingested_at,
          to_json(e.ecs)::VARCHAR AS ecs, to_json(e.ecs_lists)::VARCHAR AS ecs_lists, e.ecs_typed
        FROM events e JOIN files f ON f.hash = e.file_hash
        WHERE ${['e.ecs IS NOT NULL', ...time, `(${p.where})`].join(' AND ')}`).join('\nUNION ALL\n') + '\nORDER BY r, ingested_at, file, seq';
      const result = await conn.stream(sql);
      for await (const chunk of result.yieldRowObjectJson()) {
        onRows(chunk.map((row): EcsRow => ({
          r: Number(row.r),
          file: String(row.file),
          recordId: row.record_id === null ? null : Number(row.record_id),
          timestamp: row.timestamp === null ? null : String(row.timestamp),
          single: JSON.parse(String(row.ecs)) as Record<string, string | null>,
          lists: row.ecs_lists === null ? null : (JSON.parse(String(row.ecs_lists)) as Record<string, string[] | null>),
          typed: (row.ecs_typed as string[] | null) ?? null,
        })));
      }
    },
  };
}
