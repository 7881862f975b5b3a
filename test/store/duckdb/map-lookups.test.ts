import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replaceMapLookups } from '../../../src/store/duckdb/map-lookups.js';
import { dedupPlan } from '../../../src/store/duckdb/batch-sql.js';
import { sqlString } from '../../../src/backends/duckdb/literal.js';

const named = (sql: string): string | null => replaceMapLookups(sql, (l) => `<${l}>`);

test('map lookups outside literals are replaced, the text inside literals is kept', () => {
  assert.equal(named(`fields['A'] = 'x' AND map_contains(fields, 'B') AND lists['C'] IS NULL`),
    `<fields['A']> = 'x' AND <map_contains(fields, 'B')> AND <lists['C']> IS NULL`);
  // A rule value spelling a lookup is a literal: untouched, and no lookup is made of it.
  const value = sqlString(`fields['A'] map_contains(fields, 'B') lists`);
  assert.equal(named(`"f_Image" = ${value}`), `"f_Image" = ${value}`);
  assert.equal(named(`fields['it''s'] = 'a'''`), `<fields['it''s']> = 'a'''`);
  assert.equal(named(`"fields" = 'x'`), `"fields" = 'x'`);
  assert.equal(named(`my_fields = 1`), `my_fields = 1`);
});

test('a map read whole, or by a key the pattern does not know, leaves the detection per event', () => {
  assert.equal(named(`list_contains(map_values(fields), 'x')`), null);
  assert.equal(named(`len(list_filter(map_values(lists), lambda v: v = 'x')) > 0`), null);
  assert.equal(named(`fields[${sqlString('a\0b')}] = 'x'`), null);
});

test('a route reading map entries is grouped by those entries, computed once per event', () => {
  const plan = dedupPlan(`contains("l_CommandLine", 'a') AND fields['Foo'] = 'x'\ncoalesce(map_contains(fields, 'Bar'), FALSE) OR fields['Foo'] = 'y'`);
  assert.ok(plan);
  assert.deepEqual(plan.select, ['"l_CommandLine"', `fields['Foo'] AS "map_0"`, `map_contains(fields, 'Bar') AS "map_1"`]);
  assert.equal(plan.rewrite(`fields['Foo'] = 'y' AND map_contains(fields, 'Bar')`), `"map_0" = 'y' AND "map_1"`);
  assert.equal(dedupPlan(`list_contains(map_values(fields), 'x')`), null);
});

test('a lower-case column read with its own field column is derived, not grouped on', () => {
  const plan = dedupPlan(`"f_Image" = 'C:\\x.exe' OR contains("l_Image", 'x') OR contains("l_CommandLine", 'y')`);
  assert.ok(plan);
  assert.deepEqual(plan.select, ['"f_Image"', '"l_CommandLine"']);
  assert.deepEqual(plan.derived, ['lower("f_Image") AS "l_Image"']);
});
