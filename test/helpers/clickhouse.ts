/**
 * A real ClickHouse cluster for tests: 2 local servers (one shard each) on free ports in a temp
 * folder, started with the product's own startCluster. When clickhouse-server is not installed,
 * tests skip with a message; under DETECTORY_REQUIRE_SHARED=1 (CI) that is a failure instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startCluster, type Cluster } from '../../src/cluster/cluster.js';
import { findServer } from '../../src/cluster/server-binary.js';
import { chClient, parseChUrl } from '../../src/store/clickhouse/client.js';
import { VISIBLE } from '../../src/store/clickhouse/ingest.js';

export const NO_SERVER = 'clickhouse-server is not installed: this test needs a real ClickHouse cluster';

export interface TestCluster extends Cluster {
  /** Stops the servers and removes the folder. */
  dispose(): Promise<void>;
}

/** Starts a 2-shard cluster, or returns undefined when no server program exists (throws under DETECTORY_REQUIRE_SHARED=1). */
export async function startTestCluster(shards = 2): Promise<TestCluster | undefined> {
  if (!findServer()) {
    if (process.env.DETECTORY_REQUIRE_SHARED === '1') throw new Error(`DETECTORY_REQUIRE_SHARED=1 but ${NO_SERVER}`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'detectory-ch-'));
  try {
    const c = await startCluster({ dir, shards });
    return { ...c, dispose: async () => { await c.stop(); rmSync(dir, { recursive: true, force: true }); } };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Returns the cluster, or marks the test skipped (with the reason) and returns undefined. */
export function requireCluster(t: TestContext, c: TestCluster | undefined): TestCluster | undefined {
  if (!c) t.skip(NO_SERVER);
  return c;
}

/** Rows of a query on the cluster (through the Distributed tables). */
export async function chRows<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = chClient(parseChUrl(url));
  try {
    return await (await client.query({ query: sql, format: 'JSONEachRow' })).json<T>();
  } finally {
    await client.close();
  }
}

/** Events a hunt can see (rows of completed ingest attempts): total, distinct record ids, and per-file agreement with `files`. */
export async function visibleCounts(url: string): Promise<{ events: number; distinct: number; files: number; perFileOk: boolean }> {
  const [r] = await chRows<Record<string, number>>(url, `SELECT
    (SELECT count() FROM events WHERE ${VISIBLE}) AS events,
    (SELECT uniqExact(record_id) FROM events WHERE ${VISIBLE}) AS distinct_ids,
    (SELECT uniqExact(hash) FROM files) AS files`);
  const per = await chRows<{ hash: string; n: number }>(url, `SELECT file_hash AS hash, count() AS n FROM events WHERE ${VISIBLE} GROUP BY file_hash`);
  const done = await chRows<{ hash: string; events: number }>(url, 'SELECT hash, min(events) AS events FROM files GROUP BY hash');
  const want = new Map(done.map((d) => [d.hash, Number(d.events)]));
  const perFileOk = per.every((p) => want.get(p.hash) === Number(p.n)) && per.length === [...want.values()].filter((n) => n > 0).length;
  return { events: Number(r.events), distinct: Number(r.distinct_ids), files: Number(r.files), perFileOk };
}
