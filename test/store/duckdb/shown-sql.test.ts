import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/store/db.js';
import { shownSql } from '../../../src/store/duckdb/shown-sql.js';
import { boundMemory } from '../../../src/store/duckdb/memory-limit.js';

const value = (f: string): string => (f === 'Image' || f === 'CommandLine' ? `"f_${f}"` : `fields['${f}']`);

test('each row shows its own rule\'s fields, in the rule\'s order, map fields only for the rules showing them', async () => {
  const db = await openDb(':memory:');
  try {
    await db.conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES
      (0, 'a.exe', 'a -x', MAP {'Foo': 'f0'}), (1, 'b.exe', 'b -y', MAP {'Foo': 'f1'}), (3, 'c.exe', NULL, MAP {'Bar': 'b3'}), (4, 'd.exe', 'd', MAP {}))
      AS v(r, "f_Image", "f_CommandLine", fields)`);
    const rules = [
      { i: 0, shown: ['CommandLine', 'Image'] },
      { i: 1, shown: ['Foo'] },
      { i: 3, shown: ['Image', 'Bar', 'CommandLine'] },
      { i: 4, shown: [] },
    ];
    const sql = shownSql(rules, value);
    assert.doesNotMatch(sql, /CASE r/);
    const rows = (await db.conn.runAndReadAll(`SELECT r, ${sql} AS shown FROM t ORDER BY r`)).getRowObjectsJson();
    assert.deepEqual(rows.map((x) => [x.r, x.shown]), [
      [0, ['a -x', 'a.exe']],
      [1, ['f1']],
      [3, ['c.exe', 'b3', null]],
      [4, []],
    ]);
    // One rule: its list as it is.
    assert.equal(shownSql([{ i: 7, shown: ['Image', 'Foo'] }], value), `["f_Image", fields['Foo']]::VARCHAR[]`);
  } finally {
    db.close();
  }
});

test('the memory limit is lowered on a store on disk, never raised', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-mem-'));
  const db = await openDb(join(dir, 'x.duckdb'));
  try {
    const limit = async (): Promise<string> => String((await db.conn.runAndReadAll(`SELECT current_setting('memory_limit') AS m`)).getRowObjectsJson()[0].m);
    await db.conn.run(`SET memory_limit = '4GiB'`);
    await boundMemory(db.conn, 1024 ** 3);
    assert.equal(await limit(), '1.0 GiB');
    await boundMemory(db.conn, 2 * 1024 ** 3);
    assert.equal(await limit(), '1.0 GiB');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
