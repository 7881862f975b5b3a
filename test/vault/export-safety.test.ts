/**
 * `vault export` over a vault the user works in: only detectory's notes are replaced (the manifest
 * says which), the user's notes and `.obsidian/` stay, stale temporary folders of interrupted
 * exports are cleaned, and a place where nothing can be written is one line with exit 2.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importAttack } from '../../src/attack/import.js';
import { ensureCatalogSchema } from '../../src/catalog/schema.js';
import { openDb, type Db } from '../../src/store/db.js';
import { testTempDir } from '../helpers/temp-dir.js';
import { exportVault, VAULT_MARKER } from '../../src/vault/export.js';
import { isOwnNotePath } from '../../src/vault/install.js';
import { tinyBundle } from '../attack/tiny.js';
import { cli } from '../helpers/cli.js';

function manifestFiles(vault: string): string[] {
  return (JSON.parse(readFileSync(join(vault, VAULT_MARKER), 'utf8')) as { files: string[] }).files;
}

/** A pid no process has (checked), for a temporary folder left by an export that died. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

describe('vault export over a vault in use', () => {
  let dir: string;
  let db: Db;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'detectory-vault-safety-'));
    db = await openDb(join(dir, 'v.duckdb'));
    writeFileSync(join(dir, 'enterprise-attack-1.0.json'), JSON.stringify(tinyBundle()));
    await importAttack(db, [join(dir, 'enterprise-attack-1.0.json')]);
    await ensureCatalogSchema(db);
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the notes detectory wrote are replaced, stale ones removed; the user\'s notes and .obsidian/ stay', async () => {
    const vault = join(dir, 'vault');
    const first = await exportVault(db, vault);
    const ours = manifestFiles(vault);
    assert.equal(ours.length, first.notes);
    assert.ok(ours.includes('index.md') && ours.includes('techniques/T0001 New Technique.md'));
    // The user works in the vault: settings, own notes (also inside our folders), edits one of ours.
    mkdirSync(join(vault, '.obsidian'));
    writeFileSync(join(vault, '.obsidian', 'app.json'), '{"theme":"dark"}');
    mkdirSync(join(vault, 'my notes'));
    writeFileSync(join(vault, 'my notes', 'hunt plan.md'), 'mine');
    writeFileSync(join(vault, 'techniques', 'my T0001 thoughts.md'), 'mine too');
    writeFileSync(join(vault, 'techniques', 'T0001 New Technique.md'), 'edited by hand');
    // A note an earlier export wrote that this release no longer has.
    mkdirSync(join(vault, 'groups'));
    writeFileSync(join(vault, 'groups', 'G9999 Gone.md'), 'old');
    writeFileSync(join(vault, VAULT_MARKER), JSON.stringify({ tool: 'detectory', files: [...ours, 'groups/G9999 Gone.md', '../outside.md', '.obsidian/app.json'] }));
    writeFileSync(join(dir, 'outside.md'), 'not in the vault');

    const second = await exportVault(db, vault);
    assert.deepEqual(second.kept, []);
    assert.equal(second.removed, 1);
    assert.equal(readFileSync(join(vault, '.obsidian', 'app.json'), 'utf8'), '{"theme":"dark"}');
    assert.equal(readFileSync(join(vault, 'my notes', 'hunt plan.md'), 'utf8'), 'mine');
    assert.equal(readFileSync(join(vault, 'techniques', 'my T0001 thoughts.md'), 'utf8'), 'mine too');
    assert.match(readFileSync(join(vault, 'techniques', 'T0001 New Technique.md'), 'utf8'), /^---\n/, 'our note is rewritten');
    assert.ok(!existsSync(join(vault, 'groups')), 'the stale note and its emptied folder are gone');
    assert.equal(readFileSync(join(dir, 'outside.md'), 'utf8'), 'not in the vault', 'a manifest entry outside the vault is ignored');
    assert.deepEqual(manifestFiles(vault).sort(), ours.sort(), 'the manifest lists exactly the notes written');
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.vault.tmp-')), [], 'no temporary folder left');
  });

  test('a note of the user\'s with the name of one of ours is kept and reported, never overwritten', async () => {
    const folder = join(dir, 'notes');
    mkdirSync(folder);
    writeFileSync(join(folder, 'index.md'), 'my own index');
    const s = await exportVault(db, folder, { force: true });
    assert.deepEqual(s.kept, ['index.md']);
    assert.equal(readFileSync(join(folder, 'index.md'), 'utf8'), 'my own index');
    assert.ok(!manifestFiles(folder).includes('index.md'));
    assert.ok(existsSync(join(folder, 'techniques', 'T0001 New Technique.md')));
    // The next export still leaves it alone: it is not in the manifest.
    const again = await exportVault(db, folder);
    assert.deepEqual(again.kept, ['index.md']);
    assert.equal(readFileSync(join(folder, 'index.md'), 'utf8'), 'my own index');
  });

  test('temporary folders of interrupted exports are removed; one of a running export is not', async () => {
    const vault = join(dir, 'vault2');
    const dead = join(dir, `.vault2.tmp-${deadPid()}-1`);
    const running = join(dir, `.vault2.tmp-${process.ppid}-1`);
    for (const t of [dead, running]) {
      mkdirSync(join(t, 'techniques'), { recursive: true });
      writeFileSync(join(t, 'techniques', 'half.md'), 'half-written');
    }
    const s = await exportVault(db, vault);
    assert.deepEqual(s.staleRemoved.length, 1);
    assert.ok(!existsSync(dead));
    assert.ok(existsSync(running));
    rmSync(running, { recursive: true });
  });

  test('manifest entries are trusted only as note paths inside the vault', () => {
    for (const ok of ['index.md', 'techniques/T1 x.md', 'rules/sigma/a (2).md']) assert.ok(isOwnNotePath(ok), ok);
    for (const bad of ['../x.md', '/etc/passwd.md', 'a/../../x.md', '.obsidian/app.md', 'x.json', 'a\\..\\x.md', 'a//b.md', 42]) assert.ok(!isOwnNotePath(bad), String(bad));
  });
});

test('vault export where nothing can be written (/proc, /sys): one line, exit 2, at once', async (t) => {
  const dir = testTempDir(t, 'detectory-vault-cli-');
  const dbPath = join(dir, 'empty.duckdb');
  (await openDb(dbPath)).close();
  for (const out of ['/proc/detectory-x', '/sys/detectory-x']) {
    if (!existsSync(out.split('/').slice(0, 2).join('/'))) continue;
    // Before the fix, /proc spun forever: a hang guard, not a timing check.
    const r = cli(['vault', 'export', out, '--db', dbPath], { timeoutMs: 120_000 });
    assert.equal(r.status, 2, `${out}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^detectory: cannot write ${out}: [a-z ]+\\n$`));
  }
});
