/** The timeline aggregations keep bounded state: the least recently seen groups and terms are dropped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combinations, MAX_COMBINATIONS, readers } from '../../../src/engine/elastic/group-values.js';
import { lookbackMs } from '../../../src/engine/elastic/lookback.js';
import { MAX_TERMS, NewTermsAggregator } from '../../../src/engine/elastic/new-terms.js';
import { MAX_GROUPS, ThresholdAggregator } from '../../../src/engine/elastic/threshold.js';

const TS = Date.parse('2026-03-01T10:00:00Z');

test('threshold: past MAX_GROUPS groups the least recently seen one is dropped (its count restarts)', () => {
  const hits: string[] = [];
  const agg = new ThresholdAggregator({ fields: ['user.name'], value: 2, windowMs: 60_000 }, (_e, h) => hits.push(String(h.group['user.name'])));
  agg.push({ doc: { user: { name: 'first' } }, ts: TS });
  agg.push({ doc: { user: { name: 'kept' } }, ts: TS });
  for (let i = 0; i < MAX_GROUPS - 1; i++) agg.push({ doc: { user: { name: `u${i}` } }, ts: TS });
  agg.push({ doc: { user: { name: 'first' } }, ts: TS });
  assert.deepEqual(hits, []);
  agg.push({ doc: { user: { name: 'first' } }, ts: TS });
  assert.deepEqual(hits, ['first']);
});

test('new_terms: past MAX_TERMS combinations the least recently seen one is dropped (it is new again)', () => {
  const hits: string[] = [];
  const agg = new NewTermsAggregator({ fields: ['host.name'], historyMs: 86_400_000 }, (_e, h) => hits.push(String(h.terms['host.name'])));
  agg.push({ doc: { host: { name: 'first' } }, ts: TS });
  for (let i = 0; i < MAX_TERMS; i++) agg.push({ doc: { host: { name: `h${i}` } }, ts: TS });
  hits.length = 0;
  agg.push({ doc: { host: { name: 'h5' } }, ts: TS });
  agg.push({ doc: { host: { name: 'first' } }, ts: TS });
  assert.deepEqual(hits, ['first']);
});

test('combinations: missing fields give none, arrays multiply up to MAX_COMBINATIONS', () => {
  const r = readers(['a', 'b']);
  assert.deepEqual(combinations({ a: 1 }, r), []);
  assert.deepEqual(combinations({ a: [1, 2], b: 'x' }, r).map((c) => c.values), [[1, 'x'], [2, 'x']]);
  const many = Array.from({ length: 50 }, (_, i) => i);
  assert.equal(combinations({ a: many, b: many }, r).length, MAX_COMBINATIONS);
  assert.deepEqual(combinations({}, []).map((c) => c.values), [[]]);
});

test('lookback: now-<n><unit> only', () => {
  assert.equal(lookbackMs('now-9m'), 540_000);
  assert.equal(lookbackMs('now-10d'), 864_000_000);
  assert.equal(lookbackMs('now-119m'), 119 * 60_000);
  assert.equal(lookbackMs('now-1M'), null);
  assert.equal(lookbackMs('2026-01-01'), null);
  assert.equal(lookbackMs('now-0m'), null);
});
