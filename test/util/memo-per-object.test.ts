import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoPerObject } from '../../src/util/memo-per-object.js';

test('memoPerObject: one value per (object, key), computed once, bounded per object', () => {
  let calls = 0;
  const get = memoPerObject<object, string>(2, (_o, k) => `${++calls}:${k}`);
  const a = {};
  const b = {};
  assert.equal(get(a, 'x'), '1:x');
  assert.equal(get(a, 'x'), '1:x', 'remembered');
  assert.equal(get(b, 'x'), '2:x', 'another object has its own entries');
  assert.equal(get(a, 'y'), '3:y');
  assert.equal(get(a, 'z'), '4:z', 'past the bound the entries are dropped');
  assert.equal(get(a, 'x'), '5:x', 'and computed again');
  assert.equal(get(b, 'x'), '2:x');
});
