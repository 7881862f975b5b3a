/** `detectory eql`: one query over ECS NDJSON, seed 003's sequence rule on built events, bad input. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { cli } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';

const FIXTURES = join(PACKAGE_ROOT, 'test', 'engine', 'eql', 'fixtures');
const fixture = (name: string): string => join(FIXTURES, name);

function seedQuery(shared: string): string {
  const file = join(shared, 'corpora', 'elastic', 'rules', 'windows', 'initial_access_scripts_process_started_via_wmi.toml');
  const doc = parseToml(readFileSync(file, 'utf8')) as { rule: { query: string } };
  return doc.rule.query;
}

test('seed 003: the rule fires on a library load then a WMI child within 5 s (inclusive)', (t) => {
  const shared = requireShared(t, 'the Elastic rule of seed 003');
  if (!shared) return;
  const r = cli(['eql', seedQuery(shared), fixture('seed003-positive.ndjson'), '--format', 'jsonl']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { join_keys: unknown[]; events: { event: Record<string, Record<string, unknown>> }[] });
  assert.equal(lines.length, 1);
  assert.deepEqual(lines[0].join_keys, ['h1']);
  assert.deepEqual(lines[0].events.map((e) => e.event['@timestamp']), ['2026-01-05T10:00:01.000Z', '2026-01-05T10:00:06.000Z']);
  assert.match(r.stderr, /4 events read, 1 sequences/);
});

test('seed 003: no alert when the gap exceeds 5 s, the host differs, or the user is NT AUTHORITY', (t) => {
  const shared = requireShared(t, 'the Elastic rule of seed 003');
  if (!shared) return;
  for (const name of ['seed003-gap-too-long.ndjson', 'seed003-other-host.ndjson', 'seed003-nt-authority.ndjson']) {
    const r = cli(['eql', seedQuery(shared), fixture(name), '--format', 'jsonl']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '', name);
    assert.match(r.stderr, /2 events read, 0 sequences/, name);
  }
});

test('eql: an event query prints matching events; table format', () => {
  const q = 'process where process.parent.name : "wmiprvse.exe" and user.domain != "NT AUTHORITY"';
  const r = cli(['eql', q, FIXTURES, '--format', 'jsonl']);
  assert.equal(r.status, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; event: Record<string, unknown> });
  // 3 from the ECS NDJSON fixtures (passed through), 3 from the evtx_dump-shaped Sysmon fixtures (normalized to ECS).
  assert.equal(events.filter((e) => e.file.endsWith('.ndjson')).length, 3);
  assert.equal(events.filter((e) => e.file.endsWith('.jsonl')).length, 3);
  assert.ok(events.filter((e) => e.file.endsWith('.jsonl')).every((e) => (e.event.process as Record<string, unknown>).name === 'powershell.exe'));
  const table = cli(['eql', q, FIXTURES, '--format', 'table']);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /powershell\.exe/);
});

test('eql: a malformed query or an unknown function is one error with its position, exit 2', () => {
  const bad = cli(['eql', 'process where (process.name == "a"', FIXTURES]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^detectory: eql: query:1:\d+: expected '\)'/);
  const fn = cli(['eql', 'process where nosuch(process.name)', FIXTURES]);
  assert.equal(fn.status, 2);
  assert.match(fn.stderr, /query:1:15: unknown function nosuch/);
});
