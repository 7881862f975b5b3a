/**
 * Elastic rules on a real 2-shard ClickHouse cluster, value by value: rule values with quotes,
 * backslashes, LIKE wildcards (`%`, `_`), NUL and SQL text match literally, never as SQL, and
 * `hunt` on the cluster, `hunt` on DuckDB and the scan's Elastic runner give the same, expected
 * events. A store whose tables were made before the ECS columns ingests and hunts its Sigma rules
 * as before and skips Elastic rules with a reason.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert } from '../../../src/engine/alert.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { readEventFile } from '../../../src/events/read.js';
import { parseElasticText } from '../../../src/formats/elastic/load.js';
import type { Rule } from '../../../src/model/index.js';
import { openDb } from '../../../src/store/db.js';
import { hunt as duckHunt } from '../../../src/store/duckdb/hunt.js';
import { ingest as duckIngest } from '../../../src/store/duckdb/ingest.js';
import { openEventStore } from '../../../src/store/event-store.js';
import { distributedDdl, ECS_COLUMNS, localDdl } from '../../../src/store/clickhouse/schema.js';
import { CLUSTER_NAME } from '../../../src/cluster/config.js';
import { chElasticWhere } from '../../../src/backends/clickhouse/elastic-query.js';
import { procRule, rule as sigmaRule, sysmon1 } from '../../helpers/sigma.js';
import { chRows, ingestedCluster, requireCluster } from '../../helpers/clickhouse.js';
import { filterTrees } from '../../../src/store/elastic-hunt.js';

const LONG = 'B'.repeat(20000);
const VALUES = [
  "it's", 'C:\\Windows\\System32\\cmd.exe', '100%', '1000', 'a_b', 'axb', 'nul\0byte', 'nulxbyte', 'back\\slash\\', "'; DROP TABLE events; --",
  "\\'; SELECT 1; --", 'x*y', 'x\\*y', 'line1\nline2', LONG, 'c:\\system32',
];

function doc(i: number, v: string): Record<string, unknown> {
  const t = new Date(Date.UTC(2026, 0, 5, 10, 0, 0) + i * 1000).toISOString();
  return { '@timestamp': t, event: { category: ['process'], type: ['start'] }, host: { name: 'ws1', id: 'ws1', os: { type: 'windows' } }, winlog: { record_id: i + 1, channel: 'Microsoft-Windows-Sysmon/Operational' }, process: { name: 'x.exe', command_line: v } };
}

function elasticRule(id: string, language: 'eql' | 'kuery', query: string): Rule {
  const type = language === 'eql' ? 'eql' : 'query';
  const text = `[metadata]\ncreation_date = "2026/01/01"\nmaturity = "production"\n\n[rule]\nauthor = ["t"]\ndescription = "t"\nname = "${id}"\nrisk_score = 21\nrule_id = "${id}"\nseverity = "low"\ntags = ["OS: Windows"]\ntype = "${type}"\nlanguage = "${language}"\nquery = '''\n${query}\n'''\n`;
  const r = parseElasticText(text, `${id}.toml`).rules[0];
  assert.ok(r, `rule ${id} parses`);
  return r;
}

const stored = ingestedCluster('events.ndjson', () => VALUES.map((v, i) => JSON.stringify(doc(i, v))));

const recordIds = (alerts: Alert[]): number[] => alerts.map((a) => Number(a.event.record_id)).sort((a, b) => a - b);
const idsOf = (...values: string[]): number[] => values.map((v) => VALUES.indexOf(v) + 1).sort((a, b) => a - b);

/** The rule's events on the cluster, on DuckDB and by the scan: all three must be `expected`. */
async function expectHits(t: TestContext, r: Rule, expected: number[]): Promise<void> {
  if (!requireCluster(t, stored.cluster)) return;
  const set = { detections: [], correlations: [], filters: [], elastic: [r], problems: [], files: 0 };
  const ch: Alert[] = [];
  const skipped: string[] = [];
  await stored.store!.hunt(set, { onAlert: (a) => ch.push(a), onSkip: (_, reason, message) => skipped.push(`${reason}: ${message}`) });
  assert.deepEqual(skipped, []);
  const db = await openDb(':memory:');
  const duck: Alert[] = [];
  const duckSkipped: string[] = [];
  try {
    await duckIngest(db.conn, [stored.file]);
    await duckHunt(db.conn, set, { onAlert: (a) => duck.push(a), onSkip: (_, reason, message) => duckSkipped.push(`${reason}: ${message}`) });
  } finally {
    db.close();
  }
  const scan: Alert[] = [];
  const runner = new ElasticRunner([r], (a) => scan.push(a), (p) => assert.fail(p.message));
  for await (const batch of readEventFile(stored.file, () => {})) for (const rec of batch) runner.push(rec);
  runner.finish();
  assert.deepEqual(duckSkipped, []);
  assert.deepEqual(recordIds(scan), expected, 'scan');
  assert.deepEqual(recordIds(duck), expected, 'duckdb');
  assert.deepEqual(recordIds(ch), expected, 'clickhouse');
  // The SQL alone (before the scan's runner looks at its rows) selects exactly these events: a value
  // read as SQL, or a `%`/`_` read as a LIKE wildcard, would select others or none.
  const where = chElasticWhere(filterTrees(r), 'all', { lists: 'all', typed: 'all' });
  const rows = await chRows<{ id: number }>(stored.cluster!.url, `SELECT record_id AS id FROM events WHERE has_ecs = 1 AND (${where})`);
  assert.deepEqual(rows.map((x) => Number(x.id)).sort((a, b) => a - b), expected, 'the SQL selects exactly the expected events');
}

