/**
 * Map lookups as the printer reports them (backends/field-reads.ts): the entries, columns and
 * whole maps a detection reads, the hook each entry is printed through, and the hunt's grouping of
 * a route by them (store/duckdb/batch-sql.ts dedupPlan). No SQL text is read back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { and, pred, type Detection } from '../../../src/model/index.js';
import { printDuckdb } from '../../../src/backends/duckdb/print.js';
import { noReads, type FieldReads } from '../../../src/backends/field-reads.js';
import { dedupPlan } from '../../../src/store/duckdb/batch-sql.js';

const LISTS = new Set(['Baz']);

function printed(d: Detection): { sql: string; reads: FieldReads } {
  const reads = noReads();
  return { sql: printDuckdb(d, { listFields: LISTS, reads }), reads };
}

const rule = and([pred('Foo', 'eq', ['x']), pred('Bar', 'exists', [true]), pred('Baz', 'eq', ['y']), pred('CommandLine', 'contains', ['abc'])]);

test('the printer reports each map entry it reads, and the columns', () => {
  const { reads } = printed(rule);
  assert.deepEqual([...reads.entries.keys()].sort(), [`fields['Baz']`, `fields['Foo']`, `lists['Baz']`, `map_contains(fields, 'Bar')`]);
  assert.deepEqual({ ...reads.entries.get(`map_contains(fields, 'Bar')`) }, { kind: 'has', map: 'fields', key: 'Bar', sql: `map_contains(fields, 'Bar')` });
  assert.deepEqual(reads.entries.get(`lists['Baz']`)?.kind, 'list');
  assert.deepEqual([...reads.columns], ['"l_CommandLine"']);
  assert.equal(reads.wholeMap, false);
});

test('each entry is printed through the hook; a rule value spelling a lookup stays a literal', () => {
  const plain = printed(rule).sql;
  const hooked = printDuckdb(rule, { listFields: LISTS, mapEntry: (e) => `<${e.kind}:${e.key}>` });
  assert.doesNotMatch(hooked, /fields|lists/);
  assert.match(hooked, /lower\(<value:Foo>\) IN \(lower\('x'\)\)/);
  assert.match(hooked, /<has:Bar>/);
  assert.match(hooked, /<list:Baz>/);
  assert.ok(plain.includes(`fields['Foo']`));
  const spelled = pred('Image', 'eq', [`fields['A'] map_contains(fields, 'B') lists['C']`]);
  const { sql, reads } = printed(spelled);
  assert.equal(reads.entries.size, 0);
  assert.equal(printDuckdb(spelled, { listFields: LISTS, mapEntry: () => 'HOOKED' }), sql);
  // A key that no SQL literal spells alone (NUL) is an entry like any other.
  const nul = printed(pred('a\0b', 'eq', ['x'])).reads;
  assert.deepEqual([...nul.entries.values()].map((e) => e.key), ['a\0b']);
});

test('a map read whole (a keyword tested value by value) is reported as such and is not grouped', () => {
  const { reads } = printed(pred(null, 'regex_match', ['a.c']));
  assert.equal(reads.wholeMap, true);
  assert.equal(dedupPlan([printed(rule).reads, reads]), null);
});

test('a route reading map entries is grouped by those entries, each computed once per event', () => {
  const a = printed(and([pred('CommandLine', 'contains', ['abc']), pred('Foo', 'eq', ['x'])]));
  const b = printed(pred('Bar', 'exists', [true]));
  const plan = dedupPlan([a.reads, b.reads]);
  assert.ok(plan);
  assert.deepEqual(plan.select, ['"l_CommandLine"', `fields['Foo'] AS "map_0"`, `map_contains(fields, 'Bar') AS "map_1"`]);
  assert.equal(plan.lookups, 2);
  const grouped = printDuckdb(pred('Bar', 'exists', [true]), { listFields: LISTS, mapEntry: plan.entry });
  assert.equal(grouped, '"map_1"');
  assert.match(printDuckdb(pred('Foo', 'eq', ['x']), { listFields: LISTS, mapEntry: plan.entry }), /^coalesce\(lower\("map_0"\) IN/);
  assert.equal(dedupPlan([noReads()]), null);
});

test('a lower-case column read with its own field column is derived, not grouped on', () => {
  const { reads } = printed(and([pred('Image', 'eq', ['C:\\x.exe'], { cased: true }), pred('Image', 'contains', ['x']), pred('CommandLine', 'contains', ['y'])]));
  const plan = dedupPlan([reads]);
  assert.ok(plan);
  assert.deepEqual(plan.select, ['"f_Image"', '"l_CommandLine"']);
  assert.deepEqual(plan.derived, ['lower("f_Image") AS "l_Image"']);
});
