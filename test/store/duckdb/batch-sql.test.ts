import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disjointRoutes, type RouteVariant } from '../../../src/backends/duckdb/rule-query.js';
import { batchSql, routeKey, searchesAllValues } from '../../../src/store/duckdb/batch-sql.js';
import { noReads, type FieldReads } from '../../../src/backends/field-reads.js';
import { openDb } from '../../../src/store/db.js';
import { createEventTables } from '../../../src/store/duckdb/ingest.js';
import type { Rule } from '../../../src/model/index.js';

const reading = (columns: string[], entries: string[] = []): FieldReads => ({
  ...noReads(),
  columns: new Set(columns),
  entries: new Map(entries.map((key) => [`fields['${key}']`, { kind: 'value', map: 'fields', key, sql: `fields['${key}']` }])),
});

const v = (channel: string, eventIds: number[] | undefined, detection = 'TRUE', reads: FieldReads = noReads()): RouteVariant => ({
  channel,
  eventIds,
  detection,
  reads,
  print: () => detection,
  route: [channel === '*' ? '' : `channel_lc = '${channel}'`, eventIds ? `event_id IN (${eventIds.join(', ')})` : ''].filter(Boolean).join(' AND '),
});

test('routes are disjoint only when no event can take two of them', () => {
  assert.equal(disjointRoutes([v('sysmon', [1]), v('security', [4688])]), true);
  assert.equal(disjointRoutes([v('security', [4624]), v('security', [4625])]), true);
  assert.equal(disjointRoutes([v('*', [1]), v('sysmon', [1])]), false);
  assert.equal(disjointRoutes([v('security', [4624, 4625]), v('security', [4625])]), false);
  assert.equal(disjointRoutes([v('security', undefined), v('security', [1])]), false);
});

test('rules of one route share one scan; rules with overlapping variants run whole', () => {
  const rule = (id: string): Rule => ({ id } as unknown as Rule);
  const a = { rule: rule('a'), where: 'WA', shown: [], variants: [v('sysmon', [1], 'DA'), v('security', [4688], 'DA2')] };
  const b = { rule: rule('b'), where: 'WB', shown: [], variants: [v('sysmon', [1], 'DB'), v('security', [4688], 'DB2')] };
  assert.equal(routeKey(a.variants), routeKey(b.variants));
  const sql = batchSql([a, b], [], (f) => `"f_${f}"`);
  // Two routes (sysmon/1 and security/4688), each one SELECT testing both rules.
  assert.equal(sql.split('UNION ALL').length, 2);
  assert.match(sql, /CASE WHEN DA THEN 0 END,\s+CASE WHEN DB THEN 1 END/);
  assert.match(sql, /WHERE channel_lc = 'sysmon' AND event_id IN \(1\)/);
  const c = { rule: rule('c'), where: 'WC', shown: [], variants: [v('*', [1], 'DC'), v('sysmon', [1], 'DC2')] };
  assert.match(routeKey(c.variants), /^~whole/);
  const whole = batchSql([c], [], (f) => `"f_${f}"`, () => 0, false);
  assert.equal(whole.split('UNION ALL').length, 1);
  assert.match(whole, /CASE WHEN WC THEN 0 END/);
  assert.doesNotMatch(whole, /WHERE/);
});

test('a keyword rule joining the whole batch runs over every event, in the grouping of the rule searching every event', () => {
  const kwReads = reading(['all_values', '"l_Image"']);
  assert.equal(searchesAllValues([v('sysmon', [1], 'K', kwReads)]), true);
  assert.equal(searchesAllValues([v('sysmon', [1], 'K', reading(['all_values'], ['X']))]), false);
  assert.equal(searchesAllValues([v('sysmon', [1], 'K', reading(['"l_Image"']))]), false);
  assert.equal(searchesAllValues([]), false);
  const rule = (id: string): Rule => ({ id } as unknown as Rule);
  const any = { rule: rule('any'), where: 'WANY', shown: [], variants: [v('*', undefined, 'DANY', reading(['all_values']))] };
  const kw = { rule: rule('kw'), where: 'WKW', shown: [], variants: [v('sysmon', [1], 'DKW', kwReads)] };
  const apart = batchSql([any, kw], [], (f) => `"f_${f}"`);
  assert.equal((apart.match(/GROUP BY ALL/g) ?? []).length, 2);
  const joined = batchSql([any, { ...kw, whole: true }], [], (f) => `"f_${f}"`);
  assert.equal((joined.match(/GROUP BY ALL/g) ?? []).length, 1);
  assert.doesNotMatch(joined, /WHERE channel_lc/);
  // Run whole: the rule's route is part of its condition.
  assert.match(joined, /CASE WHEN \(channel_lc = 'sysmon' AND event_id IN \(1\) AND DKW\) THEN 1 END/);
  assert.match(joined, /SELECT "l_Image", all_values, channel_lc, event_id, list\(rowid\)/);
});

