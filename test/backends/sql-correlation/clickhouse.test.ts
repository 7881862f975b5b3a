/**
 * Correlations as ClickHouse SQL against scan, on a real clickhouse-server (18.16 here): the same
 * timelines as the DuckDB test (scenarios.ts). The events go into a table with the store's
 * field layout (f_keys/f_values, l_keys/l_values, ts_us); the base rules' WHERE is written by hand
 * (EventID tests), since what is under test is the correlation's SQL around them. Runs on the
 * server DETECTORY_CLICKHOUSE_URL names (e.g. http://127.0.0.1:8123), else on one it starts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { scan } from '../../../src/engine/scan.js';
import { loadRules } from '../../../src/engine/rules.js';
import type { Alert } from '../../../src/engine/alert.js';
import { LEVEL_ORDER } from '../../../src/engine/alert.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import { fileHash } from '../../../src/store/duckdb/ingest.js';
import { sharedDir } from '../../helpers/shared.js';
import { startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';
import { flattenEvent } from '../../../src/events/normalize.js';
import { correlationClickhouse, correlationHitsClickhouse, streamsHits } from '../../../src/backends/sql-correlation/clickhouse.js';
import { correlationAlert } from '../../../src/backends/sql-correlation/alert-row.js';
import { chainedCorrelations } from '../../../src/store/clickhouse/chained-correlations.js';
import { chRowStream, streamedCorrelation } from '../../../src/store/clickhouse/streamed-correlation.js';
import { correlationLines } from '../../helpers/correlation-diff.js';
import { BASE, CASES, randomTimelines, type Same } from './scenarios.js';

const db = `detectory_corr_${process.pid}`;
let client: ClickHouseClient | undefined;
/** A server of our own (one shard) unless DETECTORY_CLICKHOUSE_URL names one. */
let own: TestCluster | undefined;
const EVENT_IDS: Record<string, number> = { failed: 4625, success: 4624, logoff: 4634 };

before(async () => {
  let url = process.env.DETECTORY_CLICKHOUSE_URL;
  if (!url) {
    own = await startTestCluster(1);
    if (!own) return;
    url = `http://127.0.0.1:${own.shards[0].http}`;
  }
  client = createClient({ url });
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({ query: `CREATE TABLE ${db}.events (file String, seq UInt64, record_id Nullable(Int64), timestamp Nullable(String), ts_us Nullable(Int64),
    computer Nullable(String), channel String, event_id Nullable(Int64), f_keys Array(String), f_values Array(Nullable(String)),
    l_keys Array(String), l_values Array(Array(String))) ENGINE = MergeTree() ORDER BY (file, seq)` });
});

after(async () => {
  if (!client) return;
  await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await client.close();
  await own?.dispose();
});

async function load(file: string): Promise<void> {
  await client!.command({ query: `TRUNCATE TABLE ${db}.events` });
  await append(file);
}

async function append(file: string): Promise<void> {
  const rows: Array<Record<string, unknown>> = [];
  let seq = 0;
  for await (const batch of readEventFile(file, () => {})) {
    for (const rec of batch) {
      const ev = flattenEvent(rec);
      const single = ev.keys.filter((k) => !Array.isArray(ev.fields[k]) && ev.fields[k] !== undefined);
      const lists = ev.keys.filter((k) => Array.isArray(ev.fields[k]));
      const ms = rec.timestamp ? Date.parse(rec.timestamp) : NaN;
      rows.push({
        file, seq: seq++, record_id: rec.recordId ?? null, timestamp: rec.timestamp ?? null, ts_us: Number.isNaN(ms) ? null : ms * 1000,
        computer: ev.computer, channel: ev.channel, event_id: Number.isSafeInteger(ev.eventId) ? ev.eventId : null,
        f_keys: single, f_values: single.map((k) => ev.fields[k]), l_keys: lists, l_values: lists.map((k) => ev.fields[k]),
      });
    }
  }
  if (rows.length) await client!.insert({ table: `${db}.events`, values: rows, format: 'JSONEachRow' });
}

const NO_CH = 'clickhouse-server is not installed and DETECTORY_CLICKHOUSE_URL is not set';

