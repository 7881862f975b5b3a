import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { cli } from '../helpers/cli.js';
import { fixtureCatalog } from './helpers.js';
import { testTempDir } from '../helpers/temp-dir.js';

/** Runs `detectory serve ARGS` until it prints its URL, fetches `path`, stops it with SIGTERM. */
async function serveOnce(args: string[], path: string, env: Record<string, string | undefined> = {}, cwd = PACKAGE_ROOT): Promise<{ url: string; status: number; body: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'detectory.js'), 'serve', '--port', '0', ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/[^\s/]+)\//.exec(out);
      if (m) res(m[1]);
    });
    child.once('exit', (code) => rej(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const r = await fetch(url + path);
  const body = await r.text();
  const code = await new Promise<number | null>((res) => {
    child.once('exit', (c) => res(c));
    child.kill('SIGTERM');
  });
  return { url, status: r.status, body, stderr, code };
}

test('serve binds 127.0.0.1 by default and serves the catalog given', async () => {
  const db = await fixtureCatalog();
  const r = await serveOnce(['--db', db], '/rules/splunk/33333333-3333-4333-8333-333333333333');
  assert.match(r.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(r.status, 200);
  assert.equal(r.code, 0, 'stops cleanly on SIGTERM');
});

test('serve without a database builds and serves the bundled examples', async (t) => {
  const cwd = testTempDir(t, 'detectory-serve-');
  const r = await serveOnce([], '/api/stats', { DETECTORY_DB: '' }, cwd);
  assert.equal(r.status, 200);
  assert.match(r.stderr, /serving the bundled example rules/);
  const stats = JSON.parse(r.body) as { stats: { vendors: Array<{ vendor: string; rules: number }> } };
  assert.ok((stats.stats.vendors.find((v) => v.vendor === 'sigma')?.rules ?? 0) >= 5, 'the example rules are in the catalog');
});

test('serve without a database leaves nothing in the temporary folder: after it stops, and when it cannot listen', async (t) => {
  const cwd = testTempDir(t, 'detectory-serve-');
  const tmp = testTempDir(t, 'detectory-serve-tmp-');
  const r = await serveOnce([], '/api/stats', { DETECTORY_DB: '', TMPDIR: tmp }, cwd);
  assert.equal(r.status, 200);
  assert.equal(r.code, 0, 'stops cleanly on SIGTERM');
  assert.deepEqual(readdirSync(tmp), [], 'the examples catalog is removed when serve stops');
  const holder = createServer();
  await new Promise<void>((res) => holder.listen(0, '127.0.0.1', res));
  try {
    const busy = cli(['serve', '--port', String((holder.address() as AddressInfo).port)], { cwd, env: { DETECTORY_DB: '', TMPDIR: tmp } });
    assert.equal(busy.status, 2, busy.stderr);
    assert.match(busy.stderr, /cannot listen/);
  } finally {
    holder.close();
  }
  assert.deepEqual(readdirSync(tmp), [], 'and when serve cannot listen');
});

test('serve and coverage layer refuse bad arguments with the contract exit codes', async (t) => {
  const dir = testTempDir(t, 'detectory-serve-');
  assert.equal(cli(['serve', '--port', 'eighty']).status, 2);
  assert.equal(cli(['serve', '--db', join(dir, 'no-such-detectory.duckdb'), '--port', '0']).status, 3);
  assert.equal(cli(['coverage', 'layer', '--db', await fixtureCatalog()]).status, 2, '--out is required');
  const noAttack = cli(['coverage', 'layer', '--db', await fixtureCatalog(), '--out', join(dir, 'layer.json')]);
  assert.equal(noAttack.status, 3, 'a catalog without ATT&CK has no matrix');
  assert.match(noAttack.stderr, /no ATT&CK release/);
});