describe('clickhouse: Elastic rule values are literals (2-shard cluster; DuckDB and scan agree)', () => {
  test('quotes and SQL text', async (t) => {
    await expectHits(t, elasticRule('q1', 'eql', `process where process.command_line == "it's"`), idsOf("it's"));
    await expectHits(t, elasticRule('q2', 'eql', `process where process.command_line : "*'; DROP TABLE events*"`), idsOf("'; DROP TABLE events; --"));
    await expectHits(t, elasticRule('q3', 'eql', `process where process.command_line == "\\\\'; SELECT 1; --"`), idsOf("\\'; SELECT 1; --"));
    await expectHits(t, elasticRule('q4', 'kuery', `process.command_line : "it's"`), idsOf("it's"));
  });
  test('backslashes, in equality and in wildcards', async (t) => {
    await expectHits(t, elasticRule('b1', 'eql', `process where process.command_line == "C:\\\\Windows\\\\System32\\\\cmd.exe"`), idsOf('C:\\Windows\\System32\\cmd.exe'));
    await expectHits(t, elasticRule('b2', 'eql', `process where process.command_line == "back\\\\slash\\\\"`), idsOf('back\\slash\\'));
    await expectHits(t, elasticRule('b3', 'eql', `process where process.command_line : "*\\\\system32"`), idsOf('c:\\system32'));
    await expectHits(t, elasticRule('b4', 'eql', `process where process.command_line : "C:\\\\Windows\\\\Sys*"`), idsOf('C:\\Windows\\System32\\cmd.exe'));
    await expectHits(t, elasticRule('b5', 'eql', `process where process.command_line : "C:\\\\Windows\\\\*\\\\cmd.exe"`), idsOf('C:\\Windows\\System32\\cmd.exe'));
  });
  test('% and _ match themselves', async (t) => {
    await expectHits(t, elasticRule('p1', 'eql', `process where process.command_line == "100%"`), idsOf('100%'));
    await expectHits(t, elasticRule('p2', 'eql', `process where process.command_line : "*0%"`), idsOf('100%'));
    await expectHits(t, elasticRule('p3', 'eql', `process where process.command_line : "a_*"`), idsOf('a_b'));
    await expectHits(t, elasticRule('p4', 'kuery', `process.command_line : a_b`), idsOf('a_b'));
    // A wildcard inside the value: printed as LIKE, where `%` and `_` must be escaped.
    await expectHits(t, elasticRule('p5', 'eql', `process where process.command_line : "a_*b"`), idsOf('a_b'));
    await expectHits(t, elasticRule('p6', 'eql', `process where process.command_line : "1*%"`), idsOf('100%'));
  });
  test('NUL inside a value, alone and among several', async (t) => {
    await expectHits(t, elasticRule('n1', 'eql', `process where process.command_line == "nul\\0byte"`), idsOf('nul\0byte'));
    await expectHits(t, elasticRule('n2', 'eql', `process where process.command_line : ("*l\\0b*", "zz1", "zz2", "zz3", "zz4")`), idsOf('nul\0byte'));
  });
  test('a 20k-character value, a newline', async (t) => {
    await expectHits(t, elasticRule('l1', 'eql', `process where process.command_line == "${LONG}"`), idsOf(LONG));
    await expectHits(t, elasticRule('l2', 'eql', `process where process.command_line : "line1\\nline2"`), idsOf('line1\nline2'));
  });
  test('the printed SQL holds no rule value unescaped', () => {
    const r = elasticRule('s1', 'eql', `process where process.command_line == "a'b\\\\c\\0d"`);
    const sql = chElasticWhere([r.detection!], 'all', { lists: 'all', typed: new Set() });
    assert.ok(sql.includes("'a\\'b\\\\c\\0d'"), sql);
  });
});

