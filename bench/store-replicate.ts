/**
 * The benchmark's store of N hosts: the events of a store filled by `ingest` (one host), copied
 * N times inside DuckDB with the `host` column set to host-00, host-01, ...; every other column,
 * the fields map included, is kept. One INSERT ... SELECT over the cross product of the events
 * and the host numbers: the ingested store is sorted by the store's EVENT_ORDER (channel, EventID)
 * and DuckDB keeps that order through the cross product (each chunk of events written once per
 * host, side by side), so the copy is sorted by route as one ingest of all hosts' files would be,
 * without DuckDB sorting 10M wide rows. One statement per route (the earlier way) cost 4.5 times
 * the CPU: 143.6 s against 31.9 s for 2 hosts of the 1 GiB input.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createEventTables } from '../src/store/duckdb/ingest.js';
import { sqlString } from '../src/backends/duckdb/literal.js';
import { ECS_COLUMNS } from '../src/store/duckdb/schema.js';

/**
 * The ECS columns are left NULL in the copies unless `ecs: true`: the Sigma rules the benchmark
 * runs read none of them (a column a query does not read is not scanned), and the ECS map is the
 * largest column of the store: copying it too cost 31.9 s of CPU for 2 hosts against 18.7 s without
 * (32 hosts without: 260 s of CPU, 19 min wall on this 2-core machine at load average 15-20, 5.8 GB).
 */
export async function replicateHosts(conn: DuckDBConnection, base: string, hosts: number, opts: { ecs?: boolean } = {}): Promise<number> {
  await createEventTables(conn);
  await conn.run(`ATTACH ${sqlString(base)} AS base (READ_ONLY)`);
  try {
    await conn.run('SET preserve_insertion_order = true');
    const noEcs = opts.ecs !== true ? ECS_COLUMNS.map(([c]) => `, NULL AS ${c.startsWith('"') ? c : `"${c}"`}`).join('') : '';
    await conn.run(`INSERT INTO events SELECT e.* REPLACE ('host-' || lpad(h::VARCHAR, 2, '0') AS host${noEcs})
      FROM base.events AS e, range(${hosts}) AS copies(h)`);
    await conn.run('INSERT INTO files SELECT * FROM base.files');
    const r = await conn.runAndReadAll('SELECT count(*) AS n FROM events');
    return Number(r.getRowObjectsJson()[0].n);
  } finally {
    await conn.run('DETACH base');
  }
}
