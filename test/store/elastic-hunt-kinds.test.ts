/**
 * Elastic rules in hunt, one small case per rule kind (KQL query, EQL event query, EQL sequence with
 * by/maxspan/until, threshold, new_terms), on ECS documents written here: the alerts of `hunt` on a
 * DuckDB store are the expected ones, and the same, field for field, as the scan's Elastic runner's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/engine/alert.js';
import { LEVEL_ORDER } from '../../src/engine/alert.js';
import { ElasticRunner } from '../../src/engine/elastic/runner.js';
import { readEventFile } from '../../src/events/read.js';
import { parseElasticText } from '../../src/formats/elastic/load.js';
import type { Rule } from '../../src/model/index.js';
import { openDb } from '../../src/store/db.js';
import { hunt } from '../../src/store/duckdb/hunt.js';
import { ingest } from '../../src/store/duckdb/ingest.js';
import type { HuntSummary } from '../../src/store/types.js';

function rule(id: string, body: string): Rule {
  const text = `[metadata]\ncreation_date = "2026/01/01"\nmaturity = "production"\n\n[rule]\nauthor = ["t"]\ndescription = "t"\nname = "${id}"\nrisk_score = 21\nrule_id = "${id}"\nseverity = "low"\ntags = ["OS: Windows"]\n${body}\n`;
  const r = parseElasticText(text, `${id}.toml`).rules[0];
  assert.ok(r, `rule ${id} parses`);
  return r;
}

/** An ECS document with a record id (winlog.record_id) and a time (seconds after 10:00:00). */
function doc(recordId: number, second: number, fields: Record<string, unknown>): Record<string, unknown> {
  const t = new Date(Date.UTC(2026, 0, 5, 10, 0, 0) + second * 1000).toISOString();
  return { '@timestamp': t, host: { name: 'ws1', id: 'ws1', os: { type: 'windows' } }, winlog: { record_id: recordId, channel: 'Microsoft-Windows-Sysmon/Operational' }, ...fields };
}

interface Both {
  hunt: Alert[];
  scan: Alert[];
  summary: HuntSummary;
  skipped: string[];
}

