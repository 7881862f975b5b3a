/**
 * The acceptance differential for Elastic rules on a real 2-shard ClickHouse cluster: every Windows
 * Elastic rule the scan loads (eql, query, threshold, new_terms; test/helpers/elastic-windows.ts)
 * over EVTX-ATTACK-SAMPLES (the data of the DuckDB Elastic differential, test/store/elastic-hunt.test.ts),
 * once through the scan's Elastic runner (every event of the files in order, as `scan` feeds it)
 * and once through `hunt` on the cluster filled by `ingest`. The alerts, by (rule id, and per event
 * of the alert: file content, record id), must be the same, and field for field. Files with the
 * same content are one file to the store (content hash), so the scan side reads each content once too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { listEventFiles } from '../../../src/events/read.js';
import { openEventStore } from '../../../src/store/event-store.js';
import { fileHash } from '../../../src/store/duckdb/ingest.js';
import { sharedDir } from '../../helpers/shared.js';
import { windowsElasticRules } from '../../helpers/elastic-windows.js';
import { alertKeys, bump, scanElastic } from '../../helpers/elastic-scan.js';
import { requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';

const shared = sharedDir();
let cluster: TestCluster | undefined;

before(async () => {
  if (shared) cluster = await startTestCluster();
});

after(async () => {
  await cluster?.dispose();
});

test('hunt on a 2-shard ClickHouse cluster raises exactly the alerts of scan for the Windows Elastic rules (EVTX-ATTACK-SAMPLES)', async (t) => {
  if (!shared) return t.skip('DETECTORY_SHARED is not set: the differential needs ../shared');
  if (!requireCluster(t, cluster)) return;
  const { rules } = windowsElasticRules(shared);
  const inputs = [join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')];
  const hashes = new Map<string, string>();
  const { files } = listEventFiles(inputs, () => {});
  for (const f of files) hashes.set(f, await fileHash(f));
  // the whole alert (matched values, threshold and new_terms parts, every event), files by content
  const { key, whole } = alertKeys(hashes);

  const store = await openEventStore(cluster!.url);
  const huntAlerts = new Map<string, number>();
  const huntWhole = new Map<string, number>();
  const huntSkips: string[] = [];
  let s;
  try {
    const ing = await store.ingest(inputs);
    assert.equal(ing.failed, 0, 'every file ingests');
    t.diagnostic(`ingest: ${ing.events} events from ${ing.ingested} files (${ing.skipped} same-content files skipped) in ${ing.seconds} s`);
    s = await store.hunt({ detections: [], correlations: [], filters: [], elastic: rules, problems: [], files: 0 }, {
      onAlert: (a) => { bump(huntAlerts, key(a)); bump(huntWhole, whole(a)); },
      onSkip: (r, reason, message) => huntSkips.push(`${r.id} ${reason}: ${message}`),
    });
  } finally {
    await store.close();
  }

  const { alerts: scanAlerts, whole: scanWhole, runner, problems } = await scanElastic(rules, files, hashes);

  const scanCount = [...scanAlerts.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`rules: ${rules.length}; scan loads ${runner.loaded.length}, skips ${runner.skipped.length}; hunt runs ${s.rules_run}, skips ${s.rules_skipped} ${JSON.stringify(s.skipped_by_reason)} in ${s.seconds} s`);
  t.diagnostic(`alerts: scan ${scanCount}, hunt (clickhouse) ${s.alerts}`);
  assert.deepEqual(problems, [], 'no runtime error in scan');
  assert.deepEqual(huntSkips.sort(), runner.skipped.map((x) => `${x.rule.id} ${x.reason}: ${x.message}`).sort(), 'hunt skips what scan skips, for the same reasons');
  assert.equal(s.rules_run, runner.loaded.length, 'hunt runs every rule scan loads');
  const diff: string[] = [];
  for (const [k, n] of scanAlerts) if (huntAlerts.get(k) !== n) diff.push(`scan ${n}, hunt ${huntAlerts.get(k) ?? 0}: ${k}`);
  for (const [k, n] of huntAlerts) if (!scanAlerts.has(k)) diff.push(`scan 0, hunt ${n}: ${k}`);
  assert.deepEqual(diff, []);
  const wholeDiff = [...scanWhole].filter(([k, n]) => huntWhole.get(k) !== n).map(([k]) => k);
  assert.deepEqual(wholeDiff.slice(0, 5), [], 'the alerts are the same field for field');
  assert.equal(s.alerts, scanCount);
  assert.ok(scanAlerts.size > 100, `alerts compared: ${scanAlerts.size}`);
});
