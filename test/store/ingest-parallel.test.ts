/**
 * Ingest builds rows on worker threads: the store must hold exactly the rows a one-thread ingest
 * writes, whether an .evtx file is read whole or cut into parts of a few chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/store/db.js';
import { ingest } from '../../src/store/duckdb/ingest.js';
import { requireShared } from '../helpers/shared.js';

/** Every column of every event (maps as text), in store order, and the files' event counts. */
async function dump(path: string, inputs: string[], threads: number, chunksPerPart?: number): Promise<{ rows: string[]; files: string[]; events: number }> {
  const db = await openDb(path);
  try {
    const s = await ingest(db.conn, inputs, { threads }, chunksPerPart);
    assert.equal(s.failed, 0);
    const rows = (await db.conn.runAndReadAll(`SELECT * EXCLUDE (fields, lists), fields::VARCHAR AS fields, lists::VARCHAR AS lists FROM events ORDER BY file, seq`)).getRowObjectsJson();
    const files = (await db.conn.runAndReadAll('SELECT hash, path, events FROM files ORDER BY hash')).getRowObjectsJson();
    return { rows: rows.map((r) => JSON.stringify(r)), files: files.map((r) => JSON.stringify(r)), events: s.events };
  } finally {
    db.close();
  }
}

test('rows built on worker threads, from parts of files, equal the rows of a one-thread ingest', async (t) => {
  const shared = requireShared(t, 'the parallel ingest test');
  if (!shared) return;
  const dir = mkdtempSync(join(tmpdir(), 'detectory-ingest-par-'));
  try {
    const inputs = ['Defense Evasion', 'Execution', 'Lateral Movement'].map((d) => join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES', d));
    const serial = await dump(join(dir, 'serial.duckdb'), inputs, 1);
    // Parts of 2 chunks: every file of more than 2 chunks is read by several workers.
    const parallel = await dump(join(dir, 'parallel.duckdb'), inputs, 2, 2);
    const serialParts = await dump(join(dir, 'serial-parts.duckdb'), inputs, 1, 2);
    assert.ok(serial.events > 2000, `events: ${serial.events}`);
    assert.equal(parallel.rows.length, serial.rows.length);
    assert.deepEqual(parallel.rows, serial.rows);
    assert.deepEqual(parallel.files, serial.files);
    assert.deepEqual(serialParts.rows, serial.rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
