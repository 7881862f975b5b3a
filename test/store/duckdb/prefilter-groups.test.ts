import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GROUP, groupByLiterals, prefilterSql } from '../../../src/store/duckdb/prefilter-groups.js';
import type { Atom } from '../../../src/backends/duckdb/prefilter.js';

const atom = (literal: string, column = '"l_Image"'): Atom => ({ column, literal });

test('rules with the same literals share a group; rules without, or with common ones, run unfiltered', () => {
  const items = [
    { id: 'a', need: [atom('\\x.exe')] },
    { id: 'open', need: null },
    { id: 'b', need: [atom('\\x.exe')] },
    { id: 'never', need: [] },
    { id: 'common', need: [atom('\\windows\\')] },
  ];
  const freq = (a: Atom): number => (a.literal === '\\windows\\' ? 0.9 : 0.001);
  const groups = groupByLiterals(items, freq);
  assert.deepEqual(groups.map((g) => g.items.map((x) => x.id)), [['a', 'b'], ['open', 'common']]);
  assert.deepEqual(groups[0].need, [atom('\\x.exe')]);
  assert.equal(groups[1].need, null);
});

test('a group stops at GROUP rules and when its literals would pass too many events', () => {
  const many = Array.from({ length: GROUP + 1 }, (_, i) => ({ need: [atom(`lit${String(i).padStart(3, '0')}`)] }));
  assert.deepEqual(groupByLiterals(many, () => 0).map((g) => g.items.length), [GROUP, 1]);
  assert.deepEqual(groupByLiterals(many.slice(0, 4), () => 0.29).map((g) => g.items.length), [2, 2]);
  assert.deepEqual(groupByLiterals(many.slice(0, 4), () => 0.19).map((g) => g.items.length), [3, 1]);
});

test('the filter: contains() for a few literals, one alternation for more, quotes and regex characters escaped', () => {
  assert.equal(prefilterSql([atom("it's")]), `coalesce(contains("l_Image", 'it''s'), FALSE)`);
  const sql = prefilterSql(['a.b', 'c|d', 'e(f', 'g*h'].map((l) => atom(l, '"l_CommandLine"')));
  assert.equal(sql, `coalesce(regexp_matches("l_CommandLine", '(?:a\\.b|c\\|d|e\\(f|g\\*h)'), FALSE)`);
});
