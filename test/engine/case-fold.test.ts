/**
 * The case-folding tables are built a block of code units at a time (case-fold.ts); they must be
 * exactly what folding each code unit on its own gives, for all 65,536 code units, and UNFOLD must
 * be their inverse.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FOLD, UNFOLD, foldString, foldUnit } from '../../src/engine/case-fold.js';

test('FOLD: every code unit folded as String.fromCharCode(c).toLowerCase() folds it alone', () => {
  const f = FOLD();
  const wrong: string[] = [];
  for (let c = 0; c < 65536; c++) {
    const lc = String.fromCharCode(c).toLowerCase();
    const want = lc.length === 1 ? lc.charCodeAt(0) : c;
    if (f[c] !== want) wrong.push(`U+${c.toString(16)}: ${f[c].toString(16)} (want ${want.toString(16)})`);
    if (foldUnit(c) !== want) wrong.push(`foldUnit U+${c.toString(16)}`);
  }
  assert.deepEqual(wrong.slice(0, 10), []);
  // The cases a block's toLowerCase treats differently from a code unit's own.
  assert.equal(f[0x3a3], 0x3c3, 'capital sigma folds to sigma, never to final sigma');
  assert.equal(f[0x130], 0x130, 'capital I with dot: two units lower-cased, kept as it is');
  assert.equal(f[0x212a], 0x6b, 'Kelvin sign folds to k');
  assert.equal(f[0xd801], 0xd801, 'a lone surrogate is kept');
  assert.equal(foldString('ΣΑΣ'), 'σασ'.slice(0, 2) + 'ς', 'foldString keeps toLowerCase (final sigma at the end)');
});

test('UNFOLD: for each code unit, every code unit folding to it, ascending; none when nothing folds to it', () => {
  const f = FOLD();
  const want = new Map<number, number[]>();
  for (let x = 0; x < 65536; x++) {
    const l = want.get(f[x]);
    if (l) l.push(x);
    else want.set(f[x], [x]);
  }
  const unfold = UNFOLD();
  let lists = 0;
  for (let c = 0; c < 65536; c++) {
    const got = unfold.get(c);
    assert.deepEqual(got, want.get(c), `U+${c.toString(16)}`);
    if (got) lists++;
  }
  assert.equal(lists, want.size);
  assert.deepEqual(unfold.get(0x6b), [0x4b, 0x6b, 0x212a]);
  assert.equal(unfold.get(0x41), undefined, 'nothing folds to capital A');
  assert.equal(unfold.get(-1), undefined);
  assert.equal(unfold.get(65536), undefined);
});
