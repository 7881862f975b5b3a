/**
 * The benchmark's store of N hosts: the events of a store filled by `ingest` (one host), copied
 * N times inside DuckDB with the `host` column set to host-00, host-01, ...; every other column,
 * the fields map included, is kept. Copies are written route by route (channel, EventID: the
 * store's EVENT_ORDER), so the table is sorted as one ingest of all hosts' files would be after a
 * sort, without DuckDB sorting 10M wide rows. Returns the events written.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createEventTables } from '../src/store/duckdb/ingest.js';
import { sqlString } from '../src/backends/duckdb/literal.js';

export async function replicateHosts(conn: DuckDBConnection, base: string, hosts: number): Promise<number> {
  await createEventTables(conn);
  await conn.run(`ATTACH ${sqlString(base)} AS base (READ_ONLY)`);
  try {
    const groups = (await conn.runAndReadAll('SELECT DISTINCT channel_lc, event_id FROM base.events ORDER BY ALL')).getRowObjectsJson();
    for (const g of groups) {
      const channel = g.channel_lc === null ? 'channel_lc IS NULL' : `channel_lc = ${sqlString(String(g.channel_lc))}`;
      const id = g.event_id === null ? 'event_id IS NULL' : `event_id = ${Number(g.event_id)}`;
      await conn.run(`INSERT INTO events SELECT e.* REPLACE ('host-' || lpad(h::VARCHAR, 2, '0') AS host)
        FROM base.events AS e, range(${hosts}) AS copies(h) WHERE ${channel} AND ${id}`);
    }
    await conn.run('INSERT INTO files SELECT * FROM base.files');
    const r = await conn.runAndReadAll('SELECT count(*) AS n FROM events');
    return Number(r.getRowObjectsJson()[0].n);
  } finally {
    await conn.run('DETACH base');
  }
}
