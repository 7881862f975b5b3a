/**
 * Each route's rules evaluated once for the cluster (store/clickhouse/route-evaluation.ts) on a
 * real 2-shard cluster: a combination held by both shards is one row of each shard's union and is
 * evaluated on one shard only, its matches reach the other shard, whose events join them; a rule whose
 * statement the server refuses is not prepared (hunt runs it per batch) while the others are.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClickHouseClient } from '@clickhouse/client';
import { chClient, parseChUrl } from '../../../src/store/clickhouse/client.js';
import { prepareRoutes, PREPARED_TABLES, type PreparedRoute } from '../../../src/store/clickhouse/route-evaluation.js';
import { requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';
import { freePorts } from '../../../src/cluster/ports.js';

let cluster: TestCluster | undefined;
before(async () => { cluster = await startTestCluster(); });
after(async () => { await cluster?.dispose(); });

async function count(c: ClickHouseClient, sql: string): Promise<number> {
  const [r] = await (await c.query({ query: sql, format: 'JSONEachRow' })).json<{ n: number }>();
  return Number(r?.n ?? 0);
}

/** Events of channel `c1` with these images on one shard (file = image, seq = its index). */
async function events(c: ClickHouseClient, images: string[]): Promise<void> {
  const rows = images.map((img, i) => `('${img}', ${i}, 'C1', 'c1', 'h', '', 1, '${img}', ['Image'], ['${img}'])`).join(', ');
  await c.command({ query: `INSERT INTO events_local (file, seq, channel, channel_lc, host, all_values, eid, f_Image, f_keys, f_values) VALUES ${rows}` });
}

/** The route and its rules: 0 holds on a.exe, 1 is refused by the server whenever it sees a.exe, 2 holds on b.exe. */
const route: PreparedRoute = {
  rt: 0,
  route: "channel_lc = 'c1'",
  cols: ['f_Image'],
  rules: [
    { id: 0, where: "f_Image = 'a.exe'", shown: ['f_Image'] },
    { id: 1, where: "throwIf(f_Image = 'a.exe') = 1", shown: [] },
    { id: 2, where: "f_Image = 'b.exe'", shown: ['f_Image'] },
  ],
};

test('a combination on both shards is evaluated once, on one shard, and its events on both shards join the matches', async (t) => {
  const c = requireCluster(t, cluster);
  if (!c) return;
  const target = parseChUrl(c.url);
  const shards = c.shards.map((s) => chClient({ http: `http://127.0.0.1:${s.http}`, db: target.db }));
  const remote = { db: target.db, tcp: c.shards.map((s) => `127.0.0.1:${s.tcp}`) };
  try {
    // a.exe on both shards (3 events on shard 1, 1 on shard 2), b.exe on shard 1 only, c.exe on shard 2 only.
    await events(shards[0], ['a.exe', 'a.exe', 'b.exe', 'a.exe']);
    await events(shards[1], ['c.exe', 'a.exe']);
    const drop = (id: string): Promise<unknown> => Promise.all(shards.flatMap((s) => PREPARED_TABLES.map((x) => s.command({ query: `DROP TABLE IF EXISTS ${id}_${x}` }))));

    const id = 'hunt_test_shared';
    try {
      const prepared = await prepareRoutes(shards, remote, id, [route], ['f_Image'], new Map(), []);
      assert.deepEqual([...prepared].sort(), [0, 2], 'the refused rule 1 is left to the per-batch path, 0 and 2 are prepared');
      // Every shard's union: a, b, c once each (the shards' _c: 2 + 2 rows).
      assert.deepEqual(await Promise.all(shards.map((s) => count(s, `SELECT count() AS n FROM ${id}_c`))), [2, 2]);
      assert.deepEqual(await Promise.all(shards.map((s) => count(s, `SELECT count() AS n FROM ${id}_u`))), [3, 3], 'a.exe of both shards is one combination');
      // The route's one batch is evaluated on shard 1 ((batch 0 + rt 0) mod 2) only; every shard has the matches (a.exe -> 0, b.exe -> 2).
      assert.ok(await count(shards[0], `SELECT count() AS n FROM ${id}_p`) > 0);
      assert.equal(await count(shards[1], `SELECT count() AS n FROM ${id}_p`), 0, 'no rule is evaluated on shard 2');
      const q = await Promise.all(shards.map(async (s) => (await (await s.query({ query: `SELECT rid, shown FROM ${id}_q ORDER BY rid`, format: 'JSONEachRow' })).json())));
      assert.deepEqual(q[0], [{ rid: 0, shown: ['a.exe'] }, { rid: 2, shown: ['b.exe'] }]);
      assert.deepEqual(q[1], q[0]);
      // Each shard's matched events: shard 1 its three a.exe and its b.exe, shard 2 its a.exe (matched on shard 1).
      assert.deepEqual(await Promise.all(shards.map((s) => count(s, `SELECT count() AS n FROM ${id}_e`))), [4, 1]);
      assert.equal(await count(shards[1], `SELECT count() AS n FROM ${id}_e ALL INNER JOIN (SELECT rt, h FROM ${id}_q WHERE rid = 0) USING (rt, h) WHERE file = 'a.exe'`), 1);
    } finally {
      await drop(id);
    }

    const cut = 'hunt_test_cut';
    try {
      // Shards that cannot reach each other through remote() (addresses where nothing listens): each evaluates its own combinations.
      const [closed] = await freePorts(1);
      const prepared = await prepareRoutes(shards, { db: target.db, tcp: shards.map(() => `127.0.0.1:${closed}`) }, cut, [route], ['f_Image'], new Map(), []);
      assert.deepEqual([...prepared].sort(), [0, 2], 'prepared per shard, not left to the per-batch path');
      for (const s of shards) assert.ok(await count(s, `SELECT count() AS n FROM ${cut}_p`) > 0, 'each shard evaluates');
      assert.deepEqual(await Promise.all(shards.map((s) => count(s, `SELECT count() AS n FROM ${cut}_e`))), [4, 1]);
    } finally {
      await drop(cut);
    }

    const own = 'hunt_test_own';
    try {
      // Without the shards' addresses each shard evaluates its own combinations.
      const prepared = await prepareRoutes(shards, undefined, own, [route], ['f_Image'], new Map(), []);
      assert.deepEqual([...prepared].sort(), [0, 2]);
      for (const s of shards) assert.ok(await count(s, `SELECT count() AS n FROM ${own}_p`) > 0, 'each shard evaluates');
      assert.deepEqual(await Promise.all(shards.map((s) => count(s, `SELECT count() AS n FROM ${own}_e`))), [4, 1]);
    } finally {
      await drop(own);
    }
  } finally {
    await Promise.all(shards.map((s) => s.close()));
  }
});
