import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { openDb, type Db } from '../../src/store/db.js';
import { snapshotRules } from '../../src/sync/changes.js';
import { runSync, type SyncReport } from '../../src/sync/run.js';
import { renderSyncReport } from '../../src/sync/report-text.js';
import { walkFiles } from '../../src/util/walk-files.js';
import { requireShared } from '../helpers/shared.js';
import { buildMirror, serveMirror, type Fault } from './mirror.js';

/** Every file of the cache with its content hash, and the catalog's rules and ATT&CK releases. */
async function stateOf(cache: string, db: Db): Promise<string> {
  const files = walkFiles(cache, () => true, () => {}).map((f) => `${relative(cache, f)} ${createHash('sha1').update(readFileSync(f)).digest('hex')}`);
  const rules = [...(await snapshotRules(db)).values()].map((r) => `${r.uid} ${r.fileHash} ${r.title}`).sort();
  const rel = (await db.conn.runAndReadAll('SELECT release, objects FROM attack_releases ORDER BY release')).getRowObjectsJson();
  return JSON.stringify({ files, rules, rel });
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const p = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'detectory.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // a guard against a hang (never a timing assertion): the child is killed, status null
    const guard = setTimeout(() => p.kill(), 300_000);
    p.on('close', (status) => {
      clearTimeout(guard);
      ok({ status, stdout, stderr });
    });
  });
}

