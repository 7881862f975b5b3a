/**
 * hunt's `matched.keywords` is scan's (engine/file-scan.ts toAlert): the rule's plain positive
 * keywords found in the event, case-insensitively, as written, in the rule's order, after the
 * fields; a keyword only a negated branch reads is not listed, nor one the event lacks. Checked on
 * DuckDB (grouped and per-event statements) and on a 2-shard ClickHouse cluster (per-shard
 * statements, the Distributed table, route groups off, shards evaluating their own routes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertRows, cli } from '../../helpers/cli.js';
import { clusterAndDir, requireCluster } from '../../helpers/clickhouse.js';
import { loadRules } from '../../../src/engine/rules.js';
import type { Alert } from '../../../src/engine/alert.js';
import { runHunt } from '../../../src/store/hunt-loop.js';
import { duckdbDialect } from '../../../src/store/duckdb/hunt.js';
import { openDb } from '../../../src/store/db.js';
import { spreadEventTexts } from '../../../src/store/duckdb/batch-rows.js';
import { clickhouseDialect } from '../../../src/store/clickhouse/hunt.js';
import { chClient, parseChUrl } from '../../../src/store/clickhouse/client.js';

const ctx = clusterAndDir('detectory-hunt-keywords-');

function event(record: number, data: Record<string, string>): string {
  return JSON.stringify({
    Event: {
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 1, EventRecordID: record,
        TimeCreated: { '#attributes': { SystemTime: `2026-11-20T08:00:0${record % 10}.0000000Z` } },
        Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'WS-1.corp.example',
      },
      EventData: { User: 'CORP\\alice', ParentCommandLine: 'explorer.exe', ...data },
    },
  });
}

const RULE_HEAD = (id: string, title: string): string => `title: ${title}
id: ${id}
status: test
logsource:
  product: windows
  category: process_creation
level: high
`;

// Keywords written in another case than the events hold, one no event holds, one (powershell)
// that the event holds but only a negated branch reads.
const KEYWORDS = `${RULE_HEAD('0d1b7c3e-5a9f-4c1e-9b2d-000000000001', 'Keyword Listing')}detection:
  keywords:
    - 'SekurLSA'
    - 'absent-keyword-zz'
    - 'mimikatz'
    - 'LOGONPASSWORDS'
  negated_kw:
    - 'powershell'
  negated_sel:
    User: 'NOBODY\\nobody'
  condition: keywords and not (negated_kw and negated_sel)
`;

// Fields first, then the keywords.
const MIXED = `${RULE_HEAD('0d1b7c3e-5a9f-4c1e-9b2d-000000000002', 'Fields And Keywords')}detection:
  selection:
    Image|endswith: '.exe'
  keywords:
    - 'Coffee'
    - 'tea-absent'
  condition: selection and keywords
`;

const EVENTS = [
  event(2001, { Image: 'C:\\Tools\\Mimikatz.exe', CommandLine: 'Mimikatz.exe "privilege::debug" "sekurlsa::logonpasswords" exit', ParentCommandLine: 'powershell.exe -nop' }),
  event(2002, { Image: 'C:\\Tools\\MIMIKATZ.EXE', CommandLine: 'MIMIKATZ.EXE COFFEE' }),
  event(2003, { Image: 'C:\\Windows\\notepad.exe', CommandLine: 'notepad.exe' }),
  // The negated branch holds: no alert.
  event(2004, { Image: 'C:\\Tools\\x.exe', CommandLine: 'x.exe sekurlsa', User: 'NOBODY\\nobody', ParentCommandLine: 'powershell.exe' }),
];

/** rule id, record id -> matched, as the rules say. */
const EXPECTED = [
  ['0d1b7c3e-5a9f-4c1e-9b2d-000000000001', 2001, { keywords: ['SekurLSA', 'mimikatz', 'LOGONPASSWORDS'] }],
  ['0d1b7c3e-5a9f-4c1e-9b2d-000000000001', 2002, { keywords: ['mimikatz'] }],
  ['0d1b7c3e-5a9f-4c1e-9b2d-000000000002', 2002, { Image: 'C:\\Tools\\MIMIKATZ.EXE', keywords: ['Coffee'] }],
].map((x) => JSON.stringify(x)).sort();

const summary = (alerts: Alert[]): string[] => alerts.map((a) => JSON.stringify([a.rule.id, a.event.record_id, a.matched])).sort();

test('hunt lists the keywords scan lists, on DuckDB and ClickHouse, on every statement path', async (t) => {
  if (!requireCluster(t, ctx.cluster)) return;
  const events = join(ctx.dir, 'events.jsonl');
  writeFileSync(events, EVENTS.join('\n') + '\n');
  const rules = join(ctx.dir, 'rules');
  mkdirSync(rules);
  writeFileSync(join(rules, 'keywords.yml'), KEYWORDS);
  writeFileSync(join(rules, 'mixed.yml'), MIXED);
  const duckPath = join(ctx.dir, 'e.duckdb');
  const duck = `duckdb:${duckPath}`;
  for (const store of [duck, ctx.cluster!.url]) {
    const r = cli(['ingest', events, '--store', store]);
    assert.equal(r.status, 0, r.stderr);
  }

  // Printed alerts: scan's rows are hunt's on every store and statement path.
  const rows = (args: string[]): string[] => alertRows(args, rules);
  const scan = rows(['scan', events]);
  assert.deepEqual(summary(scan.map((l) => JSON.parse(l) as Alert)), EXPECTED, 'scan lists the keywords the issue says');
  for (const store of [duck, ctx.cluster!.url, `${ctx.cluster!.url}?route_groups=0`, `${ctx.cluster!.url}?shared_evaluation=0`]) {
    assert.deepEqual(rows(['hunt', '--store', store]), scan, `hunt over ${store} prints scan's rows`);
  }

  const set = loadRules([rules]);
  const collect = async (run: (opts: { onAlert(a: Alert): void; onSkip(r: unknown, reason: string, message: string): void }) => Promise<unknown>): Promise<string[]> => {
    const alerts: Alert[] = [];
    await run({ onAlert: (a) => alerts.push(a), onSkip: (_r, reason, message) => { throw new Error(`${reason}: ${message}`); } });
    return summary(alerts);
  };
  // DuckDB: every event evaluated (no grouping by value combination), rows read whole (no stream).
  const db = await openDb(duckPath, { readOnly: true });
  try {
    for (const dedup of [true, false]) {
      const dialect = duckdbDialect(db.conn, { dedup });
      const got = await collect((opts) => runHunt({ ...dialect, stream: undefined }, async (sql) => (await db.conn.runAndReadAll(sql)).getRowObjectsJson().map(spreadEventTexts), set, opts));
      assert.deepEqual(got, EXPECTED, `DuckDB, dedup ${dedup}`);
    }
  } finally {
    db.close();
  }
  // ClickHouse: the batch statements over the Distributed table (no shard reached directly).
  const client = chClient(parseChUrl(ctx.cluster!.url));
  try {
    const got = await collect((opts) => runHunt(clickhouseDialect(client), async (sql) => (await client.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, unknown>>(), set, opts));
    assert.deepEqual(got, EXPECTED, 'ClickHouse over the Distributed table');
  } finally {
    await client.close();
  }
});
