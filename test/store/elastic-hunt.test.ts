/**
 * The acceptance differential for Elastic rules: every Windows Elastic rule the scan loads (eql,
 * query, threshold, new_terms; test/helpers/elastic-windows.ts) over EVTX-ATTACK-SAMPLES, once
 * through the scan's Elastic runner (every event of the files in order, as `scan` feeds it) and
 * once through `hunt` on a DuckDB store filled by `ingest`. The alerts, by (rule id, and per event
 * of the alert: file content, record id), must be the same. Files with the same content are one
 * file to the store (content hash), so the scan side reads each content once too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listEventFiles } from '../../src/events/read.js';
import type { Rule } from '../../src/model/index.js';
import { openDb, type Db } from '../../src/store/db.js';
import { fileHash, ingest } from '../../src/store/duckdb/ingest.js';
import { duckdbDialect } from '../../src/store/duckdb/hunt.js';
import { runHunt } from '../../src/store/hunt-loop.js';
import type { ElasticSql } from '../../src/store/elastic-hunt.js';
import { sharedDir } from '../helpers/shared.js';
import { windowsElasticRules } from '../helpers/elastic-windows.js';
import { alertKeys, bump, scanElastic } from '../helpers/elastic-scan.js';

const shared = sharedDir();
let dir: string;
let db: Db;

before(async () => {
  if (!shared) return;
  dir = mkdtempSync(join(tmpdir(), 'detectory-ehunt-'));
  db = await openDb(join(dir, 'events.duckdb'));
});

after(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Differences between hunt and scan that are expected, by rule id, with the reason. Empty: hunt
 * gives exactly scan's alerts for every rule.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {};

test('hunt on DuckDB raises exactly the alerts of scan for the Windows Elastic rules (EVTX-ATTACK-SAMPLES)', async (t) => {
  if (!shared) return t.skip('DETECTORY_SHARED is not set: the differential needs ../shared');
  const { rules } = windowsElasticRules(shared);
  const inputs = [join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')];
  const ing = await ingest(db.conn, inputs);
  assert.equal(ing.failed, 0, 'every file ingests');
  t.diagnostic(`ingest: ${ing.events} events from ${ing.ingested} files (${ing.skipped} same-content files skipped)`);

  const hashes = new Map<string, string>();
  const { files } = listEventFiles(inputs, () => {});
  for (const f of files) hashes.set(f, await fileHash(f));
  // the whole alert (matched values, threshold and new_terms parts, every event), files by content
  const { key, whole } = alertKeys(hashes);

  // Hunt, counting the rows the SQL selects per rule (how much the in-process runner has to look at).
  const base = duckdbDialect(db.conn);
  // Rules go to the SQL in order, in batches (every rule loads: no skip shifts the positions).
  const rowsPerRule = new Map<number, number>();
  let offset = 0;
  const counting: ElasticSql = {
    facts: () => base.elastic!.facts(),
    where: (trees, scopes, facts) => base.elastic!.where(trees, scopes, facts),
    async stream(parts, time, onRows) {
      await base.elastic!.stream(parts, time, (rows) => {
        for (const r of rows) rowsPerRule.set(offset + r.r, (rowsPerRule.get(offset + r.r) ?? 0) + 1);
        onRows(rows);
      });
      offset += parts.length;
    },
  };
  const huntAlerts = new Map<string, number>();
  const huntWhole = new Map<string, number>();
  const alertsPerRule = new Map<string, number>();
  const huntSkips: string[] = [];
  const s = await runHunt({ ...base, elastic: counting }, async (sql) => (await db.conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>,
    { detections: [], correlations: [], filters: [], elastic: rules, problems: [], files: 0 }, {
      onAlert: (a) => { bump(huntAlerts, key(a)); bump(huntWhole, whole(a)); bump(alertsPerRule, a.rule.id); },
      onSkip: (r, reason, message) => huntSkips.push(`${r.id} ${reason}: ${message}`),
    });

  // Scan: the runner over every event, in file order, each content once.
  const { alerts: scanAlerts, whole: scanWhole, runner, problems } = await scanElastic(rules, files, hashes);

  const byType = (list: Rule[]): Record<string, number> => list.reduce<Record<string, number>>((m, r) => ((m[r.type] = (m[r.type] ?? 0) + 1), m), {});
  t.diagnostic(`rules: ${rules.length}; scan loads ${runner.loaded.length} ${JSON.stringify(byType(runner.loaded))}, skips ${runner.skipped.length}; hunt runs ${s.rules_run}, skips ${s.rules_skipped} ${JSON.stringify(s.skipped_by_reason)}`);
  const rowsTotal = [...rowsPerRule.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`alerts: scan ${[...scanAlerts.values()].reduce((a, b) => a + b, 0)}, hunt ${s.alerts}; rows the SQL selected: ${rowsTotal} (of ${ing.events} events x ${s.rules_run} rules)`);
  // How exact the SQL alone is: for single-event rules (no aggregation), rows selected vs alerts.
  let rows1 = 0;
  let alerts1 = 0;
  const loose: string[] = [];
  rules.forEach((r, i) => {
    if (r.sequence || r.type === 'threshold' || r.type === 'new_terms') return;
    const n = rowsPerRule.get(i) ?? 0;
    const a = alertsPerRule.get(r.id) ?? 0;
    rows1 += n;
    alerts1 += a;
    if (n !== a) loose.push(`${r.id} (${r.type}/${r.language}) rows ${n} alerts ${a}`);
  });
  t.diagnostic(`single-event rules: the SQL selected ${rows1} rows for ${alerts1} alerts; rules where it selected more: ${loose.length}${loose.length ? `: ${loose.slice(0, 20).join('; ')}` : ''}`);
  assert.deepEqual(problems, [], 'no runtime error in scan');
  assert.deepEqual(huntSkips.sort(), runner.skipped.map((x) => `${x.rule.id} ${x.reason}: ${x.message}`).sort(), 'hunt skips what scan skips, for the same reasons');
  assert.equal(s.rules_run, runner.loaded.length, 'hunt runs every rule scan loads');

  const diff: string[] = [];
  const known = (k: string): boolean => k.split('\t')[0] in KNOWN_DIFFERENCES;
  for (const [k, n] of scanAlerts) if (huntAlerts.get(k) !== n && !known(k)) diff.push(`scan ${n}, hunt ${huntAlerts.get(k) ?? 0}: ${k}`);
  for (const [k, n] of huntAlerts) if (!scanAlerts.has(k) && !known(k)) diff.push(`scan 0, hunt ${n}: ${k}`);
  assert.deepEqual(diff, []);
  const wholeDiff = [...scanWhole].filter(([k, n]) => huntWhole.get(k) !== n && !known(JSON.parse(k).rule.id)).map(([k]) => k);
  assert.deepEqual(wholeDiff.slice(0, 5), [], 'the alerts are the same field for field');
  assert.ok(scanAlerts.size > 100, `alerts compared: ${scanAlerts.size}`);
});
