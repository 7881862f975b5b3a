/** The `ingest`, `hunt` and `convert` verbs end to end through the real CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { procRule, sysmon1 } from '../helpers/sigma.js';

function setup(): { dir: string; rules: string; events: string } {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-hunt-'));
  const rules = join(dir, 'rules');
  const events = join(dir, 'events.jsonl');
  mkdirSync(rules);
  writeFileSync(join(rules, 'a-whoami.yml'), procRule(`  sel:\n    Image|endswith: '\\whoami.exe'\n  condition: sel`).replace('title: t', 'title: Whoami'));
  writeFileSync(join(rules, 'b-broken.yml'), procRule(`  sel:\n    CommandLine|re: '(a'\n  condition: sel`)
    .replace('title: t', 'title: Broken').replace('11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'));
  writeFileSync(events, [
    sysmon1({ Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami' }, { EventRecordID: 7, TimeCreated: { '#attributes': { SystemTime: '2026-01-02T03:04:05.000000Z' } } }),
    sysmon1({ Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd' }, { EventRecordID: 8 }),
  ].map((e) => JSON.stringify(e)).join('\n') + '\n');
  return { dir, rules, events };
}

test('hunt prints the contract alert (as scan does), reports a rule it cannot run, and filters by time', () => {
  const { dir, rules, events } = setup();
  try {
    const store = `duckdb:${join(dir, 's.duckdb')}`;
    assert.equal(cli(['ingest', events, '--store', store]).status, 0);
    const h = cli(['hunt', '--store', store, '--rules', rules, '--format', 'jsonl']);
    assert.equal(h.status, 0, h.stderr);
    const alerts = h.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const s = cli(['scan', events, '--rules', rules, '--format', 'jsonl']);
    const scanned = s.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0].rule, scanned[0].rule);
    assert.deepEqual(alerts[0].event, scanned[0].event);
    assert.deepEqual(alerts[0].matched, { Image: 'C:\\Windows\\System32\\whoami.exe' });
    assert.match(h.stderr, /b-broken\.yml:8: invalid-regex/);
    const later = cli(['hunt', '--store', store, '--rules', rules, '--since', '2026-01-02T03:04:06Z', '--format', 'jsonl']);
    assert.equal(later.stdout, '');
    const earlier = cli(['hunt', '--store', store, '--rules', rules, '--until', '2026-01-02T03:04:06Z', '--format', 'jsonl']);
    assert.equal(earlier.stdout.trim().split('\n').length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store whose table the SQL cannot read: every rule is reported, the run ends normally', async () => {
  const { dir, rules } = setup();
  try {
    const path = join(dir, 'foreign.duckdb');
    const { openDb } = await import('../../src/store/db.js');
    const db = await openDb(path);
    await db.conn.run('CREATE TABLE events (file VARCHAR, seq BIGINT)');
    db.close();
    const h = cli(['hunt', '--store', `duckdb:${path}`, '--rules', rules, '--format', 'jsonl', '--json']);
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stderr, /a-whoami\.yml: sql-error: Whoami: /);
    assert.equal(JSON.parse(h.stderr.trim().split('\n').pop()!).skipped_by_reason['sql-error'], 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hunt on a store that cannot be opened names it; an unsupported store is a usage error', () => {
  const { dir, rules } = setup();
  try {
    const missing = cli(['hunt', '--store', `duckdb:${join(dir, 'nope', 'x.duckdb')}`, '--rules', rules]);
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /nope.*cannot open/);
    const ch = cli(['ingest', dir, '--store', 'clickhouse://127.0.0.1:1']);
    assert.equal(ch.status, 3);
    assert.match(ch.stderr, /clickhouse:\/\/127\.0\.0\.1:1: cannot reach the ClickHouse store/);
    assert.equal(ch.stderr.trim().split('\n').length, 1, 'one line');
    const unknown = cli(['hunt', '--store', 'mongo://x', '--rules', rules]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown store mongo:\/\/x/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('convert: a report per rule, files per converted rule, ClickHouse SQL, exit 2 on an unknown target', () => {
  const { dir, rules } = setup();
  try {
    const out = join(dir, 'out');
    const r = cli(['convert', rules, '--to', 'duckdb', '--out', out, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const reports = r.stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    assert.deepEqual(reports.map((x) => x.status), ['converted']);
    assert.match(r.stderr, /b-broken\.yml:8: invalid-regex/);
    const net = join(dir, 'net.yml');
    writeFileSync(net, procRule(`  sel:\n    DestinationIp|cidr: '10.0.0.0/8'\n  condition: sel`));
    const kql = cli(['convert', net, '--to', 'kql', '--json']);
    assert.equal(JSON.parse(kql.stderr.split('\n')[0]).status, 'not-convertible', kql.stderr);
    assert.deepEqual(readdirSync(out), ['11111111-1111-1111-1111-111111111111.sql']);
    const ch = cli(['convert', rules, '--to', 'clickhouse', '--json']);
    assert.equal(JSON.parse(ch.stderr.split('\n').find((l) => l.startsWith('{'))!).status, 'converted', ch.stderr);
    assert.match(ch.stdout, /whoami\.exe/);
    const bad = cli(['convert', rules, '--to', 'cobol']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown target 'cobol'/);
    const eql = cli(['convert', rules, '--to', 'eql']);
    assert.match(eql.stdout, /whoami\.exe/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hunt runs Elastic rules (.toml) next to Sigma ones, with the alerts scan prints', () => {
  const { dir, rules, events } = setup();
  try {
    writeFileSync(join(rules, 'c-elastic.toml'), `[metadata]\ncreation_date = "2026/01/01"\nmaturity = "production"\n\n[rule]\nauthor = ["t"]\ndescription = "t"\nname = "Whoami (Elastic)"\nrisk_score = 21\nrule_id = "33333333-3333-3333-3333-333333333333"\nseverity = "low"\ntags = ["OS: Windows"]\ntype = "eql"\nlanguage = "eql"\nindex = ["logs-windows.sysmon_operational-*"]\nquery = '''\nprocess where process.name : "WHOAMI.exe"\n'''\n`);
    const store = `duckdb:${join(dir, 's.duckdb')}`;
    assert.equal(cli(['ingest', events, '--store', store]).status, 0);
    const h = cli(['hunt', '--store', store, '--rules', join(rules, 'c-elastic.toml'), '--format', 'jsonl', '--json']);
    assert.equal(h.status, 0, h.stderr);
    const s = cli(['scan', events, '--rules', join(rules, 'c-elastic.toml'), '--format', 'jsonl']);
    const parse = (out: string): unknown[] => out.trim().split('\n').map((l) => JSON.parse(l));
    const alerts = parse(h.stdout) as Array<{ rule: { source: string } }>;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].rule.source, 'elastic');
    assert.deepEqual(alerts, parse(s.stdout));
    assert.equal(JSON.parse(h.stderr.trim().split('\n').pop()!).rules_run, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hunt on a store made before ECS documents were kept: each Elastic rule reported once with the reason', async () => {
  const { dir, rules } = setup();
  try {
    writeFileSync(join(rules, 'c-elastic.toml'), `[metadata]\ncreation_date = "2026/01/01"\nmaturity = "production"\n\n[rule]\nauthor = ["t"]\ndescription = "t"\nname = "E"\nrisk_score = 21\nrule_id = "33333333-3333-3333-3333-333333333333"\nseverity = "low"\ntype = "query"\nlanguage = "kuery"\nquery = "process.name : x"\n`);
    const path = join(dir, 'old.duckdb');
    const { openDb } = await import('../../src/store/db.js');
    const db = await openDb(path);
    await db.conn.run('CREATE TABLE events (file VARCHAR, seq BIGINT, fields MAP(VARCHAR, VARCHAR))');
    db.close();
    const h = cli(['hunt', '--store', `duckdb:${path}`, '--rules', join(rules, 'c-elastic.toml'), '--format', 'jsonl', '--json']);
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stderr, /c-elastic\.toml: store-without-ecs: E: this store was filled before ingest kept ECS documents/);
    assert.deepEqual(JSON.parse(h.stderr.trim().split('\n').pop()!).skipped_by_reason, { 'store-without-ecs': 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
