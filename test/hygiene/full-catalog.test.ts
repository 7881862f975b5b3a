/** The full catalog cached across test files is bounded: one per key in use, no half-built files left. */
import assert from 'node:assert/strict';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pruneFullCatalogs } from '../helpers/full-catalog.js';
import { testTempDir } from '../helpers/temp-dir.js';

test('full catalogs: a build removes those of other keys unused for an hour and half-built files of gone processes, nothing else', (t) => {
  const dir = testTempDir(t, 'detectory-hygiene-cat-');
  const now = Date.now();
  const file = (name: string, ageMs: number): void => {
    writeFileSync(join(dir, name), 'x');
    const at = new Date(now - ageMs);
    utimesSync(join(dir, name), at, at);
  };
  const hour = 60 * 60_000;
  file('detectory-full-catalog-aaaa.duckdb', 5 * 60_000); // in use by another worktree
  file('detectory-full-catalog-bbbb.duckdb', 2 * hour); // older code
  file('detectory-full-catalog-bbbb.duckdb.wal', 2 * hour);
  file(`detectory-full-catalog-cccc.duckdb.${process.pid}.tmp`, 2 * hour); // a build running now
  file('detectory-full-catalog-dddd.duckdb.2147483646.tmp', 0); // a build whose process is gone
  file('detectory-full-catalog-dddd.duckdb.2147483646.tmp.wal', 0);
  file('detectory-full-catalog-notes.txt', 2 * hour); // not a catalog
  file('other.duckdb', 2 * hour);
  const removed = pruneFullCatalogs(dir, now).sort();
  assert.deepEqual(removed, ['detectory-full-catalog-bbbb.duckdb', 'detectory-full-catalog-bbbb.duckdb.wal',
    'detectory-full-catalog-dddd.duckdb.2147483646.tmp', 'detectory-full-catalog-dddd.duckdb.2147483646.tmp.wal']);
  assert.deepEqual(readdirSync(dir).sort(), ['detectory-full-catalog-aaaa.duckdb', `detectory-full-catalog-cccc.duckdb.${process.pid}.tmp`,
    'detectory-full-catalog-notes.txt', 'other.duckdb']);
});
