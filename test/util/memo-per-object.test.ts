import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoPerObject } from '../../src/util/memo-per-object.js';

test('memoPerObject: one value per (object, key), computed once, bounded per object', () => {
  const memo = memoPerObject<object, string>(2);
  const a = {};
  const b = {};
  let calls = 0;
  const get = (o: object, k: string): string => memo(o, k, () => `${++calls}:${k}`);
  assert.equal(get(a, 'x'), '1:x');
  assert.equal(get(a, 'x'), '1:x', 'remembered');
  assert.equal(get(b, 'x'), '2:x', 'another object has its own entries');
  assert.equal(get(a, 'y'), '3:y');
  assert.equal(get(a, 'z'), '4:z', 'past the bound the entries are dropped');
  assert.equal(get(a, 'x'), '5:x', 'and computed again');
  assert.equal(get(b, 'x'), '2:x');
});
