import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cursorOffset, paged } from '../../src/mcp/paging.js';

test('lists outside lists are paged from the cursor; nested lists stay whole', () => {
  const v = { a: Array.from({ length: 120 }, (_, i) => ({ i, tags: [1, 2, 3, 4, 5, 6] })), b: { c: [1, 2, 3] }, n: 7 };
  const p1 = paged(v, undefined, 50);
  assert.equal(p1.a.length, 50);
  assert.deepEqual(p1.b.c, [1, 2, 3]);
  assert.equal(p1.a[0].tags.length, 6);
  assert.deepEqual(p1.paging, { offset: 0, limit: 50, lists: { a: 120 }, next_cursor: '50' });
  const p3 = paged(v, '100', 50);
  assert.deepEqual(p3.a.map((x) => x.i), Array.from({ length: 20 }, (_, i) => 100 + i));
  assert.deepEqual(p3.b.c, [], 'a short list past the offset is empty on later pages');
  assert.equal(p3.paging.next_cursor, undefined);
});

test('the limit is halved until the result fits; over-long strings are cut as a last resort', () => {
  const v = { rows: Array.from({ length: 100 }, (_, i) => `${i}:${'x'.repeat(1000)}`) };
  const p = paged(v, undefined, 100, 10_000);
  assert.ok(JSON.stringify(p).length <= 10_000);
  assert.ok(p.paging.limit < 100 && p.paging.limit >= 1);
  assert.equal(p.paging.next_cursor, String(p.paging.limit));
  const big = paged({ text: 'y'.repeat(50_000) }, undefined, 10, 10_000);
  assert.ok(JSON.stringify(big).length <= 10_000);
  assert.equal(big.paging.truncated_strings, 1);
});

test('a cursor is a small whole number', () => {
  assert.equal(cursorOffset('25'), 25);
  assert.throws(() => cursorOffset('-1'), /invalid cursor/);
  assert.throws(() => cursorOffset('1e9'), /invalid cursor/);
});
