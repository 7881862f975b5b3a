/**
 * The guard against leaking temporary folders: a representative set of test files (per-file and
 * per-test folders, folders made by helper functions, CLI child processes, symbolic links) runs with
 * TMPDIR pointing at a fresh folder, which must be empty afterwards. About 5 s of CPU.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { testTempDir } from '../helpers/temp-dir.js';

const FILES = [
  'engine/correlation', 'engine/elastic/aggregations', 'engine/elastic/scan-elastic',
  'events/json/readers', 'events/json/utf16', 'events/json/depth', 'events/ecs/ecs-input',
  'cli/events', 'cli/scan-hostile', 'mcp/allowed-paths',
].map((f) => join(PACKAGE_ROOT, 'dist', 'test', `${f}.test.js`));

test('test files leave nothing in the temporary folder', { timeout: 300_000 }, (t) => {
  const tmp = testTempDir(t, 'detectory-guard-');
  // NODE_TEST_CONTEXT (set by the runner that runs this file) would make the inner runner a mere child
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=tap', ...FILES], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `the test files failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  const passed = Number(/^# pass (\d+)$/m.exec(r.stdout)?.[1] ?? 0);
  assert.ok(passed >= 40, `the test files ran (${passed} tests passed):\n${r.stdout.slice(-2000)}`);
  assert.deepEqual(readdirSync(tmp), [], 'left in TMPDIR');
});