test('sync from a mirror served on 127.0.0.1: first build, one changed rule, failed downloads change nothing', async (t) => {
  const shared = requireShared(t, 'the sync test (mirror of ../shared)');
  if (!shared) return;
  const dir = mkdtempSync(join(tmpdir(), 'detectory-sync-'));
  const mirror = buildMirror(shared, join(dir, 'mirror'), 50, ['17.1', '18.0']);
  const faults: Fault[] = [];
  const srv = await serveMirror(mirror.root, faults);
  const cache = join(dir, 'cache');
  const dbPath = join(dir, 'catalog.duckdb');
  const db = await openDb(dbPath);
  const sync = (): Promise<SyncReport> => runSync(db, { cache, from: srv.url, attackSince: '17.1' });
  try {
    await t.test('the first sync builds the catalog and loads both ATT&CK releases', async (st) => {
      const r = await sync();
      st.diagnostic(renderSyncReport(r).split('\n').slice(0, 12).join(' | '));
      for (const v of ['sigma', 'elastic', 'splunk'] as const) {
        assert.ok(r.rules.by_vendor[v].added >= 50, `${v}: ${r.rules.by_vendor[v].added} rules added`);
        assert.equal(r.rules.by_vendor[v].modified, 0);
        assert.equal(r.rules.by_vendor[v].removed, 0);
      }
      assert.deepEqual(r.attack.added, ['17.1', '18.0']);
      assert.equal(r.catalog?.parsedFiles, r.catalog?.files);
      const n = (await db.conn.runAndReadAll(`SELECT vendor, count(DISTINCT path) AS n FROM rules GROUP BY vendor ORDER BY vendor`)).getRowObjectsJson();
      assert.deepEqual(n.map((x) => [x.vendor, Number(x.n)]), [['elastic', 50], ['sigma', 50], ['splunk', 50]]);
      assert.ok(srv.requests.includes('/api.github.com/repos/SigmaHQ/sigma/releases/latest'));
      assert.ok(srv.requests.includes('/raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack-18.0.json'));
    });

    const [changedName, changedText] = [...mirror.sigmaFiles][7];
    const changed = new Map(mirror.sigmaFiles);
    changed.set(changedName, changedText.replace(/^title: .*$/m, 'title: Changed By The Sync Test'));
    assert.notEqual(changed.get(changedName), changedText);

    await t.test('a second sync reports exactly the one changed rule and parses only its file', async () => {
      mirror.publishSigma('r2026-02-01', changed);
      const r = await sync();
      assert.deepEqual(r.rules.modified.map((c) => [c.vendor, relative(join(cache, 'sigma'), c.path), c.title]),
        [['sigma', changedName, 'Changed By The Sync Test']]);
      assert.deepEqual(r.rules.added, []);
      assert.deepEqual(r.rules.removed, []);
      assert.deepEqual(r.rules.by_vendor, { sigma: { added: 0, modified: 1, removed: 0 }, elastic: { added: 0, modified: 0, removed: 0 }, splunk: { added: 0, modified: 0, removed: 0 } });
      assert.equal(r.catalog?.parsedFiles, 1);
      const text = renderSyncReport(r);
      assert.match(text, /^sigma\s+0\s+1\s+0$/m);
      assert.ok(text.includes(`modified:\n  sigma  ${join('sigma', changedName)}  Changed By The Sync Test`), text);
      assert.deepEqual(r.attack.added, []);
      assert.equal(r.sources.find((s) => s.source === 'sigma')?.version, 'r2026-02-01');
    });

    const failing = async (name: string, prepare: () => void, message: RegExp): Promise<void> => {
      await t.test(name, async (st) => {
        const before = await stateOf(cache, db);
        prepare();
        await assert.rejects(sync(), (e: Error) => {
          st.diagnostic(e.message);
          assert.match(e.message, message);
          assert.equal(e.message.includes('\n'), false, 'one line');
          return true;
        });
        assert.equal(await stateOf(cache, db), before, 'cache and catalog unchanged');
        faults.length = 0;
      });
    };
    const third = new Map(changed);
    third.set(changedName, changedText.replace(/^title: .*$/m, 'title: Never Seen'));

    await failing('a truncated archive leaves the previous state', () => {
      const archive = mirror.publishSigma('r2026-03-01', third);
      writeFileSync(join(mirror.root, 'github.com/SigmaHQ/sigma/archive/refs/tags/r2026-03-01.tar.gz'), archive.subarray(0, archive.length - 200));
    }, /r2026-03-01\.tar\.gz: .*(gzip|truncated|ends)/);

    await failing('a checksum mismatch leaves the previous state', () => {
      const archive = mirror.publishSigma('r2026-04-01', third);
      mirror.publishSigma('r2026-04-01', third, { sha256: 'ab'.repeat(32), size: archive.length });
    }, /sha256 [0-9a-f]{64} does not match the published abab/);

    await failing('a server dropping the connection leaves the previous state', () => {
      mirror.publishSigma('r2026-05-01', third);
      faults.push({ path: 'r2026-05-01.tar.gz', drop: true });
    }, /r2026-05-01\.tar\.gz: (connection lost|got \d+ bytes, Content-Length said)/);

    await failing('an ATT&CK bundle whose sha256 differs from the index leaves the previous state', () => {
      const raw = join(mirror.root, 'raw.githubusercontent.com/mitre-attack/attack-stix-data/master');
      copyFileSync(join(shared, 'attack/enterprise-attack-18.1.json'), join(raw, 'enterprise-attack/enterprise-attack-18.1.json'));
      const index = JSON.parse(readFileSync(join(raw, 'index.json'), 'utf8')) as { collections: Array<{ versions: unknown[] }> };
      index.collections[0].versions.push({
        version: '18.1', sha256: 'cd'.repeat(32),
        url: 'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack-18.1.json',
      });
      writeFileSync(join(raw, 'index.json'), JSON.stringify(index));
      mirror.publishSigma('r2026-02-01', changed);
    }, /enterprise-attack-18\.1\.json: sha256 [0-9a-f]{64} does not match the published cdcd/);

    await t.test('the CLI prints one error line and exits 3 when the download is cut', async () => {
      mirror.publishSigma('r2026-06-01', third);
      faults.push({ path: 'r2026-06-01.tar.gz', drop: true });
      db.close();
      const before = readFileSync(dbPath);
      const r = await runCli(['sync', '--from', srv.url, '--cache', cache, '--db', dbPath, '--only', 'sigma']);
      t.diagnostic(r.stderr.trim());
      assert.equal(r.status, 3, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^detectory: sync failed, cache and catalog unchanged: .*r2026-06-01\.tar\.gz/);
      assert.equal(r.stdout, '');
      assert.ok(readFileSync(dbPath).equals(before), 'database file unchanged');
    });

    await t.test('--from DIR reads the same layout from a folder', async () => {
      const db2 = await openDb(join(dir, 'dir.duckdb'));
      try {
        const r = await runSync(db2, { cache: join(dir, 'cache-dir'), from: mirror.root, only: 'elastic' });
        assert.deepEqual(r.rules.by_vendor.elastic, { added: 50, modified: 0, removed: 0 });
        assert.equal(r.sources.length, 1);
      } finally {
        db2.close();
      }
    });

    await t.test('HTTP_PROXY is honoured: every request goes through the proxy', async () => {
      // the "proxy" serves the mirror for absolute-form requests; the mirror's host name does not resolve,
      // so the sync can only succeed through the proxy
      const proxy = await serveMirror(mirror.root, []);
      // undici tunnels through the proxy with CONNECT: the tunnel leads to the mirror server
      proxy.server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        proxy.requests.push(`CONNECT ${req.url}`);
        const up = connect(Number(new URL(srv.url).port), '127.0.0.1', () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          up.write(head);
          up.pipe(socket);
          socket.pipe(up);
        });
        up.on('error', () => socket.destroy());
        socket.on('error', () => up.destroy());
      });
      try {
        const r = await runCli(['sync', '--from', 'http://mirror.invalid', '--only', 'elastic', '--json',
          '--cache', join(dir, 'cache-proxy'), '--db', join(dir, 'proxy.duckdb')], { HTTP_PROXY: proxy.url, NO_PROXY: '' });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual((JSON.parse(r.stdout) as SyncReport).rules.by_vendor.elastic, { added: 50, modified: 0, removed: 0 });
        t.diagnostic(`proxy saw: ${proxy.requests.join(', ')}`);
        assert.ok(proxy.requests.length > 0);
      } finally {
        proxy.server.close();
      }
    });
  } finally {
    try {
      db.close();
    } catch {
      // closed by the CLI subtest
    }
    srv.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
