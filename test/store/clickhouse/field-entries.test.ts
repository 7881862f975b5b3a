/** Field reads without a column of their own as grouped columns (store/clickhouse/field-entries.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEntries, type FieldEntry } from '../../../src/store/clickhouse/field-entries.js';
import { groupColumns } from '../../../src/store/clickhouse/grouped-batch.js';
import { chString } from '../../../src/backends/clickhouse/literal.js';
import { fieldValue } from '../../../src/backends/clickhouse/print.js';

test('presence and value reads become aliases shared across statements; the rest is kept', () => {
  const known = new Map<string, FieldEntry>();
  const a = withEntries("(has(f_keys, 'CommandLine') AND ifNull(f_CommandLine, '') = '') OR lowerUTF8(f_values[indexOf(f_keys, 'GrandParentImage')]) = 'x'", known);
  assert.equal(a.sql, "(x_0 AND ifNull(f_CommandLine, '') = '') OR lowerUTF8(x_1) = 'x'");
  assert.deepEqual(a.used, ['x_0', 'x_1']);
  assert.deepEqual([...known.values()].map((e) => [e.alias, e.type]), [['x_0', 'UInt8'], ['x_1', 'Nullable(String)']]);
  const b = withEntries(fieldValue('GrandParentImage'), known);
  assert.deepEqual(b, { sql: 'x_1', used: ['x_1'] });
  assert.deepEqual(groupColumns([a.sql, b.sql]), ['f_CommandLine']);
});

test('text inside string literals is never a read; escaped keys keep their text', () => {
  const known = new Map<string, FieldEntry>();
  const lit = chString("has(f_keys, 'A') f_values[indexOf(f_keys, 'B')]");
  const a = withEntries(`position(f_Image, ${lit}) > 0`, known);
  assert.equal(a.sql, `position(f_Image, ${lit}) > 0`);
  assert.equal(known.size, 0);
  const key = `has(f_keys, ${chString("it's \\ odd")})`;
  const b = withEntries(`${key} OR xhas(f_keys, 'C')`, known);
  assert.equal(b.sql, "x_0 OR xhas(f_keys, 'C')");
  assert.equal(known.get(key)?.expr, key);
  // A read of the arrays in any other form keeps the rule per event.
  assert.equal(groupColumns([withEntries("arrayExists(v -> v = 'x', f_values)", known).sql]), null);
});

test('presence reads only: a value read stays on the arrays (the rule then stays per event)', () => {
  const known = new Map<string, FieldEntry>();
  const a = withEntries("has(f_keys, 'A') AND f_values[indexOf(f_keys, 'B')] = 'x'", known, false);
  assert.equal(a.sql, "x_0 AND f_values[indexOf(f_keys, 'B')] = 'x'");
  assert.deepEqual([...known.values()], [{ expr: "has(f_keys, 'A')", alias: 'x_0', type: 'UInt8', key: "'A'" }]);
  assert.equal(groupColumns([a.sql]), null);
});
