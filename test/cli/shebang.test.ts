/**
 * bin/detectory.js run as a program (what `npm link` and `./bin/detectory.js` do): its shebang
 * starts node with the options the scan was tuned with, and the benchmarks (bench/cli.ts) read the
 * same line, so they measure what users run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI } from '../../bench/cli.js';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { testTempDir } from '../helpers/temp-dir.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'detectory.js');
const OPTIONS = ['--max-semi-space-size=64', '--v8-pool-size=1'];

test('the shebang starts node with a 64 MiB young generation and one V8 helper thread; the benchmarks use the same options', (t) => {
  const cache = testTempDir(t, 'detectory-shebang-');
  const r = spawnSync(BIN, ['scan', 'examples/events', '--rules', 'examples/rules', '--json'], {
    cwd: PACKAGE_ROOT, encoding: 'utf8', env: { ...process.env, DETECTORY_CACHE: cache, DETECTORY_SCAN_TIMELINE: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  const line = r.stderr.split('\n').find((l) => / node options /.test(l));
  assert.ok(line, r.stderr);
  assert.deepEqual(line.slice(line.indexOf(' node options ') + ' node options '.length).split(' '), OPTIONS);
  assert.deepEqual(CLI, [...OPTIONS, BIN]);
});
