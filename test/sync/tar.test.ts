import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { entryPath, unpackTarGz, UnpackError } from '../../src/sync/unpack.js';
import { tarGz } from './tar-writer.js';

function withArchive(entries: Parameters<typeof tarGz>[0], f: (archive: string, dest: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detectory-tar-'));
    try {
      const archive = join(dir, 'a.tar.gz');
      writeFileSync(archive, tarGz(entries));
      await f(archive, join(dir, 'out'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('entryPath strips the top folder and refuses paths that climb out', () => {
  assert.equal(entryPath('sigma-r1/rules/a.yml'), 'rules/a.yml');
  assert.equal(entryPath('./sigma-r1/./rules//a.yml'), 'rules/a.yml');
  assert.deepEqual(entryPath('sigma-r1/../../etc/passwd'), { error: 'path climbs out with ".."' });
  assert.deepEqual(entryPath('/etc/passwd'), { error: 'absolute or non-POSIX path' });
  assert.deepEqual(entryPath('C:/x'), { error: 'absolute or non-POSIX path' });
  assert.deepEqual(entryPath('top\\..\\x'), { error: 'absolute or non-POSIX path' });
});

test('unpacks kept folders, long pax names and mtimes; skips other folders and never creates links', withArchive([
  { name: 'top/', type: 'dir' },
  { name: 'top/rules/a.yml', data: 'title: a\n', mtime: 1_600_000_000 },
  { name: `top/rules/${'d'.repeat(90)}/${'f'.repeat(60)}.yml`, data: 'title: long\n' },
  { name: 'top/tests/skip.yml', data: 'x' },
  { name: 'top/rules/link.yml', type: 'symlink', linkTo: '/etc/passwd' },
], async (archive, dest) => {
  const r = await unpackTarGz(archive, dest, ['rules']);
  assert.equal(r.files, 2);
  assert.equal(r.skippedLinks, 1);
  assert.equal(readFileSync(join(dest, 'rules/a.yml'), 'utf8'), 'title: a\n');
  assert.equal(statSync(join(dest, 'rules/a.yml')).mtimeMs, 1_600_000_000_000);
  assert.equal(readFileSync(join(dest, 'rules', 'd'.repeat(90), `${'f'.repeat(60)}.yml`), 'utf8'), 'title: long\n');
  assert.equal(existsSync(join(dest, 'tests')), false);
  assert.throws(() => readlinkSync(join(dest, 'rules/link.yml')));
}));

test('an entry climbing out of the cache is refused with its name', withArchive([
  { name: 'top/rules/../../../evil.yml', data: 'x' },
], async (archive, dest) => {
  await assert.rejects(unpackTarGz(archive, dest, ['rules']), (e: Error) => e instanceof UnpackError && /evil\.yml.*climbs out/.test(e.message));
}));

test('a truncated archive is an error, not a partial unpack reported as success', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-tar-'));
  try {
    const full = tarGz([{ name: 'top/rules/a.yml', data: 'a'.repeat(5000) }, { name: 'top/rules/b.yml', data: 'b'.repeat(5000) }]);
    const archive = join(dir, 'a.tar.gz');
    writeFileSync(archive, full.subarray(0, Math.floor(full.length / 2)));
    await assert.rejects(unpackTarGz(archive, join(dir, 'out'), ['rules']), UnpackError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('limits on files and bytes hold', withArchive([
  { name: 'top/rules/a.yml', data: 'a'.repeat(100) },
  { name: 'top/rules/b.yml', data: 'b'.repeat(100) },
], async (archive, dest) => {
  await assert.rejects(unpackTarGz(archive, dest, ['rules'], { maxFiles: 1, maxTotalBytes: 1e9, maxFileBytes: 1e9 }), /more than 1 files/);
  await assert.rejects(unpackTarGz(archive, `${dest}2`, ['rules'], { maxFiles: 10, maxTotalBytes: 1e9, maxFileBytes: 50 }), /over the limit/);
}));

test('entries outside the kept folders are skipped unread, whatever their size', withArchive([
  { name: 'top/big/blob.bin', data: 'x'.repeat(100_000) },
  { name: 'top/rules/a.yml', data: 'title: a\n' },
], async (archive, dest) => {
  const r = await unpackTarGz(archive, dest, ['rules'], { maxFiles: 10, maxTotalBytes: 1e9, maxFileBytes: 1000 });
  assert.equal(r.files, 1);
  assert.equal(readFileSync(join(dest, 'rules/a.yml'), 'utf8'), 'title: a\n');
}));
