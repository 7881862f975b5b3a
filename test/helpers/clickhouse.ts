/**
 * A real ClickHouse cluster for tests: 2 local servers (one shard each) on free ports in a temp
 * folder, started with the product's own startCluster. When clickhouse-server is not installed,
 * tests skip with a message; under DETECTORY_REQUIRE_SHARED=1 (CI) that is a failure instead.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { startCluster, type Cluster } from '../../src/cluster/cluster.js';
import { findServer } from '../../src/cluster/server-binary.js';
import { chClient, parseChUrl } from '../../src/store/clickhouse/client.js';
import { VISIBLE } from '../../src/store/clickhouse/ingest.js';
import { openEventStore, type EventStore } from '../../src/store/event-store.js';

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

/** A test file's cluster and temporary folder: filled by `before`, emptied by `after` (see clusterAndDir). */
export interface ClusterAndDir {
  cluster?: TestCluster;
  dir: string;
}

/** Registers before/after hooks that start a 2-shard cluster and make a temporary folder, then stop and remove both. */
export function clusterAndDir(prefix: string): ClusterAndDir {
  const c: ClusterAndDir = { dir: '' };
  before(async () => {
    c.cluster = await startTestCluster();
    c.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(async () => {
    await c.cluster?.dispose();
    if (c.dir) rmSync(c.dir, { recursive: true, force: true });
  });
  return c;
}

/** A test file's cluster with its events ingested: filled by `before`, emptied by `after` (see ingestedCluster). */
export interface IngestedCluster {
  cluster?: TestCluster;
  store?: EventStore;
  /** The temporary folder and the events file ingested in it. */
  dir: string;
  file: string;
}

/**
 * Registers before/after hooks that start a 2-shard cluster, write `lines` (one event per line) to
 * a file named `name` in a temporary folder, ingest it (checking every line became an event), and
 * at the end close the store, stop the cluster and remove the folder.
 */
export function ingestedCluster(name: string, lines: () => string[]): IngestedCluster {
  const c: IngestedCluster = { dir: '', file: '' };
  before(async () => {
    c.cluster = await startTestCluster();
    if (!c.cluster) return;
    c.dir = mkdtempSync(join(tmpdir(), 'detectory-chtest-'));
    c.file = join(c.dir, name);
    const text = lines();
    writeFileSync(c.file, text.join('\n') + '\n');
    c.store = await openEventStore(c.cluster.url);
    const s = await c.store.ingest([c.file]);
    assert.equal(s.events, text.length);
  });
  after(async () => {
    await c.store?.close();
    await c.cluster?.dispose();
    if (c.dir) rmSync(c.dir, { recursive: true, force: true });
  });
  return c;
}
