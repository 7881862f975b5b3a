/**
 * hunt's `matched` is scan's for fields that hold several values (test/helpers/list-fields.ts) on
 * a 2-shard ClickHouse cluster: per-shard statements (route groups on and off, shards evaluating
 * their own routes) and the batch statements over the Distributed table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertRows, cli } from '../../helpers/cli.js';
import { clusterAndDir, requireCluster } from '../../helpers/clickhouse.js';
import { LIST_EXPECTED, listSummary, writeListFixture } from '../../helpers/list-fields.js';
import { loadRules } from '../../../src/engine/rules.js';
import type { Alert } from '../../../src/engine/alert.js';
import { runHunt } from '../../../src/store/hunt-loop.js';
import { clickhouseDialect } from '../../../src/store/clickhouse/hunt.js';
import { chClient, parseChUrl } from '../../../src/store/clickhouse/client.js';

const ctx = clusterAndDir('detectory-hunt-lists-');

test('hunt on ClickHouse shows list fields as scan does, on every statement path', async (t) => {
  if (!requireCluster(t, ctx.cluster)) return;
  const { events, rules } = writeListFixture(ctx.dir);
  const ing = cli(['ingest', events, '--store', ctx.cluster!.url]);
  assert.equal(ing.status, 0, ing.stderr);

  const rows = (args: string[]): string[] => alertRows(args, rules);
  const scan = rows(['scan', events]);
  assert.deepEqual(listSummary(scan.map((l) => JSON.parse(l) as Alert)), LIST_EXPECTED, 'scan shows every value of a list field');
  for (const store of [ctx.cluster!.url, `${ctx.cluster!.url}?route_groups=0`, `${ctx.cluster!.url}?shared_evaluation=0`]) {
    assert.deepEqual(rows(['hunt', '--store', store]), scan, `hunt over ${store} prints scan's rows`);
  }

  // The batch statements over the Distributed table (no shard reached directly).
  const client = chClient(parseChUrl(ctx.cluster!.url));
  try {
    const alerts: Alert[] = [];
    await runHunt(clickhouseDialect(client), async (sql) => (await client.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, unknown>>(), loadRules([rules]), {
      onAlert: (a) => alerts.push(a),
      onSkip: (_r, reason, message) => { throw new Error(`${reason}: ${message}`); },
    });
    assert.deepEqual(listSummary(alerts), LIST_EXPECTED, 'ClickHouse over the Distributed table');
  } finally {
    await client.close();
  }
});
