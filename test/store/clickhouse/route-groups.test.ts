/**
 * Rules evaluated once per route and hunt (store/clickhouse/route-groups.ts) on a real 2-shard
 * cluster: the same alerts as the per-batch statements (store URL option route_groups=0), whether each
 * route is evaluated once for the cluster (the default) or on every shard (shared_evaluation=0); the
 * prepared tables exist during the hunt and are dropped after it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadRules } from '../../../src/engine/rules.js';
import { openEventStore } from '../../../src/store/event-store.js';
import type { Alert } from '../../../src/engine/alert.js';
import { requireShared } from '../../helpers/shared.js';
import { chRows, requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';
import { sigmaRuleDirs } from '../../support/regression.js';

let cluster: TestCluster | undefined;
before(async () => { cluster = await startTestCluster(); });
after(async () => { await cluster?.dispose(); });

/** Prepared tables on every shard (their names start with hunt_). */
async function preparedTables(c: TestCluster): Promise<number> {
  const shards = c.shards.map((s) => `127.0.0.1:${s.tcp}`).join(',');
  const [r] = await chRows<{ n: number }>(c.url, `SELECT count() AS n FROM remote('${shards}', system, tables) WHERE startsWith(name, 'hunt_')`);
  return Number(r?.n ?? 0);
}

test('prepared routes give the per-batch alerts, and their tables are dropped after the hunt', async (t) => {
  const shared = requireShared(t, 'the route-groups differential');
  const c = requireCluster(t, cluster);
  if (!shared || !c) return;
  const rules = loadRules(sigmaRuleDirs(shared));
  const store = await openEventStore(c.url);
  try {
    const ing = await store.ingest([join(shared, 'conformance', 'sigma-regression')]);
    assert.equal(ing.failed, 0);
    const hunt = async (grouped: boolean, options = ''): Promise<{ lines: string[]; during: number }> => {
      // The same events, through a second store opened with route groups off (or other options).
      const on = grouped && !options ? store : await openEventStore(`${c.url}?${grouped ? options : 'route_groups=0'}`);
      const alerts: Alert[] = [];
      let probe: Promise<number> | undefined;
      try {
        await on.hunt(rules, {
          onAlert: (a) => {
            // The first alert comes after the preparation: its tables exist until the hunt ends.
            probe ??= preparedTables(c);
            alerts.push(a);
          },
          onSkip: () => {},
        });
      } finally {
        if (on !== store) await on.close();
      }
      const lines = alerts.map((a) => JSON.stringify([a.rule.id, a.event.file, a.event.record_id, a.event.timestamp, a.event.computer, a.matched])).sort();
      return { lines, during: (await probe) ?? 0 };
    };
    const perBatch = await hunt(false);
    const grouped = await hunt(true);
    const perShard = await hunt(true, 'shared_evaluation=0');
    assert.ok(perBatch.lines.length > 100, `alerts compared: ${perBatch.lines.length}`);
    assert.equal(perBatch.during, 0, 'no table is prepared when route groups are off');
    assert.ok(grouped.during >= 10, `5 prepared tables on each shard during the hunt (saw ${grouped.during})`);
    assert.deepEqual(grouped.lines, perBatch.lines);
    assert.deepEqual(perShard.lines, perBatch.lines, 'each shard evaluating its own combinations: the same alerts');
    assert.equal(await preparedTables(c), 0, 'the prepared tables are dropped');
  } finally {
    await store.close();
  }
});
