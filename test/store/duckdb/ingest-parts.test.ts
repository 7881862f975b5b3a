/**
 * Ingest commits a file in bounded parts: the store must hold exactly the rows, in the same
 * order, as when the file is one part; and a run stopped after some parts of a file leaves no
 * event of that file in `events` and does not count it, so the next run ends with one copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/store/db.js';
import { ingest } from '../../../src/store/duckdb/ingest.js';
import { sysmon1 } from '../../helpers/sigma.js';

const FILES = 3;
const PER_FILE = 1200;
const ROUTES: Array<[string, number]> = [['Microsoft-Windows-Sysmon/Operational', 1], ['Security', 4688], ['Microsoft-Windows-Sysmon/Operational', 3]];

/** Files whose events change route every event: parts each hold every route. */
function writeInputs(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let i = 0; i < PER_FILE; i++) {
      const [Channel, EventID] = ROUTES[i % ROUTES.length];
      lines.push(JSON.stringify(sysmon1({ CommandLine: `cmd /c echo ${f}-${i}`, Image: 'C:\\x.exe' }, { EventRecordID: f * PER_FILE + i + 1, Channel, EventID })));
    }
    writeFileSync(join(dir, `f${f}.jsonl`), lines.join('\n') + '\n');
  }
  return dir;
}

/** Every column of every event in store order (maps as text), and the files' rows. */
async function dump(path: string): Promise<{ rows: string[]; files: string[] }> {
  const db = await openDb(path, { readOnly: true });
  try {
    const rows = (await db.conn.runAndReadAll(`SELECT * EXCLUDE (fields, lists, ecs, ecs_lists), fields::VARCHAR AS fields, lists::VARCHAR AS lists,
      ecs::VARCHAR AS ecs, ecs_lists::VARCHAR AS ecs_lists FROM events ORDER BY rowid`)).getRowObjectsJson();
    const files = (await db.conn.runAndReadAll('SELECT hash, path, events, problems FROM files ORDER BY hash')).getRowObjectsJson();
    return { rows: rows.map((r) => JSON.stringify(r)), files: files.map((r) => JSON.stringify(r)) };
  } finally {
    db.close();
  }
}

async function run(path: string, input: string, rowsPerPart: number, afterPart?: (file: string, part: number) => void): Promise<void> {
  const db = await openDb(path);
  try {
    const s = await ingest(db.conn, [input], { threads: 1 }, undefined, { rowsPerPart, afterPart });
    assert.equal(s.failed, 0);
  } finally {
    db.close();
  }
}

test('a file committed in many parts gives the rows, in the order, of one part', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-parts-'));
  try {
    const input = writeInputs(join(dir, 'in'));
    await run(join(dir, 'whole.duckdb'), input, 1_000_000);
    let parts = 0;
    await run(join(dir, 'parts.duckdb'), input, 100, () => parts++);
    assert.ok(parts >= FILES * 10, `parts: ${parts}`);
    const whole = await dump(join(dir, 'whole.duckdb'));
    const cut = await dump(join(dir, 'parts.duckdb'));
    assert.equal(whole.rows.length, FILES * PER_FILE);
    // Ingest time differs between the runs: compare everything else.
    const strip = (r: string): string => r.replace(/"ingested_at":"[^"]*"/, '');
    assert.deepEqual(cut.rows.map(strip), whole.rows.map(strip));
    assert.deepEqual(cut.files, whole.files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run stopped after some parts of a file counts none of it; the next run gives one copy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-parts-'));
  try {
    const input = writeInputs(join(dir, 'in'));
    const path = join(dir, 's.duckdb');
    // Stops (as a crash would: no cleanup) after the third part of the second file.
    let seen = 0;
    let stoppedIn = '';
    await assert.rejects(run(path, input, 250, (file, part) => {
      if (++seen > 5 && part === 2) {
        stoppedIn = file;
        throw new Error('stopped midway');
      }
    }), /stopped midway/);
    assert.ok(stoppedIn.endsWith('f1.jsonl'), stoppedIn);
    const mid = await dump(path);
    assert.equal(mid.files.length, 1, 'only the first file counts as ingested');
    assert.equal(mid.rows.length, PER_FILE, 'no event of the stopped file is in events');
    assert.ok(mid.rows.every((r) => r.includes('f0.jsonl')));
    await run(path, input, 250);
    const end = await dump(path);
    assert.equal(end.files.length, FILES);
    assert.equal(end.rows.length, FILES * PER_FILE);
    const ids = new Set(end.rows.map((r) => (JSON.parse(r) as { record_id: number }).record_id));
    assert.equal(ids.size, FILES * PER_FILE, 'each event once');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
