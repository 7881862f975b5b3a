import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Command } from 'commander';
import { importAttack } from '../../src/attack/import.js';
import { registerAttack, type Io } from '../../src/cli/attack.js';
import { CliError } from '../../src/cli/exit.js';
import { openDb } from '../../src/store/db.js';
import { tinyBundle } from './tiny.js';

/** Runs `detectory ARGS` in-process; returns stdout and the CliError (if any). */
export async function run(register: (p: Command, io: Io) => void, args: string[]): Promise<{ out: string; err: string; error?: CliError }> {
  const program = new Command('detectory').exitOverride();
  let out = '';
  let err = '';
  register(program, { out: (s) => void (out += s), err: (s) => void (err += s) });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err };
  } catch (e) {
    if (e instanceof CliError) return { out, err, error: e };
    throw e;
  }
}

describe('attack show / history verbs', () => {
  let dir: string;
  let dbPath: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'detectory-attack-cli-'));
    dbPath = join(dir, 'c.duckdb');
    const f1 = join(dir, 'enterprise-attack-1.0.json');
    const f2 = join(dir, 'enterprise-attack-2.0.json');
    writeFileSync(f1, JSON.stringify(tinyBundle()));
    const b2 = tinyBundle() as { objects: Array<Record<string, unknown>> };
    b2.objects[1].description = 'Changed.\u001b[2J\u001b]0;title\u0007 [Link](https://example.org/x)';
    b2.objects[1].modified = '2025-06-01T00:00:00.000Z';
    writeFileSync(f2, JSON.stringify(b2));
    const db = await openDb(dbPath);
    await importAttack(db, [f1, f2]);
    db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('show ID --json, and a revoked id shows its replacement', async () => {
    const r = await run(registerAttack, ['attack', 'show', 'T0001', '--db', dbPath, '--json']);
    const rep = JSON.parse(r.out);
    assert.equal(rep.object.id, 'T0001');
    assert.equal(rep.release, '2.0');
    assert.deepEqual(rep.tactics.map((t: { id: string }) => t.id), ['TA0002']);
    assert.equal(rep.rules.catalog, 'not built');
    const t = await run(registerAttack, ['attack', 'show', 't0002', '--db', dbPath]);
    assert.match(t.out, /^T0001 {2}New Technique/);
    assert.match(t.out, /T0002 Old Technique \(revoked\) was revoked/);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(t.out), 'no terminal control characters from bundle text');
    assert.match(t.out, /Link \(https:\/\/example\.org\/x\)/);
    const old = await run(registerAttack, ['attack', 'show', 'T0001', '--db', dbPath, '--release', '1.0', '--json']);
    assert.equal(JSON.parse(old.out).release, '1.0');
  });

  test('history ID: text and --json', async () => {
    const r = await run(registerAttack, ['attack', 'history', 'T0001', '--db', dbPath, '--json']);
    const h = JSON.parse(r.out);
    assert.deepEqual(h.releases.map((x: { change: string }) => x.change), ['initial', 'changed']);
    assert.deepEqual(h.releases[1].fields_added, ['description']);
    assert.deepEqual(h.releases[1].fields_changed, ['modified']);
    const t = await run(registerAttack, ['attack', 'history', 'T0001', '--db', dbPath]);
    assert.match(t.out, /2\.0\s+yes\s+active\s+2025-06-01\s+1\.0\s+[0-9a-f]{12}\s+changed\s+\+description ~modified/);
  });

  test('unknown id: exit 2, one line; missing database: exit 3', async () => {
    const r = await run(registerAttack, ['attack', 'show', 'T9999', '--db', dbPath]);
    assert.equal(r.error?.exitCode, 2);
    assert.equal(r.error?.message, 'T9999 is not an ATT&CK id or STIX id in any imported release (1.0, 2.0)');
    const h = await run(registerAttack, ['attack', 'history', 'G9999', '--db', dbPath]);
    assert.equal(h.error?.exitCode, 2);
    const m = await run(registerAttack, ['attack', 'show', 'T0001', '--db', join(dir, 'missing.duckdb')]);
    assert.equal(m.error?.exitCode, 3);
    assert.match(m.error!.message, /does not exist/);
    const rel = await run(registerAttack, ['attack', 'show', 'T0001', '--db', dbPath, '--release', '9.9']);
    assert.equal(rel.error?.exitCode, 2);
  });
});
