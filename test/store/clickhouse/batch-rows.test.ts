/** Batch rows read as TSV and merged across shards (store/clickhouse/tsv-rows.ts, batch-rows.ts); no cluster needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { tsvLines, tsvNumber, tsvRows, tsvText, TsvTextColumn, tsvTextArray } from '../../../src/store/clickhouse/tsv-rows.js';
import { byRuleFileSeq, compareUtf8, mergeSorted, preparedShardRows, shardRows, type Row } from '../../../src/store/clickhouse/batch-rows.js';

/** A client whose exec answers each statement with the given body chunks (as the HTTP response would). */
function fakeClient(bodies: (sql: string) => Buffer[]): ClickHouseClient {
  return { exec: async ({ query }: { query: string }) => ({ stream: Readable.from(bodies(query)) }) } as unknown as ClickHouseClient;
}

test('TSV fields: escapes, NULL, numbers', () => {
  assert.equal(tsvText('\\N'), null);
  assert.equal(tsvText('a\\tb\\nc\\\\d\\\'e\\0'), "a\tb\nc\\d'e\0");
  assert.equal(tsvText('\\\\N'), '\\N');
  assert.equal(tsvNumber('\\N'), null);
  assert.equal(tsvNumber('-42'), -42);
  assert.throws(() => tsvNumber('Code: 241'), /not a number/);
});

test('TSV arrays of nullable texts', () => {
  assert.deepEqual(tsvTextArray('[]'), []);
  assert.deepEqual(tsvTextArray("['a',NULL,'b\\'c,d','NULL','x\\\\y\\tz']"), ['a', null, "b'c,d", 'NULL', 'x\\y\tz']);
  assert.throws(() => tsvTextArray("['a'"), /not an array/);
  assert.throws(() => tsvTextArray("['a]"), /unterminated/);
  assert.throws(() => tsvTextArray("['a'x]"), /unexpected/);
});

test('file names compare byte by byte as UTF-8 (as the server orders them)', () => {
  const names = ['b', 'a', 'ab', '\u{1F600}', '\uFB01', 'é', ''];
  const bytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual([...names].sort(compareUtf8), bytes);
  // JS order differs here: a character past U+FFFF (surrogates) sorts before U+FB01 in UTF-16.
  const [emoji, ligature] = ['\u{1F600}', '\uFB01'];
  assert.ok(emoji < ligature && compareUtf8(emoji, ligature) > 0);
});

test('rows of sorted shards merge in (r, file, seq) order, ties keeping the shards order', () => {
  const row = (r: number, file: string, seq: number, k: string): Row => ({ r, file, seq, k });
  const a = [row(0, 'f', 1, 'a1'), row(0, 'f', 3, 'a2'), row(1, 'e', 1, 'a3'), row(2, 'g', 5, 'a4')];
  const b = [row(0, 'f', 1, 'b1'), row(0, 'f', 2, 'b2'), row(2, 'a', 9, 'b3')];
  const merged = mergeSorted([a, b]);
  assert.deepEqual(merged.map((x) => x.k), ['a1', 'b1', 'b2', 'a2', 'a3', 'b3', 'a4']);
  assert.deepEqual(merged, [...a, ...b].sort(byRuleFileSeq));
  assert.deepEqual(mergeSorted([[], b]), b);
  assert.deepEqual(mergeSorted([]), []);
});

test('rows split across response chunks (inside a UTF-8 character too) are read whole', async () => {
  const body = Buffer.from('0\tC:\\\\é.evtx\t7\t\\N\t2024-01-01 00:00:00\tpc\tSecurity\t4688\t[\'x\',NULL]\n1\tf\t8\t12\t\\N\t\\N\tSystem\t\\N\t[]\n');
  const cut = body.indexOf(Buffer.from('é')) + 1;
  const rows = await shardRows(fakeClient(() => [body.subarray(0, cut), body.subarray(cut, 40), body.subarray(40)]), 'SELECT');
  assert.deepEqual(rows, [
    { r: 0, file: 'C:\\é.evtx', seq: 7, record_id: null, timestamp: '2024-01-01 00:00:00', computer: 'pc', channel: 'Security', event_id: 4688, shown: ['x', null] },
    { r: 1, file: 'f', seq: 8, record_id: 12, timestamp: null, computer: null, channel: 'System', event_id: null, shown: [] },
  ]);
});

test('an error the server appends after some rows fails the read', async () => {
  const ok = '0\tf\t1\t1\t\\N\t\\N\tSystem\t1\t[]\n';
  await assert.rejects(shardRows(fakeClient(() => [Buffer.from(ok + 'Code: 241, e.displayText() = DB::Exception: Memory limit exceeded')]), 'SELECT'), /Code: 241/);
  await assert.rejects(shardRows(fakeClient(() => [Buffer.from(ok + 'Code: 241, e.displayText() = DB::Exception: x\n')]), 'SELECT'), /Code: 241/);
  await assert.rejects(tsvRows(fakeClient(() => [Buffer.from('1\t2\n')]), 'SELECT', 3, () => {}), /1\t2/);
});

