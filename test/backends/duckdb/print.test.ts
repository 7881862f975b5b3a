/**
 * The DuckDB backend, leaf by leaf: each rule runs as SQL over a store holding hostile values and
 * through the compiled matcher; both must give the expected events. Rule values with quotes,
 * backslashes, LIKE wildcards, NUL and very long text are matched literally, never as SQL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { procRule, rule, sysmon1 } from '../../helpers/sigma.js';
import { bothWays } from '../../helpers/store.js';
import { printDuckdb } from '../../../src/backends/duckdb/index.js';
import { globToLike, sqlString } from '../../../src/backends/duckdb/literal.js';
import { pred } from '../../../src/model/index.js';

const LONG = 'A'.repeat(20000);
const VALUES = [
  "it's", 'C:\\Windows\\System32\\cmd.exe', '100%', 'a_b', 'axb', 'nul\0byte', 'back\\slash\\', LONG, "'; DROP TABLE events; --",
  'x\\*y', 'x*y', 'ÄBC', 'line1\nline2', '10.1.2.3', '::ffff:10.1.2.3', 'fe80::1%eth0', '2001:db8::5', '192.168.1.300',
];
const EVENTS = VALUES.map((v, i) => sysmon1({ CommandLine: v, Image: `C:\\x\\${i}.exe`, User: i % 2 ? 'CORP\\bob' : `C:\\x\\${i}.exe` }, { EventRecordID: i + 1 }));
const ids = (...values: string[]): string[] => values.map((v) => `11111111-1111-1111-1111-111111111111#${VALUES.indexOf(v) + 1}`).sort();

async function expectHits(detection: string, expected: string[]): Promise<void> {
  const r = rule(procRule(detection));
  const v = await bothWays([r], EVENTS);
  assert.deepEqual(v.skipped, []);
  assert.deepEqual([...v.engine].sort(), expected, 'engine');
  assert.deepEqual([...v.sql].sort(), expected, 'sql');
}

describe('duckdb backend: values are literals', () => {
  test('a quote, an injection attempt', async () => {
    await expectHits(`  sel:\n    CommandLine: "it's"\n  condition: sel`, ids("it's"));
    await expectHits(`  sel:\n    CommandLine|contains: "'; DROP TABLE events"\n  condition: sel`, ids("'; DROP TABLE events; --"));
  });
  test('backslashes in equality, contains and endswith', async () => {
    await expectHits(`  sel:\n    CommandLine|endswith: '\\System32\\cmd.exe'\n  condition: sel`, ids('C:\\Windows\\System32\\cmd.exe'));
    await expectHits(`  sel:\n    CommandLine|endswith: 'slash\\'\n  condition: sel`, ids('back\\slash\\'));
  });
  test('% and _ match themselves in globs', async () => {
    await expectHits(`  sel:\n    CommandLine: '100%'\n  condition: sel`, ids('100%'));
    await expectHits(`  sel:\n    CommandLine: 'a_*'\n  condition: sel`, ids('a_b'));
    await expectHits(`  sel:\n    CommandLine: '*0%'\n  condition: sel`, ids('100%'));
  });
  test('escaped wildcard is a literal star; a plain one is a wildcard', async () => {
    await expectHits(`  sel:\n    CommandLine: 'x\\*y'\n  condition: sel`, ids('x*y'));
    await expectHits(`  sel:\n    CommandLine: 'x*y'\n  condition: sel`, ids('x\\*y', 'x*y'));
  });
  test('NUL inside a value', async () => {
    await expectHits(`  sel:\n    CommandLine|contains: "nul\\0b"\n  condition: sel`, ids('nul\0byte'));
  });
  test('a very long value', async () => {
    await expectHits(`  sel:\n    CommandLine: '${LONG}'\n  condition: sel`, ids(LONG));
  });
  test('keywords, many literals (one alternation), case folding', async () => {
    await expectHits(`  kw:\n    - 'DROP TABLE'\n  condition: kw`, ids("'; DROP TABLE events; --"));
    await expectHits(`  sel:\n    CommandLine|contains:\n      - 'äb'\n      - 'zz1'\n      - 'zz2'\n      - 'a.b'\n      - '(x)'\n  condition: sel`, ids('ÄBC'));
    await expectHits(`  sel:\n    CommandLine|contains|cased: 'äb'\n  condition: sel`, []);
  });
  test('regex, cidr (IPv4, IPv6, mapped), fieldref, exists, null', async () => {
    await expectHits(`  sel:\n    CommandLine|re: '^line1$'\n  condition: sel`, []);
    await expectHits(`  sel:\n    CommandLine|re|m: '^line2$'\n  condition: sel`, ids('line1\nline2'));
    await expectHits(`  sel:\n    CommandLine|cidr: '10.0.0.0/8'\n  condition: sel`, ids('10.1.2.3', '::ffff:10.1.2.3'));
    await expectHits(`  sel:\n    CommandLine|cidr:\n      - 'fe80::/10'\n      - '2001:db8::/32'\n  condition: sel`, ids('fe80::1%eth0', '2001:db8::5'));
    await expectHits(`  sel:\n    CommandLine|cidr: '192.168.0.0/16'\n  condition: sel`, []);
    const even = VALUES.filter((_, i) => i % 2 === 0);
    await expectHits(`  sel:\n    User|fieldref: Image\n  condition: sel`, ids(...even));
    await expectHits(`  sel:\n    Missing|exists: true\n  condition: sel`, []);
    await expectHits(`  sel:\n    Missing: null\n  condition: sel and CommandLine: "it's"`.replace(' and CommandLine: "it\'s"', ''), ids(...VALUES));
  });
});

describe('duckdb backend: printing', () => {
  test('string literals double quotes and spell NUL', () => {
    assert.equal(sqlString("a'b"), "'a''b'");
    assert.equal(sqlString('a\0b'), "('a' || chr(0) || 'b')");
  });
  test('globs escape LIKE specials', () => {
    assert.equal(globToLike('a%b_c\\d*e?\\*'), 'a\\%b\\_c\\\\d%e_*');
  });
  test('an unknown condition and an IPv4 range are printed or refused, never approximated', () => {
    assert.throws(() => printDuckdb({ kind: 'unknown', text: 'x', reason: 'y' }), /unknown condition/);
    assert.match(printDuckdb(pred('DestinationIp', 'cidr', ['10.0.0.0/8'])), /BETWEEN 167772160 AND 184549375/);
  });
});
