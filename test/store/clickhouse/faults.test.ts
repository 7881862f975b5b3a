/**
 * Faults on the ClickHouse store: a store that is down is one clear error naming it with the
 * contract's exit code; a query the store refuses skips only that rule, the others still run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../helpers/cli.js';
import { procRule, sysmon1 } from '../../helpers/sigma.js';
import { requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';
import { freePorts } from '../../../src/cluster/ports.js';
import { EXIT_UNREADABLE } from '../../../src/cli/exit.js';

let cluster: TestCluster | undefined;
let dir: string;

before(async () => {
  cluster = await startTestCluster();
  dir = mkdtempSync(join(tmpdir(), 'detectory-chfault-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'events.jsonl'), [
    sysmon1({ CommandLine: 'whoami /all', Image: 'C:\\w.exe' }, { EventRecordID: 1 }),
    sysmon1({ CommandLine: 'v5', Image: 'C:\\v.exe' }, { EventRecordID: 2 }),
  ].map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(join(dir, 'rules', 'a.yml'), procRule(`  sel:\n    CommandLine|contains: whoami\n  condition: sel`).replace('11111111-1111-1111-1111-111111111111', 'aaaaaaaa-1111-1111-1111-111111111111'));
  // 60,000 values: the store refuses the statement (its AST limit), DuckDB and the engine do not.
  const many = Array.from({ length: 60000 }, (_, i) => `      - 'v${i}'`).join('\n');
  writeFileSync(join(dir, 'rules', 'b.yml'), procRule(`  sel:\n    CommandLine:\n${many}\n  condition: sel`).replace('11111111-1111-1111-1111-111111111111', 'bbbbbbbb-1111-1111-1111-111111111111'));
});

after(async () => {
  await cluster?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a store that is down: one line naming it, exit 3 for hunt', async () => {
  const [port] = await freePorts(1);
  const url = `clickhouse://127.0.0.1:${port}/detectory`;
  const r = cli(['hunt', '--store', url, '--rules', join(dir, 'rules', 'a.yml')]);
  assert.equal(r.status, EXIT_UNREADABLE, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`^detectory: ${url.replace(/[.]/g, '\\.')}: cannot reach the ClickHouse store: `));
});

test('a query the store refuses skips that rule only', async (t) => {
  if (!requireCluster(t, cluster)) return;
  const ing = cli(['ingest', join(dir, 'events.jsonl'), '--store', cluster!.url]);
  assert.equal(ing.status, 0, ing.stderr);
  const r = cli(['hunt', '--store', cluster!.url, '--rules', join(dir, 'rules'), '--format', 'jsonl', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const alerts = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { rule: { id: string }; event: { record_id: number } });
  assert.deepEqual(alerts.map((a) => `${a.rule.id}#${a.event.record_id}`), ['aaaaaaaa-1111-1111-1111-111111111111#1']);
  const s = JSON.parse(r.stderr.trim().split('\n').pop()!);
  assert.equal(s.rules_run, 1);
  assert.deepEqual(s.skipped_by_reason, { 'sql-error': 1 });
  assert.match(r.stderr, /b\.yml: sql-error: t: .*(AST|too big|elements)/i);
  // The same rule runs on DuckDB and fires there (the refusal is the store's, not the rule's).
  const duck = `duckdb:${join(dir, 'e.duckdb')}`;
  assert.equal(cli(['ingest', join(dir, 'events.jsonl'), '--store', duck]).status, 0);
  const d = cli(['hunt', '--store', duck, '--rules', join(dir, 'rules', 'b.yml'), '--format', 'jsonl']);
  assert.equal(d.stdout.trim().split('\n').length, 1, d.stderr);
});
