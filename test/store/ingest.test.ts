/**
 * Ingest is resumable: a file already in the store is skipped by content hash, and a run killed
 * midway leaves only whole files behind, so the next run ends with exactly one copy of each event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { openDb } from '../../src/store/db.js';
import { cli } from '../helpers/cli.js';
import { sysmon1 } from '../helpers/sigma.js';

const FILES = 30;
const PER_FILE = 2000;

function writeInputs(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let i = 0; i < PER_FILE; i++) lines.push(JSON.stringify(sysmon1({ CommandLine: `cmd /c echo ${f}-${i}`, Image: 'C:\\x.exe' }, { EventRecordID: f * PER_FILE + i + 1 })));
    writeFileSync(join(dir, `f${String(f).padStart(2, '0')}.jsonl`), lines.join('\n') + '\n');
  }
}

async function counts(dbPath: string): Promise<{ events: number; distinct: number; files: number; perFileOk: boolean }> {
  const db = await openDb(dbPath, { readOnly: true });
  try {
    const r = (await db.conn.runAndReadAll(`SELECT (SELECT count(*) FROM events) AS events,
      (SELECT count(DISTINCT record_id) FROM events) AS distinct_ids, (SELECT count(*) FROM files) AS files,
      (SELECT count(*) FROM files f WHERE f.events <> (SELECT count(*) FROM events e WHERE e.file_hash = f.hash)) AS bad`)).getRowObjectsJson()[0];
    return { events: Number(r.events), distinct: Number(r.distinct_ids), files: Number(r.files), perFileOk: Number(r.bad) === 0 };
  } finally {
    db.close();
  }
}

test('a second ingest of the same files skips them all', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-ingest-'));
  try {
    writeInputs(join(dir, 'in'));
    const store = `duckdb:${join(dir, 's.duckdb')}`;
    const a = cli(['ingest', join(dir, 'in'), '--store', store, '--json']);
    assert.equal(a.status, 0, a.stderr);
    const sa = JSON.parse(a.stderr.trim().split('\n').pop()!);
    assert.equal(sa.ingested, FILES);
    assert.equal(sa.events, FILES * PER_FILE);
    const b = cli(['ingest', join(dir, 'in'), '--store', store, '--json']);
    const sb = JSON.parse(b.stderr.trim().split('\n').pop()!);
    assert.equal(sb.skipped, FILES);
    assert.equal(sb.events, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('killing ingest midway, then rerunning, gives exactly one copy of each event', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-ingest-'));
  try {
    writeInputs(join(dir, 'in'));
    const dbPath = join(dir, 's.duckdb');
    // How long a whole run takes here, to kill the next one about halfway (a choice, not an assertion).
    const t0 = Date.now();
    assert.equal(cli(['ingest', join(dir, 'in'), '--store', `duckdb:${join(dir, 'calibrate.duckdb')}`]).status, 0);
    const whole = Date.now() - t0;
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'detectory.js'), 'ingest', join(dir, 'in'), '--store', `duckdb:${dbPath}`], { stdio: 'ignore' });
    // Killed some time into the run (whenever that falls, the invariants below must hold).
    await new Promise((r) => setTimeout(r, whole / 2));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const mid = await counts(dbPath).catch(() => undefined);
    if (mid) {
      assert.ok(mid.perFileOk, 'every file counted as done has all its events and no more');
      assert.equal(mid.events, mid.files * PER_FILE, 'no events of a file not counted as done');
      t.diagnostic(`killed after ${mid.files} of ${FILES} files`);
    }
    const again = cli(['ingest', join(dir, 'in'), '--store', `duckdb:${dbPath}`, '--json']);
    assert.equal(again.status, 0, again.stderr);
    const end = await counts(dbPath);
    assert.equal(end.files, FILES);
    assert.equal(end.events, FILES * PER_FILE);
    assert.equal(end.distinct, FILES * PER_FILE);
    assert.ok(end.perFileOk);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
