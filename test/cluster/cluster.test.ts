/** `detectory cluster start|status|stop` through the CLI: a real 2-shard cluster, idempotent start, no process left behind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { NO_SERVER } from '../helpers/clickhouse.js';
import { findServer } from '../../src/cluster/server-binary.js';
import { portFree } from '../../src/cluster/ports.js';
import { chClient } from '../../src/store/clickhouse/client.js';
import { EXIT_UNREADABLE, EXIT_USAGE } from '../../src/cli/exit.js';

/** A running process (an exited server whose parent, pid 1 here, has not reaped it yet is a zombie: not running). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

test('cluster start prints the URL, start again reports it running, status lists shards, stop ends every server', (t) => {
  if (!findServer()) {
    if (process.env.DETECTORY_REQUIRE_SHARED === '1') throw new Error(NO_SERVER);
    return t.skip(NO_SERVER);
  }
  const dir = mkdtempSync(join(tmpdir(), 'detectory-cluster-'));
  let pids: number[] = [];
  try {
    const a = cli(['cluster', 'start', '--dir', dir, '--shards', '2', '--json']);
    assert.equal(a.status, 0, a.stderr);
    const ja = JSON.parse(a.stdout) as { url: string; already_running: boolean; shards: Array<{ pid: number; http: number; up: boolean }> };
    pids = ja.shards.map((s) => s.pid);
    assert.equal(ja.already_running, false);
    assert.equal(ja.shards.length, 2);
    assert.equal(ja.url, `clickhouse://127.0.0.1:${ja.shards[0].http}/detectory`);
    assert.ok(pids.every(alive));

    const b = cli(['cluster', 'start', '--dir', dir]);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(b.stdout.trim(), ja.url);
    assert.match(b.stderr, /already running/);
    assert.equal(cli(['cluster', 'start', '--dir', dir, '--shards', '3']).status, EXIT_USAGE, 'a different shard count is refused');

    const s = cli(['cluster', 'status', '--dir', dir, '--json']);
    assert.equal(s.status, 0, s.stderr);
    assert.deepEqual((JSON.parse(s.stdout) as { shards: Array<{ up: boolean }> }).shards.map((x) => x.up), [true, true]);

    const h = cli(['hunt', '--store', ja.url, '--rules', join('examples', 'rules'), '--json']);
    assert.equal(h.status, 0, h.stderr);

    const st = cli(['cluster', 'stop', '--dir', dir, '--json']);
    assert.equal(st.status, 0, st.stderr);
    assert.deepEqual((JSON.parse(st.stdout) as { shards: Array<{ was: string }> }).shards.map((x) => x.was), ['stopped', 'stopped']);
    assert.ok(!pids.some(alive), 'no server left running');

    const down = cli(['cluster', 'status', '--dir', dir]);
    assert.equal(down.status, EXIT_UNREADABLE);
    assert.match(down.stdout, /down/);
    const again = cli(['cluster', 'stop', '--dir', dir, '--json']);
    assert.deepEqual((JSON.parse(again.stdout) as { shards: Array<{ was: string }> }).shards.map((x) => x.was), ['not-running', 'not-running']);
  } finally {
    for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cluster errors: one line, contract exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-cluster-'));
  try {
    const r = cli(['cluster', 'status', '--dir', join(dir, 'none')]);
    assert.equal(r.status, EXIT_UNREADABLE);
    assert.match(r.stderr, /^detectory: .*none: no cluster here/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(cli(['cluster', 'start', '--dir', dir, '--shards', 'two']).status, EXIT_USAGE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cluster start refuses a port another program holds, before starting any shard', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-cluster-'));
  const holder = createServer();
  try {
    // Six consecutive ports free now (shard 1: base..base+2, shard 2: base+3..base+5); another program takes shard 2's tcp port.
    let base = 0;
    for (let p = 40000 + Math.floor(Math.random() * 20000); !base; p += 6) {
      if ((await Promise.all([0, 1, 2, 3, 4, 5].map((k) => portFree(p + k)))).every(Boolean)) base = p;
    }
    await new Promise<void>((res) => holder.listen(base + 4, '127.0.0.1', res));
    const r = cli(['cluster', 'start', '--dir', dir, '--shards', '2', '--base-port', String(base)]);
    assert.equal(r.status, EXIT_UNREADABLE, r.stderr);
    assert.match(r.stderr, new RegExp(`^detectory: shard 2: port ${base + 4} on 127\\.0\\.0\\.1 is in use by another program`));
    assert.equal(r.stderr.trim().split('\n').length, 1);
    // Shard 1 was not started either: its ports are still free.
    assert.ok((await Promise.all([0, 1, 2].map((k) => portFree(base + k)))).every(Boolean), 'no shard left running');
  } finally {
    await new Promise<void>((res) => holder.close(() => res()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cluster start writes each shard its own HTTP port anew (a folder copied from a cluster on other ports)', async (t) => {
  if (!findServer()) {
    if (process.env.DETECTORY_REQUIRE_SHARED === '1') throw new Error(NO_SERVER);
    return t.skip(NO_SERVER);
  }
  const dir = mkdtempSync(join(tmpdir(), 'detectory-cluster-'));
  let pids: number[] = [];
  // A client per statement: a kept-alive connection would outlive the restart.
  const sql = async (port: number, q: string): Promise<string> => {
    const c = chClient({ http: `http://127.0.0.1:${port}`, db: 'detectory' });
    try {
      return (await (await c.exec({ query: q })).stream.toArray()).join('').trim();
    } finally {
      await c.close();
    }
  };
  try {
    const a = cli(['cluster', 'start', '--dir', dir, '--shards', '2', '--json']);
    assert.equal(a.status, 0, a.stderr);
    const shards = (JSON.parse(a.stdout) as { shards: Array<{ pid: number; http: number }> }).shards;
    pids = shards.map((s) => s.pid);
    // What a copy of another cluster's folder holds: a view naming that cluster's port.
    await sql(shards[0].http, 'DROP TABLE detectory.shard_http');
    await sql(shards[0].http, 'CREATE VIEW detectory.shard_http AS SELECT toUInt16(1) AS http_port');
    assert.equal(cli(['cluster', 'stop', '--dir', dir]).status, 0);
    const b = cli(['cluster', 'start', '--dir', dir, '--json']);
    assert.equal(b.status, 0, b.stderr);
    const again = (JSON.parse(b.stdout) as { shards: Array<{ pid: number; http: number }> }).shards;
    pids = again.map((s) => s.pid);
    for (const s of again) assert.equal(await sql(s.http, 'SELECT http_port FROM detectory.shard_http'), String(s.http));
    assert.equal(cli(['cluster', 'stop', '--dir', dir]).status, 0);
  } finally {
    for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
