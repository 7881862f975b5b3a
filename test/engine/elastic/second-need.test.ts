/** Second needs answered per field (every alternative on a field from one read of it): the same answers as each alternative on its own. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecondNeeds } from '../../../src/engine/elastic/second-need.js';
import type { Required } from '../../../src/engine/elastic/required-values.js';
import { valueKeys } from '../../../src/engine/elastic/required-values.js';
import { getField } from '../../../src/engine/eql/values.js';
import type { Doc, Scalar } from '../../../src/engine/eql/values.js';

/** One alternative on its own, as the rule index defines it (required-values.ts). */
function meets(r: Required, doc: Doc): boolean {
  const v = getField(doc, r.path);
  if (v === null) return false;
  if (r.exists) return true;
  const items: Scalar[] = Array.isArray(v) ? v : [v];
  const max = Math.max(0, ...r.keys.map((k) => k.length));
  return items.some((x) => {
    if (x === null) return false;
    if (r.contains) return r.keys.some((k) => String(x).toLowerCase().includes(k));
    const keys: string[] = [];
    valueKeys(x, keys, max);
    return keys.some((k) => r.keys.includes(k));
  });
}

/** A small deterministic generator (the same cases on every run). */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

test('second needs: alternatives sharing a field answer as each on its own (equalities, contains, has-a-value, lists, numbers, long values)', () => {
  const rand = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const words = ['-enc', '/create', 'a.exe', 'B.EXE', 'x', '12', '012', 'Invoke-Thing', 'c:\\temp\\a', 'abcdefghij'];
  const value = (): Scalar => {
    const r = rand();
    if (r < 0.1) return 12;
    if (r < 0.15) return true;
    if (r < 0.2) return 'abcdefghij'.repeat(40); // longer than any key, and than the memo's strings
    return Array.from({ length: 1 + Math.floor(rand() * 2) }, () => pick(words)).join(' ');
  };
  const paths = [['process', 'args'], ['process', 'command_line'], ['process', 'parent', 'name']];
  const alternatives: Required[] = [];
  for (let i = 0; i < 24; i++) {
    const path = pick(paths);
    const kind = rand();
    const keys = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(['-enc', '/create', 'a.exe', 'b.exe', '12', 'invoke', 'temp\\a', 'true', 'abcdefghij']));
    alternatives.push(kind < 0.15 ? { path, keys: [], exists: true } : kind < 0.55 ? { path, keys, contains: true } : { path, keys });
  }
  const needs = new SecondNeeds();
  const numbered: Array<[number, Required[]]> = [];
  const addNeed = (): void => {
    const need = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => pick(alternatives));
    numbered.push([needs.add(need), need]);
  };
  for (let i = 0; i < 12; i++) addNeed();
  let stamp = 0;
  let met = 0;
  for (let e = 0; e < 400; e++) {
    // Needs added while the needs are in use (a field already read and remembered) answer as well.
    if (e === 200) for (let i = 0; i < 6; i++) addNeed();
    const doc: Doc = { process: {} };
    const proc = doc.process as Doc;
    if (rand() < 0.8) proc.args = rand() < 0.5 ? value() : [value(), null, value()];
    if (rand() < 0.8) proc.command_line = value();
    if (rand() < 0.5) proc.parent = { name: value() };
    stamp++;
    for (const [i, need] of numbered) {
      const want = need.some((r) => meets(r, doc));
      assert.equal(needs.met(i, doc, stamp), want, `event ${e}, need ${JSON.stringify(need)}, doc ${JSON.stringify(doc).slice(0, 300)}`);
      if (want) met++;
    }
  }
  assert.ok(met > 300, `needs met: ${met}`);
});

test('second needs: a field that fails to read meets every alternative on it, for that event only', () => {
  const needs = new SecondNeeds();
  const a = needs.add([{ path: ['process', 'args'], keys: ['-enc'] }]);
  const b = needs.add([{ path: ['process', 'args'], keys: ['x'], contains: true }]);
  const hostile = { process: Object.defineProperty({}, 'args', { get: () => { throw new Error('bad'); }, enumerable: true }) };
  assert.equal(needs.met(a, hostile, 1), true);
  assert.equal(needs.met(b, hostile, 1), true);
  assert.equal(needs.met(a, { process: { args: ['y'] } }, 2), false);
  assert.equal(needs.met(b, { process: { args: ['y'] } }, 2), false);
  assert.equal(needs.met(b, { process: { args: ['aXb'] } }, 3), true);
});
