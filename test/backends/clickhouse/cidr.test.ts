/**
 * The printed CIDR test (backends/clickhouse/cidr.ts) against the engine's (util/cidr.ts parseIp +
 * cidrContains, what the Sigma matcher runs) on a real ClickHouse cluster: every address text of a
 * table (IPv4, IPv6, IPv4-mapped IPv6, zones, brackets, whitespace, invalid forms) against every
 * range set, as one query over the texts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chRows, requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';
import { cidrSql } from '../../../src/backends/clickhouse/cidr.js';
import { chString } from '../../../src/backends/clickhouse/literal.js';
import { cidrContains, parseCidr, parseIp } from '../../../src/util/cidr.js';

const TEXTS = [
  '10.1.2.3', ' 10.1.2.3 ', '\t127.0.0.1\n', '010.001.002.003', '10.1.2.256', '10.1.2', '10.1.2.3.4', '1.2.3.4a', '0.0.0.0',
  '255.255.255.255', '172.31.255.255', '172.32.0.0', '192.168.0.1', '169.254.1.1', '1234.1.1.1', '١.2.3.4', '',
  '::1', '::', '::2', '0:0:0:0:0:0:0:1', '[::1]', '[::1', '::1%lo0', '[::1]%3', '[::1%3]', 'fe80::1%eth0', 'FE80::ABCD:1',
  'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fec0::1', 'fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe00::1',
  '2001:db8::5', '2001:db8:0:0:0:0:0:5', '2001:0db8:0000:0000:0000:0000:0000:0005', '2001:db8::0:5', '2001:db8:::5',
  '2001:db8::5::1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4::5:6:7', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7',
  '1:2:3:4::5:6:7:8', '1:2:3:4:5::6:7:8:9', '12345::1', 'g::1', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', ':::', '1:::2',
  '::ffff:10.1.2.3', '::FFFF:10.1.2.3', '::ffff:a01:203', '0:0:0:0:0:ffff:10.1.2.3', '::ffff:10.1.2.300', '::ffff:10.1.2',
  '::10.1.2.3', '1::10.1.2.3', '::ffff:1.2.3.4.5', '::ffff:127.0.0.1%eth0', ' ::ffff:192.168.1.1 ', 'fe80::1.2.3.4',
  '::ffff:0:10.1.2.3', '1.2.3.4:80', '[10.1.2.3]', 'x', '-', 'a:b', '%', '[]', ':',
];

const RANGES = [
  ['10.0.0.0/8', '127.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '::1/128', 'fe80::/10', 'fc00::/7'],
  ['0.0.0.0/0'],
  ['::/0'],
  ['2001:db8::/32', '1.2.3.4/32'],
  ['::ffff:10.0.0.0/104'],
  ['1:2:3:4:5:6:7:0/112', '::/127'],
];

const engine = (ranges: string[], text: string): boolean => {
  const cidrs = ranges.map((r) => parseCidr(r)).filter((c) => c !== undefined);
  const ip = parseIp(text);
  return ip !== undefined && cidrs.some((c) => cidrContains(c, ip));
};
const trim = (x: string): string => `replaceRegexpAll(${x}, '^\\\\s+|\\\\s+$', '')`;

let cluster: TestCluster | undefined;
before(async () => { cluster = await startTestCluster(); });
after(async () => { await cluster?.dispose(); });

describe('clickhouse backend: CIDR tests', () => {
  test('every address text against every range set gives the engine\'s verdict', async (t) => {
    const c = requireCluster(t, cluster);
    if (!c) return;
    // Nullable texts like the store's columns, and NULL itself (never in a range).
    const texts = `[${[...TEXTS.map(chString), 'NULL'].join(', ')}]`;
    const tests = RANGES.map((r) => `toUInt8(${cidrSql(r, 'x', trim)})`).join(', ');
    const rows = await chRows<{ i: number; hits: number[] }>(c.url,
      `SELECT i, [${tests}] AS hits FROM (SELECT arrayJoin(arrayEnumerate(${texts})) AS i, ${texts}[i] AS x) ORDER BY i`);
    assert.equal(rows.length, TEXTS.length + 1);
    const diffs: string[] = [];
    for (const row of rows) {
      const text = TEXTS[Number(row.i) - 1];
      RANGES.forEach((r, k) => {
        const want = text === undefined ? false : engine(r, text);
        if (Boolean(Number(row.hits[k])) !== want) diffs.push(`${JSON.stringify(text ?? null)} in ${r.join(',')}: engine ${want}`);
      });
    }
    assert.deepEqual(diffs, []);
    // The table covers both answers for IPv4, IPv6 and mapped texts.
    assert.ok(TEXTS.some((x) => engine(RANGES[0], x) && x.includes('ffff')) && TEXTS.some((x) => engine(RANGES[0], x) && x.startsWith('fe')));
    assert.ok(TEXTS.some((x) => !engine(RANGES[0], x) && parseIp(x)?.v6));
  });
  test('no range among the values prints a false test', () => {
    assert.equal(cidrSql(['not a range', '10.0.0.0/33'], 'x', trim), '0');
  });
});
