/**
 * A large cache file is read in pieces at once (readCacheFileParallel): the bytes are the file's,
 * whatever the piece count and however the size falls on the pieces; a missing file is no file; a
 * file larger than a cache file can be is refused with a note, in pieces or in one read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CACHE_FILE, readCacheFileParallel } from '../../../src/engine/cache/rule-cache.js';

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

test('a cache file read in pieces gives exactly its bytes, in shared memory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-pieces-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const notes: string[] = [];
  // Sizes on and off the 4 KiB pieces' bounds, and smaller than one piece per part.
  for (const size of [1, 4095, 4096, 4097, 3 * 4096 + 17, 1 << 20, (1 << 20) + 4096 * 3 - 1]) {
    const file = join(dir, `f-${size}.bin`);
    const want = bytes(size, size);
    writeFileSync(file, want);
    for (const pieces of [1, 2, 3, 4, 7]) {
      const got = await readCacheFileParallel(file, (l) => notes.push(l), pieces, 0);
      assert.ok(got, `${size} bytes, ${pieces} pieces`);
      assert.ok(got.buffer instanceof SharedArrayBuffer, 'shared, so that workers read it in place');
      assert.equal(got.byteLength, size, `${size} bytes, ${pieces} pieces`);
      assert.ok(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(want), `${size} bytes, ${pieces} pieces: other bytes`);
    }
    // Below the size for pieces: one read, the same bytes.
    const one = await readCacheFileParallel(file, (l) => notes.push(l), 4, size + 1);
    assert.ok(one && Buffer.from(one.buffer, one.byteOffset, one.byteLength).equals(readFileSync(file)));
  }
  assert.equal(await readCacheFileParallel(join(dir, 'missing.bin'), (l) => notes.push(l), 4, 0), undefined);
  assert.deepEqual(notes, []);
});

test('a cache file larger than a cache file can be is refused with one note, in pieces or in one read', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-pieces-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'huge.bin');
  writeFileSync(file, 'x');
  truncateSync(file, MAX_CACHE_FILE + 1); // sparse: no disk used
  for (const minBytes of [0, MAX_CACHE_FILE + 2]) {
    const notes: string[] = [];
    assert.equal(await readCacheFileParallel(file, (l) => notes.push(l), 4, minBytes), undefined);
    assert.equal(notes.length, 1, notes.join(' | '));
    assert.match(notes[0], /larger than a cache file can be/);
  }
});