/** Correlations the ClickHouse form skips, by reason (none: chained ones run in two steps). */
const skipped: string[] = [];

const same: Same = async (correlation, events, expectAlerts, opts = {}, label = '') => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-corrch-'));
  try {
    const rulesFile = join(dir, 'rules.yml');
    const eventsFile = join(dir, 'events.jsonl');
    writeFileSync(rulesFile, BASE + '---\n' + correlation);
    writeFileSync(eventsFile, events.join('\n') + '\n');
    const fromScan: Alert[] = [];
    await scan({ rulePaths: [rulesFile], eventPaths: [eventsFile], minLevel: opts.minLevel, onAlert: (a) => fromScan.push(a), onProblem: () => {} });
    await load(eventsFile);
    const rules = loadRules([rulesFile]);
    const bases = rules.detections.map((r) => ({ rule: r, where: `event_id = ${EVENT_IDS[String(r.extra.name)]}` }));
    const fromCh: Alert[] = [];
    const ran = new Set<string>();
    // As hunt runs them: a chained correlation in two steps (store/clickhouse/chained-correlations.ts).
    const run = chainedCorrelations(async (sql) => (await client!.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, unknown>>(), { table: `${db}.events` },
      chRowStream(client!));
    for (const c of rules.correlations) {
      const q = await run(c, bases, rules.correlations, {});
      if ('skip' in q) {
        skipped.push(`${c.title}: ${q.skip}`);
        continue;
      }
      ran.add(c.id);
      const rows = q.rows;
      if (opts.minLevel && (LEVEL_ORDER[c.level ?? 'medium'] ?? 2) < LEVEL_ORDER[opts.minLevel]) continue;
      fromCh.push(...rows.map((r) => correlationAlert(c, r)));
    }
    const scanLines = correlationLines(fromScan.filter((a) => ran.has(a.rule.id)));
    assert.deepEqual(correlationLines(fromCh), scanLines, `ClickHouse raises the correlation alerts of scan ${label}`);
    if (expectAlerts !== undefined && ran.size === rules.correlations.length) assert.equal(scanLines.length, expectAlerts);
    return scanLines.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

for (const c of CASES) {
  test(`ClickHouse: ${c.title}`, async (t) => {
    if (!client) return t.skip(NO_CH);
    await c.run(same);
  });
}

test('ClickHouse: random timelines give scan\'s alerts', async (t) => {
  if (!client) return t.skip(NO_CH);
  const total = await randomTimelines(same);
  assert.ok(total > 100, `the timelines raise correlation alerts (${total})`);
});

test('ClickHouse: no correlation is skipped (chained ones included)', (t) => {
  if (!client) return t.skip(NO_CH);
  assert.deepEqual(skipped, []);
});

/** Real events (the SigmaHQ regression data): base rules on EventID and channel only, their ClickHouse WHERE by hand. */
const REAL_BASES = `title: sysmon process
id: 00000000-0000-4000-a000-000000000001
name: sproc
logsource: {product: windows, service: sysmon}
detection:
  s: {EventID: 1}
  condition: s
---
title: sysmon network
id: 00000000-0000-4000-a000-000000000003
name: snet
logsource: {product: windows, service: sysmon}
detection:
  s: {EventID: 3}
  condition: s
---
title: security logon
id: 00000000-0000-4000-a000-000000004624
name: slogon
logsource: {product: windows, service: security}
detection:
  s: {EventID: 4624}
  condition: s
`;
const REAL_WHERE: Record<string, string> = {
  sproc: "lower(channel) = 'microsoft-windows-sysmon/operational' AND event_id = 1",
  snet: "lower(channel) = 'microsoft-windows-sysmon/operational' AND event_id = 3",
  slogon: "lower(channel) = 'security' AND event_id = 4624",
};

test('ClickHouse: every correlation type over real events (the regression data) gives scan\'s alerts', async (t) => {
  const shared = sharedDir();
  if (!client || !shared) return t.skip('needs ClickHouse and DETECTORY_SHARED');
  // Groups of a few hundred hits at most: the ClickHouse form is quadratic in a group's hits (README.md).
  const { files } = listEventFiles([join(shared, 'conformance', 'sigma-regression')], () => {});
  const seen = new Set<string>();
  const inputs: string[] = [];
  for (const f of files) {
    const h = await fileHash(f);
    if (!seen.has(h)) inputs.push(f);
    seen.add(h);
  }
  await client.command({ query: `TRUNCATE TABLE ${db}.events` });
  for (const f of inputs) await append(f);
  const dir = mkdtempSync(join(tmpdir(), 'detectory-corrchreal-'));
  try {
    const c = (title: string, body: string): string => `title: ${title}\nlevel: high\ncorrelation:\n${body}`;
    const file = join(dir, 'rules.yml');
    writeFileSync(file, [REAL_BASES,
      c('process burst', '  type: event_count\n  rules: [sproc]\n  group-by: [Computer, User]\n  timespan: 5m\n  condition: {gte: 5}\n  generate: true\n'),
      c('lone images', '  type: event_count\n  rules: [sproc]\n  group-by: [Computer]\n  timespan: 1m\n  condition: {lt: 4}\n  generate: true\n'),
      c('many images', '  type: value_count\n  rules: [sproc]\n  group-by: [Computer]\n  timespan: 10m\n  condition: {field: Image, gte: 4}\n  generate: true\n'),
      c('pid sum', '  type: value_sum\n  rules: [sproc]\n  group-by: [Computer]\n  timespan: 1h\n  condition: {field: ProcessId, gt: 20000}\n  generate: true\n'),
      c('avg pid', '  type: value_avg\n  rules: [sproc]\n  group-by: [Computer]\n  timespan: 1h\n  condition: {field: ProcessId, lt: 3000}\n  generate: true\n'),
      c('rare image', '  type: value_percentile\n  rules: [sproc]\n  group-by: [Computer]\n  timespan: 1d\n  condition: {field: Image, lte: 5}\n  generate: true\n'),
      c('process and connection', '  type: temporal\n  rules: [sproc, snet, slogon]\n  group-by: [Computer]\n  timespan: 5m\n  condition: {gte: 2}\n  generate: true\n'),
      c('process then connection', '  type: temporal_ordered\n  rules: [sproc, snet]\n  group-by: [Image]\n  timespan: 10m\n  generate: true\n'),
    ].join('---\n'));
    const fromScan: Alert[] = [];
    await scan({ rulePaths: [file], eventPaths: inputs, threads: 1, onAlert: (a) => fromScan.push(a), onProblem: () => {} });
    const rules = loadRules([file]);
    const bases = rules.detections.map((r) => ({ rule: r, where: REAL_WHERE[String(r.extra.name)] }));
    let total = 0;
    for (const corr of rules.correlations) {
      const q = correlationClickhouse(corr, bases, rules.correlations, { table: `${db}.events` });
      assert.ok('sql' in q, JSON.stringify(q));
      const t0 = performance.now();
      const rows: Array<Record<string, unknown>> = await (await client.query({ query: q.sql, format: 'JSONEachRow' })).json<Record<string, unknown>>();
      const expected = correlationLines(fromScan.filter((a) => a.rule.id === corr.id));
      t.diagnostic(`${corr.title}: ${expected.length} alerts, ${Math.round(performance.now() - t0)} ms`);
      total += expected.length;
      assert.deepEqual(correlationLines(rows.map((r) => correlationAlert(corr, r))), expected, corr.title);
      if (!streamsHits(corr)) continue;
      // The form the hunt runs for this kind: scan's state machine over the sorted hit stream.
      const h = correlationHitsClickhouse(corr, bases, rules.correlations, { table: `${db}.events` });
      assert.ok('sql' in h, JSON.stringify(h));
      const streamed = await streamedCorrelation(h.plan, h.sql, chRowStream(client));
      assert.deepEqual(correlationLines(streamed.map((r) => correlationAlert(corr, r))), expected, `${corr.title} (hit stream)`);
    }
    assert.ok(total > 50, `the correlations fire on these events (${total} alerts)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