test('rules reading the map are batched apart from those that do not', () => {
  assert.notEqual(routeKey([v('sysmon', [1], `fields['X'] = 'y'`, reading([], ['X']))]), routeKey([v('sysmon', [1], `"l_Image" = 'y'`, reading(['"l_Image"']))]));
  assert.equal(routeKey([v('sysmon', [1], `"l_Image" = 'y'`, reading(['"l_Image"']))]), routeKey([v('sysmon', [1], `"l_Image" = 'z'`, reading(['"l_Image"']))]));
});

test('rules run per distinct combination raise the alerts they raise per event (NULLs included)', async () => {
  const db = await openDb(':memory:');
  try {
    await createEventTables(db.conn);
    const rows: Array<[string, string | null, string | null, string]> = [
      ['s', 'c:\\a.exe', 'a x', 'sysmon'], ['s', 'c:\\a.exe', 'a x', 'sysmon'], ['s', null, 'a x', 'sysmon'], ['s', null, null, 'sysmon'],
      ['s', 'c:\\b.exe', 'b', 'sysmon'], ['t', 'c:\\a.exe', 'a x', 'security'], ['t', null, 'x', 'sysmon'],
    ];
    let seq = 0;
    for (const [file, image, cmd, channel] of rows) {
      await db.conn.run(`INSERT INTO events (file, file_hash, seq, record_id, channel, channel_lc, event_id, "f_Image", "l_Image", "l_CommandLine", all_values)
        VALUES ('${file}', 'h', ${seq}, ${seq++}, '${channel}', '${channel}', 1, ${image === null ? 'NULL' : `'${image}'`}, ${image === null ? 'NULL' : `'${image}'`}, ${cmd === null ? 'NULL' : `'${cmd}'`}, '')`);
    }
    const rule = (id: string): Rule => ({ id } as unknown as Rule);
    const item = (id: string, detection: string, columns: string[]) => ({ rule: rule(id), where: detection, shown: ['Image'], variants: [v('sysmon', [1], detection, reading(columns))] });
    const batch = [
      item('a', `coalesce(contains("l_CommandLine", 'x'), FALSE)`, ['"l_CommandLine"']),
      item('b', `NOT coalesce("l_Image" = 'c:\\a.exe', FALSE)`, ['"l_Image"']),
      item('c', `"l_Image" IS NULL AND "l_CommandLine" IS NULL`, ['"l_Image"', '"l_CommandLine"']),
    ];
    const shown = (f: string): string => `"f_${f}"`;
    const rowsOf = async (sql: string) => (await db.conn.runAndReadAll(sql)).getRowObjectsJson();
    // `c` names a row's value combination (null per event): compared apart.
    const read = async (sql: string): Promise<string[]> => (await rowsOf(sql)).map(({ c: _c, ...r }) => JSON.stringify(r));
    const distinct = batchSql(batch, [], shown, () => 0, true);
    assert.match(distinct, /GROUP BY ALL/);
    const perEvent = await read(batchSql(batch, [], shown, () => 0, false));
    assert.equal(perEvent.length, 9);
    assert.deepEqual(await read(distinct), perEvent);
    // Rows of one rule and one combination show the same values (the reader converts them once: batch-rows.ts).
    const byCombination = new Map<string, string>();
    for (const r of await rowsOf(distinct)) {
      assert.notEqual(r.c, null);
      const key = `${String(r.r)} ${String(r.c)}`;
      assert.equal(byCombination.get(key) ?? JSON.stringify(r.shown), JSON.stringify(r.shown));
      byCombination.set(key, JSON.stringify(r.shown));
    }
    assert.ok(byCombination.size < perEvent.length);
  } finally {
    db.close();
  }
});