test('prepared rows take their shown values from the combination table, one list per (rule, combination)', async () => {
  const client = fakeClient((sql) => (sql.startsWith('SHOWN')
    ? [Buffer.from("0\t123\t['a']\n1\t123\t['b',NULL]\n")]
    : [Buffer.from('0\t123\tf\t1\t1\t\\N\t\\N\tSystem\t1\n0\t123\tf\t2\t2\t\\N\t\\N\tSystem\t1\n1\t123\tf\t1\t1\t\\N\t\\N\tSystem\t1\n')]));
  const rows = await preparedShardRows(client, 'SELECT', 'SHOWN');
  assert.deepEqual(rows.map((r) => [r.r, r.seq, r.shown]), [[0, 1, ['a']], [0, 2, ['a']], [1, 1, ['b', null]]]);
  assert.equal(rows[0].shown, rows[1].shown, 'one list shared by the rows of a combination');
  const missing = fakeClient((sql) => (sql.startsWith('SHOWN') ? [] : [Buffer.from('0\t9\tf\t1\t1\t\\N\t\\N\tSystem\t1\n')]));
  await assert.rejects(preparedShardRows(missing, 'SELECT', 'SHOWN'), /no shown values/);
});

test('TSV rows read in place: fields, numbers as tsvNumber reads them, rows of the wrong width fail', async () => {
  const body = '0\tab\t12\n\\N\t\t-42\n123456789012345678\tx\\ty\t007\n';
  const seen: unknown[] = [];
  await tsvLines(fakeClient(() => [Buffer.from(body.slice(0, 9)), Buffer.from(body.slice(9))]), 'SELECT', 3, (f) => {
    seen.push([f.field(0), f.is(1, 'ab'), f.number(2), f.number(0) === null ? null : 'n']);
  });
  assert.deepEqual(seen, [['0', true, 12, 'n'], ['\\N', false, -42, null], ['123456789012345678', false, 7, 'n']]);
  let big: number | null = 0;
  await tsvLines(fakeClient(() => [Buffer.from('123456789012345678\tx\n')]), 'SELECT', 2, (f) => { big = f.number(0); });
  assert.equal(big, Number('123456789012345678'));
  await assert.rejects(tsvLines(fakeClient(() => [Buffer.from('x\ty\n')]), 'SELECT', 2, (f) => { f.number(0); }), /not a number/);
  // One field too many or too few: the row is what the server appended (an error), named in the message.
  await assert.rejects(tsvLines(fakeClient(() => [Buffer.from('1\t2\t3\n')]), 'SELECT', 2, () => {}), /ClickHouse: 1\t2\t3/);
  await assert.rejects(tsvLines(fakeClient(() => [Buffer.from('1\t2\n1\n')]), 'SELECT', 2, () => {}), /ClickHouse: 1$/);
  await assert.rejects(tsvLines(fakeClient(() => [Buffer.from('1\t2\nCode: 241')]), 'SELECT', 2, () => {}), /Code: 241/);
});

test('a text column read row after row gives each row its own value (escapes, NULL, repeats)', async () => {
  const col = new TsvTextColumn();
  const values: Array<string | null> = [];
  await tsvLines(fakeClient(() => [Buffer.from('a\\tb\n\\N\n\\N\nc\nc\na\\tb\n\n')]), 'SELECT', 1, (f) => { values.push(col.read(f, 0)); });
  assert.deepEqual(values, ['a\tb', null, null, 'c', 'c', 'a\tb', '']);
});

test('shard rows repeating a file, host and channel keep each row\'s values', async () => {
  const body = '0\tf\t1\t1\tt1\tpc\tSystem\t1\t[]\n0\tf\t2\t2\tt2\tpc\tSystem\t1\t[]\n1\tg\t3\t3\tt3\t\\N\tSecurity\t2\t[]\n1\tg\t4\t4\tt4\tpc\tSecurity\t2\t[]\n';
  const rows = await shardRows(fakeClient(() => [Buffer.from(body)]), 'SELECT');
  assert.deepEqual(rows.map((r) => [r.r, r.file, r.seq, r.timestamp, r.computer, r.channel]), [
    [0, 'f', 1, 't1', 'pc', 'System'], [0, 'f', 2, 't2', 'pc', 'System'], [1, 'g', 3, 't3', null, 'Security'], [1, 'g', 4, 't4', 'pc', 'Security'],
  ]);
  await assert.rejects(shardRows(fakeClient(() => [Buffer.from('x\tf\t1\t1\tt1\tpc\tSystem\t1\t[]\n')]), 'SELECT'), /ClickHouse: x|not a number/);
});
