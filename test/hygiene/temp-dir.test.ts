/** The tests' temporary folders go away: the helper's two lifetimes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { testTempDir } from '../helpers/temp-dir.js';

const HELPER = pathToFileURL(join(PACKAGE_ROOT, 'dist', 'test', 'helpers', 'temp-dir.js')).href;

test('a folder of one test is gone when the test ends, with what is in it', async (t) => {
  let dir = '';
  await t.test('makes it', (st) => {
    dir = testTempDir(st, 'detectory-hygiene-');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'f.txt'), 'x');
    assert.ok(existsSync(join(dir, 'sub', 'f.txt')));
  });
  assert.ok(dir);
  assert.equal(existsSync(dir), false);
});

test('a folder of the test file is gone when its process exits, also when a test failed (exit code 1)', (t) => {
  const tmp = testTempDir(t, 'detectory-hygiene-tmp-');
  for (const exit of ['', 'process.exitCode = 1;']) {
    const script = `import { tempDir } from ${JSON.stringify(HELPER)}; import { writeFileSync } from 'node:fs';
      const d = tempDir('detectory-file-'); writeFileSync(d + '/a.duckdb', 'x'); console.log(d); ${exit}`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
    assert.equal(r.status, exit ? 1 : 0, r.stderr);
    const made = r.stdout.trim();
    assert.ok(made.startsWith(join(tmp, 'detectory-file-')), made);
    assert.deepEqual(readdirSync(tmp), [], `${made} removed at exit`);
  }
});
