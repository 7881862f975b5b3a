/**
 * The acceptance differential: every SigmaHQ rule (rules, emerging threats, threat hunting) over the
 * regression data and EVTX-ATTACK-SAMPLES, once through the compiled matcher (what `scan` runs) and
 * once as SQL over a DuckDB store filled by `ingest`. The (rule, event) alerts must be the same,
 * event for event, and every rule the engine loads must run as SQL. Files with the same content are
 * one file to the store (content hash), so the engine side reads each content once too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules, type RuleSet } from '../../src/engine/rules.js';
import { openDb, type Db } from '../../src/store/db.js';
import { ingest } from '../../src/store/duckdb/ingest.js';
import { hunt } from '../../src/store/duckdb/hunt.js';
import { sharedDir } from '../helpers/shared.js';
import { alertKey as key, engineAlerts } from '../helpers/sigma-engine-alerts.js';
import { sigmaRuleDirs } from '../support/regression.js';

const shared = sharedDir();
let dir: string;
let db: Db;
let rules: RuleSet;
let inputs: string[];

before(async () => {
  if (!shared) return;
  dir = mkdtempSync(join(tmpdir(), 'detectory-diff-'));
  db = await openDb(join(dir, 'events.duckdb'));
  rules = loadRules(sigmaRuleDirs(shared));
  inputs = [join(shared, 'conformance', 'sigma-regression'), join(shared, 'evtx')];
});

after(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});


function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

test('hunt on DuckDB raises exactly the alerts of the engine (all Windows Sigma rules)', async (t) => {
  if (!shared) return t.skip('DETECTORY_SHARED is not set: the differential needs ../shared');
  const ing = await ingest(db.conn, inputs);
  assert.equal(ing.failed, 0, 'every file ingests');
  assert.ok(ing.events > 8000, `events ingested: ${ing.events}`);

  const hashes = new Map<string, string>();
  const sql = new Map<string, number>();
  const skipped: string[] = [];
  const s = await hunt(db.conn, rules, {
    onAlert: (a) => bump(sql, key(a.rule.id, hashes.get(a.event.file) ?? a.event.file, a.event)),
    onSkip: (r, reason, message) => { if (reason !== 'not-windows-logsource' && reason !== 'correlation-not-supported') skipped.push(`${r.path}: ${reason}: ${message}`); },
  });

  const { alerts: engine, matcher } = await engineAlerts(rules, inputs, hashes);
  assert.deepEqual(skipped, [], 'every rule the engine can load runs as SQL');
  assert.equal(s.rules_run, matcher.loaded.length, 'as many rules run as SQL as the engine loads');

  // Keys of the SQL side were made before every file's hash was known: rebuild them now.
  const sqlByHash = new Map<string, number>();
  for (const [k, n] of sql) {
    const [rule, file, ...rest] = k.split('\t');
    sqlByHash.set([rule, hashes.get(file) ?? file, ...rest].join('\t'), n);
  }
  const diff: string[] = [];
  for (const [k, n] of engine) if (sqlByHash.get(k) !== n) diff.push(`engine ${n}, sql ${sqlByHash.get(k) ?? 0}: ${k}`);
  for (const [k, n] of sqlByHash) if (!engine.has(k)) diff.push(`engine 0, sql ${n}: ${k}`);
  assert.deepEqual(diff, []);
  assert.ok(engine.size > 1500, `alerts compared: ${engine.size}`);
});
