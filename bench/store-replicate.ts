/**
 * The benchmark's store of N hosts: the events of a store filled by `ingest` (one host), copied
 * N times inside DuckDB with the `host` column set to host-00, host-01, ...; every other column,
 * the fields map included, is kept. Rows go in the store's own order (EVENT_ORDER), as `ingest` lays
 * out each file's rows. Returns the events written.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createEventTables } from '../src/store/duckdb/ingest.js';
import { EVENT_ORDER } from '../src/store/duckdb/schema.js';
import { sqlString } from '../src/backends/duckdb/literal.js';

export async function replicateHosts(conn: DuckDBConnection, base: string, hosts: number): Promise<number> {
  await createEventTables(conn);
  await conn.run(`ATTACH ${sqlString(base)} AS base (READ_ONLY)`);
  try {
    await conn.run(`INSERT INTO events SELECT e.* REPLACE ('host-' || lpad(h::VARCHAR, 2, '0') AS host)
      FROM base.events AS e, range(${hosts}) AS copies(h) ORDER BY ${EVENT_ORDER}, h, file, seq`);
    await conn.run('INSERT INTO files SELECT * FROM base.files');
    const r = await conn.runAndReadAll('SELECT count(*) AS n FROM events');
    return Number(r.getRowObjectsJson()[0].n);
  } finally {
    await conn.run('DETACH base');
  }
}
