/**
 * Ingest into a 2-shard ClickHouse cluster is resumable: a second run skips every file by content
 * hash, and a run killed midway leaves no event of an unfinished file visible, so the rerun ends
 * with exactly one visible copy of each event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/cli/paths.js';
import { cli } from '../../helpers/cli.js';
import { sysmon1 } from '../../helpers/sigma.js';
import { chRows, requireCluster, startTestCluster, visibleCounts, type TestCluster } from '../../helpers/clickhouse.js';

const FILES = 30;
const PER_FILE = 2000;
let cluster: TestCluster | undefined;
let dir: string;

before(async () => {
  cluster = await startTestCluster();
  dir = mkdtempSync(join(tmpdir(), 'detectory-chingest-'));
  const inp = join(dir, 'in');
  mkdirSync(inp, { recursive: true });
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let i = 0; i < PER_FILE; i++) lines.push(JSON.stringify(sysmon1({ CommandLine: `cmd /c echo ${f}-${i}`, Image: 'C:\\x.exe' }, { EventRecordID: f * PER_FILE + i + 1 })));
    writeFileSync(join(inp, `f${String(f).padStart(2, '0')}.jsonl`), lines.join('\n') + '\n');
  }
});

after(async () => {
  await cluster?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('killing ingest midway, then rerunning, gives exactly one copy of each event; a third run skips every file', async (t) => {
  if (!requireCluster(t, cluster)) return;
  const url = cluster!.url;
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'detectory.js'), 'ingest', join(dir, 'in'), '--store', url], { stdio: 'ignore' });
  // Killed once some files are done (whenever that falls, the invariants below must hold).
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const [r] = await chRows<{ n: number }>(url, 'SELECT count() AS n FROM files');
    if (Number(r.n) >= 3 || child.exitCode !== null) break;
  }
  child.kill('SIGKILL');
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  const mid = await visibleCounts(url);
  assert.ok(mid.perFileOk, 'every file counted as done has all its events visible and no more');
  assert.equal(mid.events, mid.files * PER_FILE, 'no visible event of a file not counted as done');
  const [raw] = await chRows<{ n: number }>(url, 'SELECT count() AS n FROM events');
  t.diagnostic(`killed after ${mid.files} of ${FILES} files; rows stored ${raw.n}, visible ${mid.events}`);

  const again = cli(['ingest', join(dir, 'in'), '--store', url, '--json']);
  assert.equal(again.status, 0, again.stderr);
  const sa = JSON.parse(again.stderr.trim().split('\n').pop()!);
  assert.equal(sa.skipped, mid.files);
  assert.equal(sa.ingested, FILES - mid.files);
  const end = await visibleCounts(url);
  assert.equal(end.files, FILES);
  assert.equal(end.events, FILES * PER_FILE);
  assert.equal(end.distinct, FILES * PER_FILE);
  assert.ok(end.perFileOk);

  const third = cli(['ingest', join(dir, 'in'), '--store', url, '--json']);
  const s3 = JSON.parse(third.stderr.trim().split('\n').pop()!);
  assert.equal(s3.skipped, FILES);
  assert.equal(s3.events, 0);
  // Both shards hold events: the Distributed table spread them.
  const perShard = await chRows<{ n: number }>(url, `SELECT count() AS n FROM remote('127.0.0.1:${cluster!.shards[1].tcp}', detectory, events_local)`);
  assert.ok(Number(perShard[0].n) > 0, 'shard 2 holds events');
});
