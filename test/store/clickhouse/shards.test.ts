/**
 * Hunt's direct shard clients (store/clickhouse/shards.ts): on a cluster made by `cluster start`
 * each client is a different shard of it and reads only its own rows; on a store without the
 * shards' HTTP views (an older cluster) there are none, and hunt goes through the Distributed table.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chClient, parseChUrl } from '../../../src/store/clickhouse/client.js';
import { shardClients } from '../../../src/store/clickhouse/shards.js';
import { SHARD_HTTP } from '../../../src/store/clickhouse/schema.js';
import { requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';

let cluster: TestCluster | undefined;

before(async () => {
  cluster = await startTestCluster();
});

after(async () => {
  await cluster?.dispose();
});

async function one<T>(c: ReturnType<typeof chClient>, sql: string): Promise<T> {
  return (await (await c.query({ query: sql, format: 'JSONEachRow' })).json<T>())[0];
}

test('each shard client is its own shard; without the views, none', async (t) => {
  if (!requireCluster(t, cluster)) return;
  const target = parseChUrl(cluster!.url);
  const client = chClient(target);
  try {
    const shards = await shardClients(client, target);
    assert.ok(shards, 'the cluster made by cluster start is reachable shard by shard');
    try {
      assert.equal(shards.length, 2);
      const ids = await Promise.all(shards.map((c) => one<{ n: number }>(c, "SELECT shard_num AS n FROM system.clusters WHERE cluster = 'detectory' AND is_local = 1")));
      assert.deepEqual(ids.map((r) => Number(r.n)), [1, 2]);
      // A row written to shard 2's local table is read by shard 2's client alone.
      await shards[1].command({ query: `INSERT INTO events_local (file, channel, channel_lc, host, all_values) VALUES ('only-on-2', 'c', 'c', 'h', '')` });
      const seen = await Promise.all(shards.map((c) => one<{ n: number }>(c, "SELECT count() AS n FROM events_local WHERE file = 'only-on-2'")));
      assert.deepEqual(seen.map((r) => Number(r.n)), [0, 1]);
    } finally {
      await Promise.all(shards.map((c) => c.close()));
    }
    const second = chClient(parseChUrl(cluster!.url.replace(String(cluster!.shards[0].http), String(cluster!.shards[1].http))));
    await second.command({ query: `DROP TABLE ${target.db}.${SHARD_HTTP}` }).finally(() => second.close());
    assert.equal(await shardClients(client, target), undefined, 'a shard without its view: hunt goes through the Distributed table');
  } finally {
    await client.close();
  }
});
