/**
 * The ClickHouse backend, leaf by leaf, on a real 2-shard cluster: each rule runs as SQL over the
 * cluster, as SQL over DuckDB and through the compiled matcher; all three must give the expected
 * events. Rule values with quotes, backslashes, LIKE wildcards, NUL and very long text (60k
 * characters) are matched literally, never as SQL.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { procRule, rule, sysmon1 } from '../../helpers/sigma.js';
import { bothWays } from '../../helpers/store.js';
import { requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';
import { openEventStore, type EventStore } from '../../../src/store/event-store.js';
import { chString, printClickhouse } from '../../../src/backends/clickhouse/index.js';
import { pred } from '../../../src/model/index.js';

const LONG = 'A'.repeat(60000);
const VALUES = [
  "it's", 'C:\\Windows\\System32\\cmd.exe', '100%', 'a_b', 'axb', 'nul\0byte', 'back\\slash\\', LONG, "'; DROP TABLE events; --",
  'x\\*y', 'x*y', 'ÄBC', 'line1\nline2', '10.1.2.3', '::ffff:10.1.2.3', 'fe80::1%eth0', '2001:db8::5', '192.168.1.300',
  "\\'; SELECT 1; --", 'HELLO world', 'ABC', 'c:\\system32', 'c:\tsystem32',
];
const EVENTS = VALUES.map((v, i) => sysmon1({ CommandLine: v, Image: `C:\\x\\${i}.exe`, User: i % 2 ? 'CORP\\bob' : `C:\\x\\${i}.exe` }, { EventRecordID: i + 1 }));
const ids = (...values: string[]): string[] => values.map((v) => `11111111-1111-1111-1111-111111111111#${VALUES.indexOf(v) + 1}`).sort();

let cluster: TestCluster | undefined;
let store: EventStore | undefined;
let dir: string;

before(async () => {
  cluster = await startTestCluster();
  if (!cluster) return;
  dir = mkdtempSync(join(tmpdir(), 'detectory-chp-'));
  writeFileSync(join(dir, 'events.jsonl'), EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n');
  store = await openEventStore(cluster.url);
  const s = await store.ingest([join(dir, 'events.jsonl')]);
  assert.equal(s.events, EVENTS.length);
});

after(async () => {
  await store?.close();
  await cluster?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function expectHits(t: TestContext, detection: string, expected: string[]): Promise<void> {
  if (!requireCluster(t, cluster)) return;
  const r = rule(procRule(detection));
  const both = await bothWays([r], EVENTS);
  const ch = new Set<string>();
  const skipped: string[] = [];
  await store!.hunt({ detections: [r], correlations: [], filters: [], elastic: [], problems: [], files: 0 }, {
    onAlert: (a) => ch.add(`${a.rule.id}#${a.event.record_id}`),
    onSkip: (x, reason, message) => skipped.push(`${reason}: ${message}`),
  });
  assert.deepEqual(skipped, []);
  assert.deepEqual([...both.engine].sort(), expected, 'engine');
  assert.deepEqual([...both.sql].sort(), expected, 'duckdb');
  assert.deepEqual([...ch].sort(), expected, 'clickhouse');
}

describe('clickhouse backend: values are literals (2-shard cluster, DuckDB and the engine agree)', () => {
  test('a quote, an injection attempt, an escaped quote', async (t) => {
    await expectHits(t, `  sel:\n    CommandLine: "it's"\n  condition: sel`, ids("it's"));
    await expectHits(t, `  sel:\n    CommandLine|contains: "'; DROP TABLE events"\n  condition: sel`, ids("'; DROP TABLE events; --"));
    await expectHits(t, `  sel:\n    CommandLine|startswith: "\\\\'; SELECT"\n  condition: sel`, ids("\\'; SELECT 1; --"));
  });
  test('backslashes in equality, contains, endswith and globs (LIKE doubling)', async (t) => {
    await expectHits(t, `  sel:\n    CommandLine|endswith: '\\System32\\cmd.exe'\n  condition: sel`, ids('C:\\Windows\\System32\\cmd.exe'));
    await expectHits(t, `  sel:\n    CommandLine|endswith: 'slash\\'\n  condition: sel`, ids('back\\slash\\'));
    await expectHits(t, `  sel:\n    CommandLine: '*\\system32'\n  condition: sel`, ids('c:\\system32'));
    await expectHits(t, `  sel:\n    CommandLine: 'C:\\Windows\\Sys*\\cmd.exe'\n  condition: sel`, ids('C:\\Windows\\System32\\cmd.exe'));
  });
  test('% and _ match themselves in globs', async (t) => {
    await expectHits(t, `  sel:\n    CommandLine: '100%'\n  condition: sel`, ids('100%'));
    await expectHits(t, `  sel:\n    CommandLine: 'a_*'\n  condition: sel`, ids('a_b'));
    await expectHits(t, `  sel:\n    CommandLine: '*0%'\n  condition: sel`, ids('100%'));
  });
  test('escaped wildcard is a literal star; a plain one is a wildcard', async (t) => {
    await expectHits(t, `  sel:\n    CommandLine: 'x\\*y'\n  condition: sel`, ids('x*y'));
    await expectHits(t, `  sel:\n    CommandLine: 'x*y'\n  condition: sel`, ids('x\\*y', 'x*y'));
  });
  test('NUL inside a value, alone and among many literals', async (t) => {
    await expectHits(t, `  sel:\n    CommandLine|contains: "nul\\0b"\n  condition: sel`, ids('nul\0byte'));
    await expectHits(t, `  sel:\n    CommandLine|contains:\n      - "nul\\0b"\n      - zz1\n      - zz2\n      - zz3\n  condition: sel`, ids('nul\0byte'));
  });
  test('a 60k-character value', async (t) => {
    await expectHits(t, `  sel:\n    CommandLine: '${LONG}'\n  condition: sel`, ids(LONG));
    await expectHits(t, `  sel:\n    CommandLine|contains: '${LONG.slice(1)}'\n  condition: sel`, ids(LONG));
  });
  test('keywords, many literals (one alternation), case folding', async (t) => {
    await expectHits(t, `  kw:\n    - 'DROP TABLE'\n  condition: kw`, ids("'; DROP TABLE events; --"));
    await expectHits(t, `  sel:\n    CommandLine|contains:\n      - 'äb'\n      - 'zz1'\n      - 'zz2'\n      - 'a.b'\n      - '(x)'\n  condition: sel`, ids('ÄBC'));
    await expectHits(t, `  sel:\n    CommandLine|contains|cased: 'äb'\n  condition: sel`, []);
  });
  test('regex: flags as a group, a leading (?i) the store would misread (trap 1)', async (t) => {
    await expectHits(t, `  sel:\n    CommandLine|re: '^line1$'\n  condition: sel`, []);
    await expectHits(t, `  sel:\n    CommandLine|re|m: '^line2$'\n  condition: sel`, ids('line1\nline2'));
    await expectHits(t, `  sel:\n    CommandLine|re|i: 'hello world'\n  condition: sel`, ids('HELLO world'));
    await expectHits(t, `  sel:\n    CommandLine|re: '(?i)hello world'\n  condition: sel`, ids('HELLO world'));
  });
  test('cidr (IPv4, IPv6, mapped), fieldref, exists, null, not', async (t) => {
    await expectHits(t, `  sel:\n    CommandLine|cidr: '10.0.0.0/8'\n  condition: sel`, ids('10.1.2.3', '::ffff:10.1.2.3'));
    await expectHits(t, `  sel:\n    CommandLine|cidr:\n      - 'fe80::/10'\n      - '2001:db8::/32'\n  condition: sel`, ids('fe80::1%eth0', '2001:db8::5'));
    await expectHits(t, `  sel:\n    CommandLine|cidr: '192.168.0.0/16'\n  condition: sel`, []);
    const even = VALUES.filter((_, i) => i % 2 === 0);
    await expectHits(t, `  sel:\n    User|fieldref: Image\n  condition: sel`, ids(...even));
    await expectHits(t, `  sel:\n    Missing|exists: true\n  condition: sel`, []);
    await expectHits(t, `  sel:\n    Missing: null\n  condition: sel`, ids(...VALUES));
    await expectHits(t, `  sel:\n    Missing|contains: x\n  condition: not sel`, ids(...VALUES));
    await expectHits(t, `  sel:\n    User|fieldref: Image\n  condition: not sel`, ids(...VALUES.filter((_, i) => i % 2 === 1)));
  });
});

describe('clickhouse backend: printing', () => {
  test('string literals escape backslash, quote and NUL', () => {
    assert.equal(chString("a'b\\c\0d"), "'a\\'b\\\\c\\0d'");
  });
  test('regexes never take the store\'s literal shortcut; an unknown condition is refused', () => {
    assert.match(printClickhouse(pred('CommandLine', 'regex_match', ['abc'])), /match\(f_CommandLine, '\(\?:abc\)\|\[\^\\\\x00-\\\\x\{10FFFF\}\]'\)/);
    assert.throws(() => printClickhouse({ kind: 'unknown', text: 'x', reason: 'y' }), /unknown condition/);
  });
});