test('a store made before the ECS columns: ingest and Sigma hunt work, Elastic rules are skipped with a reason', async (t) => {
  if (!requireCluster(t, stored.cluster)) return;
  const db = 'legacy';
  const ecs = `,\n      ${ECS_COLUMNS.map(([c, ty]) => `${c} ${ty}`).join(', ')}`;
  const ddl = [...localDdl(db).map((d) => d.replace(ecs, '')), ...distributedDdl(db, CLUSTER_NAME)];
  assert.ok(!ddl.some((d) => d.includes('ecs_keys')), 'the legacy schema has no ECS column');
  for (const s of stored.cluster!.shards) {
    for (const d of ddl) {
      const r = await fetch(`http://127.0.0.1:${s.http}/`, { method: 'POST', body: d });
      assert.ok(r.ok, await r.text());
    }
  }
  const legacy = await openEventStore(`clickhouse://127.0.0.1:${stored.cluster!.shards[0].http}/${db}`);
  try {
    const sysmon = join(stored.dir, 'sysmon.jsonl');
    writeFileSync(sysmon, JSON.stringify(sysmon1({ CommandLine: 'whoami /all', Image: 'C:\\w.exe' }, { EventRecordID: 7 })) + '\n');
    const ing = await legacy.ingest([stored.file, sysmon]);
    assert.equal(ing.failed, 0);
    assert.equal(ing.events, VALUES.length + 1);
    const alerts: Alert[] = [];
    const skipped: string[] = [];
    const s = await legacy.hunt({ detections: [sigmaRule(procRule(`  sel:\n    CommandLine|contains: whoami\n  condition: sel`))], correlations: [], filters: [], elastic: [elasticRule('e1', 'eql', `process where process.command_line == "it's"`)], problems: [], files: 0 }, {
      onAlert: (a) => alerts.push(a),
      onSkip: (r, reason, message) => skipped.push(`${r.id} ${reason}: ${message}`),
    });
    assert.deepEqual(alerts.map((a) => a.rule.source), ['sigma']);
    assert.equal(s.rules_run, 1);
    assert.deepEqual(s.skipped_by_reason, { 'store-without-ecs': 1 });
    assert.match(skipped[0], /^e1 store-without-ecs: this ClickHouse store was created before it kept ECS documents/);
  } finally {
    await legacy.close();
  }
});
