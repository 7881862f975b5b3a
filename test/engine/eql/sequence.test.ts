import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EqlExecutor } from '../../../src/engine/eql/execute.js';
import { SampleCollector } from '../../../src/engine/eql/sample.js';
import { ECS_SHAPE } from '../../../src/engine/eql/stage.js';
import { ev, ids, plan } from './helpers.js';

const A = (seq: number, s: number, host: string | null, extra: Record<string, unknown> = {}) => ev(seq, 'library', s, { host: { id: host }, ...extra });
const B = (seq: number, s: number, host: string | null, extra: Record<string, unknown> = {}) => ev(seq, 'process', s, { host: { id: host }, ...extra });

test('sequence: maxspan is inclusive and measured from the first event', () => {
  const q = 'sequence by host.id with maxspan=5s [library where true] [process where true] [process where true]';
  assert.deepEqual(ids(q, [A(1, 0, 'h'), B(2, 3, 'h'), B(3, 5, 'h')]), [[1, 2, 3]]);
  assert.deepEqual(ids(q, [A(1, 0, 'h'), B(2, 3, 'h'), B(3, 5.001, 'h')]), []);
});

test('sequence: a newer partial replaces the older one of the same stage and key', () => {
  const q = 'sequence by host.id [library where true] [process where true]';
  assert.deepEqual(ids(q, [A(1, 0, 'h'), A(2, 1, 'h'), B(3, 2, 'h'), B(4, 3, 'h')]), [[2, 3]]);
  // Different keys keep their own partials.
  assert.deepEqual(ids(q, [A(1, 0, 'x'), A(2, 1, 'y'), B(3, 2, 'x'), B(4, 3, 'y')]), [[1, 3], [2, 4]]);
});

test('sequence: an event never fills two stages of one sequence', () => {
  const q = 'sequence [any where true] [any where true]';
  assert.deepEqual(ids(q, [A(1, 0, 'h'), A(2, 1, 'h'), A(3, 2, 'h')]), [[1, 2], [2, 3]]);
});

test('sequence: until ends only the sequences of its key', () => {
  const q = 'sequence by host.id [library where true] [process where true] until [file where true]';
  const F = (seq: number, s: number, host: string) => ev(seq, 'file', s, { host: { id: host } });
  assert.deepEqual(ids(q, [A(1, 0, 'x'), A(2, 0, 'y'), F(3, 1, 'x'), B(4, 2, 'x'), B(5, 2, 'y')]), [[2, 5]]);
});

test('sequence: an event that is both a stage and the until: it completes, but a partial it extends ends', () => {
  const q = 'sequence by host.id [library where true] [process where true] [process where true] until [process where stop == true]';
  // 3 both extends stage 1 and is an until event: the partial ends, 4 completes nothing.
  assert.deepEqual(ids(q, [A(1, 0, 'h'), B(2, 1, 'h'), B(3, 2, 'h', { stop: true }), B(4, 3, 'h')]), [[1, 2, 3]]);
  assert.deepEqual(ids(q, [A(1, 0, 'h'), B(2, 1, 'h', { stop: true }), B(3, 2, 'h'), B(4, 3, 'h')]), []);
});

test('sequence: null join keys are excluded unless the key is optional', () => {
  assert.deepEqual(ids('sequence by host.id [library where true] [process where true]', [A(1, 0, null), B(2, 1, null)]), []);
  assert.deepEqual(ids('sequence by ?host.id [library where true] [process where true]', [A(1, 0, null), B(2, 1, null)]), [[1, 2]]);
});

test('sequence: per-stage keys join different fields', () => {
  const q = 'sequence [process where true] by pid [file where true] by owner';
  const P = ev(1, 'process', 0, { pid: 7 });
  const F1 = ev(2, 'file', 1, { owner: 8 });
  const F2 = ev(3, 'file', 2, { owner: 7 });
  assert.deepEqual(ids(q, [P, F1, F2]), [[1, 3]]);
});

test('sequence: with runs=N repeats a stage', () => {
  const q = 'sequence by host.id [library where true] with runs=2 [process where true]';
  assert.deepEqual(ids(q, [A(1, 0, 'h'), B(2, 1, 'h'), A(3, 2, 'h'), A(4, 3, 'h'), B(5, 4, 'h')]), [[3, 4, 5]]);
});

test('sequence: a single query repeated with runs=N is a sequence', () => {
  const q = 'sequence by host.id with maxspan=10s [library where true] with runs=3';
  assert.deepEqual(ids(q, [A(1, 0, 'h'), A(2, 1, 'x'), A(3, 2, 'h'), A(4, 3, 'h')]), [[1, 3, 4]]);
});

test('sequence: a missing event between two stages prevents the match', () => {
  const q = 'sequence by host.id [library where true] ![file where true] [process where true]';
  const F = (seq: number, s: number, host: string) => ev(seq, 'file', s, { host: { id: host } });
  assert.deepEqual(ids(q, [A(1, 0, 'h'), F(2, 1, 'h'), B(3, 2, 'h')]), []);
  assert.deepEqual(ids(q, [A(1, 0, 'h'), F(2, 1, 'other'), B(3, 2, 'h')]), [[1, 3]]);
});

