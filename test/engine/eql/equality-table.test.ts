/** EqualityTable: a literal list as hash sets, the same answers as comparing with each literal (values.ts equals). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EqualityTable } from '../../../src/engine/eql/equality-table.js';
import { equals } from '../../../src/engine/eql/values.js';
import type { Scalar } from '../../../src/engine/eql/values.js';

const SCALARS: Scalar[] = ['a', 'A', 'İ', 'i̇', 'ΑΣ', 'ας', '4', '04', ' 4 ', '4.0', '-0', '0', '', 'true', 'TRUE', 'False', 'Infinity', 'NaN', '0x10', 4, 0, -0, 16, 1.5, Infinity, Number.NaN, true, false, null];

test('has(x) equals some literal, for every pair of strings, numbers, booleans and null, sensitive and not', () => {
  const lists: Scalar[][] = [...SCALARS.map((s) => [s]), SCALARS, ['a', 4, true], ['04', 'true'], [16, 'FALSE', null], [Number.NaN, '-0']];
  for (const insensitive of [false, true]) {
    for (const list of lists) {
      const table = new EqualityTable(list, insensitive);
      for (const x of SCALARS) {
        const want = list.some((y) => equals(x, y, insensitive));
        assert.equal(table.has(x), want, `${JSON.stringify(x)} in ${JSON.stringify(list)} (${insensitive ? 'insensitive' : 'sensitive'})`);
      }
    }
  }
});
