import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tinyBundle } from './tiny.js';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/detectory.js');

function cli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('contract path: catalog build --attack, attack show/history, vault export (the real bin)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-attack-contract-'));
  try {
    const db = join(dir, 'k.duckdb');
    const bundle = join(dir, 'bundle.json');
    writeFileSync(bundle, JSON.stringify(tinyBundle()));
    const b = cli(['catalog', 'build', '--attack', `${bundle}@3.1`, '--db', db]);
    assert.equal(b.code, 0, b.err);
    const show = cli(['attack', 'show', 'T0002', '--db', db, '--json']);
    assert.equal(show.code, 0, show.err);
    assert.equal(JSON.parse(show.out).object.id, 'T0001');
    assert.equal(JSON.parse(show.out).resolved_from[0].id, 'T0002');
    const miss = cli(['attack', 'show', 'T9999', '--db', db]);
    assert.equal(miss.code, 2);
    assert.equal(miss.err.trim().split('\n').length, 1);
    const hist = cli(['attack', 'history', 'TA0002', '--db', db, '--json']);
    assert.equal(hist.code, 0, hist.err);
    assert.deepEqual(JSON.parse(hist.out).releases.map((r: { release: string }) => r.release), ['3.1']);
    const nodb = cli(['attack', 'show', 'T0001', '--db', join(dir, 'none.duckdb')]);
    assert.equal(nodb.code, 3);
    const v = cli(['vault', 'export', join(dir, 'vault'), '--db', db]);
    assert.equal(v.code, 0, v.err);
    assert.ok(existsSync(join(dir, 'vault', 'techniques', 'T0001 New Technique.md')));
    const bad = cli(['catalog', 'build', '--attack', join(dir, 'missing.json'), '--db', db]);
    assert.notEqual(bad.code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