test('sequence: trailing and leading missing events look within maxspan', () => {
  const F = (seq: number, s: number) => ev(seq, 'file', s, { host: { id: 'h' } });
  const trailing = 'sequence by host.id with maxspan=10s [library where true] [process where true] ![file where true]';
  assert.deepEqual(ids(trailing, [A(1, 0, 'h'), B(2, 1, 'h'), F(3, 5)]), []);
  assert.deepEqual(ids(trailing, [A(1, 0, 'h'), B(2, 1, 'h'), F(3, 11)]), [[1, 2]]);
  assert.deepEqual(ids(trailing, [A(1, 0, 'h'), B(2, 1, 'h')]), [[1, 2]]);
  const leading = 'sequence by host.id with maxspan=10s ![file where true] [library where true] [process where true]';
  assert.deepEqual(ids(leading, [F(1, 0), A(2, 5, 'h'), B(3, 6, 'h')]), []);
  assert.deepEqual(ids(leading, [F(1, 0), A(2, 20, 'h'), B(3, 21, 'h')]), [[2, 3]]);
});

test('sequence: head stops early, tail keeps the last ones', () => {
  const evs = [A(1, 0, 'a'), B(2, 1, 'a'), A(3, 2, 'b'), B(4, 3, 'b'), A(5, 4, 'c'), B(6, 5, 'c')];
  assert.deepEqual(ids('sequence by host.id [library where true] [process where true] | head 2', evs), [[1, 2], [3, 4]]);
  assert.deepEqual(ids('sequence by host.id [library where true] [process where true] | tail 1', evs), [[5, 6]]);
});

test('sample: unordered, one sample per key, keys ascending', () => {
  const evs = [B(1, 0, 'z'), A(2, 1, 'z'), A(3, 2, 'a'), B(4, 3, 'a'), A(5, 4, 'q')];
  assert.deepEqual(ids('sample by host.id [library where true] [process where true]', evs), [[3, 4], [2, 1]]);
});

test('sequence state stays bounded: expired partials are dropped as time advances', () => {
  const p = plan('sequence by host.id with maxspan=1s [library where true] [process where true]');
  const ex = new EqlExecutor(p, () => undefined);
  let peak = 0;
  // 50,000 distinct keys, one new key per 10 ms: at most ~100 (plus one sweep period) can be live.
  for (let i = 0; i < 50_000; i++) {
    ex.push(A(i, i / 100, `host-${i}`));
    peak = Math.max(peak, ex.pendingCount);
  }
  assert.ok(peak < 2000, `peak pending ${peak}`);
  assert.ok((ex.sequenceStats?.expired ?? 0) > 45_000);
});

/** `n` events of other hosts that meet stage 1 only, at `seconds`, numbered from `seq`. */
const others = (seq: number, n: number, seconds: number) => Array.from({ length: n }, (_, i) => A(seq + i, seconds, `other-${i}`));

test('sequence out of time order: a partial dies at a later event past its maxspan, whenever the state is swept', () => {
  const q = 'sequence by host.id with maxspan=5s [library where true] [process where true]';
  // A newer event (t=2000 s) comes between the two stages (t=1000 s, 1001 s): the partial has died,
  // with few events between (no sweep) as with thousands (sweeps between).
  for (const n of [1, 3000]) {
    const events = [A(1, 1000, 'h'), ...others(10, n, 2000), B(2, 1001, 'h')];
    assert.deepEqual(ids(q, events), [], `${n} events between`);
  }
});

test('sequence out of time order: an older file read after a newer one forms its own sequences', () => {
  const q = 'sequence by host.id with maxspan=5s [library where true] [process where true]';
  // A newer file (t=5000 s) first, then an older one (t=100 s): the older one's sequence stands,
  // whether or not the state is swept between its two events.
  for (const n of [1, 3000]) {
    const events = [...others(10, 2000, 5000), A(1, 100, 'h'), ...others(10_000, n, 100.5), B(2, 102, 'h')];
    assert.deepEqual(ids(q, events), [[1, 2]], `${n} events between`);
  }
});

test('sample state is capped by distinct keys, and says so', () => {
  const p = plan('sample by host.id [library where true] [process where true]');
  if (p.kind !== 'sample') return assert.fail('a sample plan');
  const c = new SampleCollector(p.stages, ECS_SHAPE, 10);
  for (let i = 0; i < 30; i++) c.push(A(i, i, `h${i}`));
  assert.equal(c.droppedKeys, 20);
});

test('sequence state without maxspan is capped', () => {
  const p = plan('sequence by host.id [library where true] [process where true]');
  const ex = new EqlExecutor(p, () => undefined, { maxPending: 100 });
  for (let i = 0; i < 1000; i++) ex.push(A(i, i, `host-${i}`));
  assert.equal(ex.pendingCount, 100);
  assert.equal(ex.sequenceStats?.evicted, 900);
});