async function bothWays(rules: Rule[], docs: Array<Record<string, unknown>>, since?: string, minLevel?: string): Promise<Both> {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-ehunt-kinds-'));
  try {
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
    const db = await openDb(':memory:');
    const out: Alert[] = [];
    const skipped: string[] = [];
    let summary: HuntSummary;
    try {
      const s = await ingest(db.conn, [file]);
      assert.equal(s.events, docs.length);
      summary = await hunt(db.conn, { detections: [], correlations: [], filters: [], elastic: rules, problems: [], files: 0 }, {
        since,
        minLevel,
        onAlert: (a) => out.push(a),
        onSkip: (r, reason, message) => skipped.push(`${r.id}: ${reason}: ${message}`),
      });
    } finally {
      db.close();
    }
    const scanned: Alert[] = [];
    const runner = new ElasticRunner(rules, (a) => scanned.push(a), (p) => assert.fail(p.message), minLevel ? LEVEL_ORDER[minLevel] : undefined);
    for await (const batch of readEventFile(file, () => {})) for (const rec of batch) if (!since || (rec.timestamp ?? '') >= since) runner.push(rec);
    runner.finish();
    return { hunt: out, scan: scanned, summary, skipped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ids = (alerts: Alert[]): Array<[string, Array<number | null>]> => alerts.map((a) => [a.rule.id, (a.events ?? [a.event]).map((e) => e.record_id)]);
const byRule = (alerts: Alert[]): Alert[] => [...alerts].sort((a, b) => (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0));

test('KQL query rule: case, numbers as numbers (a pid written "0x200" is 512 to the scan), not', async () => {
  const r = rule('kql', `type = "query"\nlanguage = "kuery"\nquery = '''\nprocess.name : "cmd.exe" and process.pid > 100 and not user.name : "SYSTEM"\n'''`);
  const docs = [
    doc(1, 0, { process: { name: 'cmd.exe', pid: 4242 }, user: { name: 'bob' } }),
    doc(2, 1, { process: { name: 'cmd.exe', pid: 50 }, user: { name: 'bob' } }),
    doc(3, 2, { process: { name: 'cmd.exe', pid: '0x200' }, user: { name: 'bob' } }),
    doc(4, 3, { process: { name: 'cmd.exe', pid: 4243 }, user: { name: 'SYSTEM' } }),
    doc(5, 4, { process: { name: 'notepad.exe', pid: 4244 }, user: { name: 'bob' } }),
    doc(6, 5, { process: { name: 'cmd.exe', pid: 4245 } }),
  ];
  const b = await bothWays([r], docs);
  assert.deepEqual(b.skipped, []);
  assert.deepEqual(ids(b.hunt), [['kql', [1]], ['kql', [3]], ['kql', [6]]]);
  assert.deepEqual(b.hunt, b.scan);
  assert.equal(b.summary.rules_run, 1);
  assert.equal(b.hunt[0].rule.source, 'elastic');
  assert.equal(b.hunt[0].matched['process.pid'], '4242');
});

test('EQL event query: `:` lists and wildcards, == on a number against a numeric string, a function the SQL cannot print', async () => {
  const r = rule('eql-event', `type = "eql"\nlanguage = "eql"\nquery = '''\nprocess where process.name : ("cmd.exe", "pwsh*") and process.parent.pid == 4 and length(process.name) >= 7\n'''`);
  const docs = [
    doc(1, 0, { event: { category: ['process'] }, process: { name: 'CMD.EXE', parent: { pid: 4 } } }),
    doc(2, 1, { event: { category: ['process'] }, process: { name: 'pwsh.exe', parent: { pid: '4' } } }),
    doc(3, 2, { event: { category: ['process'] }, process: { name: 'cmd.exe', parent: { pid: 5 } } }),
    doc(4, 3, { event: { category: ['file'] }, process: { name: 'cmd.exe', parent: { pid: 4 } } }),
    doc(5, 4, { event: { category: ['process'] }, process: { name: 'pwsh', parent: { pid: 4 } } }),
  ];
  const b = await bothWays([r], docs);
  assert.deepEqual(b.skipped, []);
  assert.deepEqual(ids(b.hunt), [['eql-event', [1]], ['eql-event', [2]]]);
  assert.deepEqual(b.hunt, b.scan);
});

test('EQL sequence: by, maxspan (inclusive, from the first event), until, a missing join key', async () => {
  const r = rule('eql-seq', `type = "eql"\nlanguage = "eql"\nquery = '''\nsequence by host.id with maxspan=5s\n  [process where process.name == "a.exe"] by process.entity_id\n  [network where destination.port == 445] by process.entity_id\nuntil [process where event.type == "end"] by process.entity_id\n'''`);
  const proc = (id: number, s: number, host: string, entity: string | undefined, type = 'start'): Record<string, unknown> =>
    ({ ...doc(id, s, { event: { category: ['process'], type: [type] }, process: { name: 'a.exe', ...(entity ? { entity_id: entity } : {}) } }), host: { id: host, name: host, os: { type: 'windows' } } });
  const net = (id: number, s: number, host: string, entity: string): Record<string, unknown> =>
    ({ ...doc(id, s, { event: { category: ['network'] }, destination: { port: 445 }, process: { name: 'a.exe', entity_id: entity } }), host: { id: host, name: host, os: { type: 'windows' } } });
  const docs = [
    proc(1, 0, 'h1', 'p1'), net(2, 5, 'h1', 'p1'), // exactly 5 s: a sequence
    proc(3, 10, 'h2', 'p2'), net(4, 16, 'h2', 'p2'), // 6 s: too late
    proc(5, 20, 'h3', 'p3'), proc(6, 21, 'h3', 'p3', 'end'), net(7, 22, 'h3', 'p3'), // ended by until
    proc(8, 30, 'h4', 'p4'), net(9, 31, 'h5', 'p4'), // another host
    proc(10, 40, 'h6', undefined), net(11, 41, 'h6', 'p6'), // no join key on the first event
  ];
  const b = await bothWays([r], docs);
  assert.deepEqual(b.skipped, []);
  assert.deepEqual(ids(b.hunt), [['eql-seq', [1, 2]]]);
  assert.deepEqual(b.hunt, b.scan);
});

test('threshold and new_terms rules: the SQL filters, the scan aggregators count and remember', async () => {
  const th = rule('threshold', `type = "threshold"\nlanguage = "kuery"\nquery = '''\nevent.code : "4625"\n'''\n[rule.threshold]\nfield = ["user.name"]\nvalue = 3`);
  const nt = rule('new-terms', `type = "new_terms"\nlanguage = "kuery"\nquery = '''\nevent.code : "4624"\n'''\n[rule.new_terms]\nfield = "new_terms_fields"\nvalue = ["source.ip"]\n[[rule.new_terms.history_window_start]]\nfield = "history_window_start"\nvalue = "now-1h"`);
  const fail = (id: number, s: number, user: string): Record<string, unknown> => doc(id, s, { event: { code: '4625' }, user: { name: user } });
  const ok = (id: number, s: number, ip: string): Record<string, unknown> => doc(id, s, { event: { code: '4624' }, source: { ip } });
  const docs = [
    fail(1, 0, 'bob'), fail(2, 10, 'alice'), fail(3, 20, 'bob'), ok(4, 25, '10.0.0.1'), fail(5, 30, 'bob'), fail(6, 40, 'alice'),
    ok(7, 50, '10.0.0.1'), ok(8, 60, '10.0.0.2'), ok(9, 7300, '10.0.0.1'),
  ];
  const b = await bothWays([th, nt], docs);
  assert.deepEqual(b.skipped, []);
  assert.deepEqual(ids(byRule(b.hunt)), [['new-terms', [4]], ['new-terms', [8]], ['new-terms', [9]], ['threshold', [5]]]);
  assert.deepEqual(byRule(b.hunt), byRule(b.scan));
  assert.equal(b.hunt.find((a) => a.rule.id === 'threshold')?.threshold?.count, 3);
});

test('--since applies to Elastic rules', async () => {
  const r = rule('kql-since', `type = "query"\nlanguage = "kuery"\nquery = '''\nprocess.name : "cmd.exe"\n'''`);
  const docs = [doc(1, 0, { process: { name: 'cmd.exe' } }), doc(2, 100, { process: { name: 'cmd.exe' } })];
  const b = await bothWays([r], docs, '2026-01-05T10:01:00');
  assert.deepEqual(ids(b.hunt), [['kql-since', [2]]]);
  assert.deepEqual(b.hunt, b.scan);
});

test('--min-level: an Elastic rule below it does not run', async () => {
  const r = rule('kql-low', `type = "query"\nlanguage = "kuery"\nquery = '''\nprocess.name : "cmd.exe"\n'''`);
  const docs = [doc(1, 0, { process: { name: 'cmd.exe' } })];
  const low = await bothWays([r], docs, undefined, 'low');
  assert.deepEqual(ids(low.hunt), [['kql-low', [1]]]);
  const high = await bothWays([r], docs, undefined, 'high');
  assert.deepEqual(high.hunt, []);
  assert.deepEqual(high.scan, []);
  assert.equal(high.summary.rules_run, 0);
});
