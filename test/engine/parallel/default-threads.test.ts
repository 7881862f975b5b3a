/**
 * The scan's thread count when the user gives none: every core once the input repays their
 * start-up (384 MiB on 2 cores, scaled by 2 / cores on more, never below 64 MiB; 256 MiB on 2 cores
 * for a scan split by stage, without Elastic rules), else one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { defaultThreads } from '../../../src/engine/parallel/tasks.js';
import { listRuleFiles } from '../../../src/engine/rule-files.js';
import { scan } from '../../../src/engine/scan.js';
import { PACKAGE_ROOT } from '../../../src/cli/paths.js';
import { testTempDir } from '../../helpers/temp-dir.js';
import { sparseEvtx } from '../../helpers/sparse-evtx.js';

const MiB = 1 << 20;

test('defaultThreads: 384 MiB on 2 cores, 192 on 4, 96 on 8, 64 from 12 cores on; one core is one thread', () => {
  assert.equal(defaultThreads(383 * MiB, 2), 1);
  assert.equal(defaultThreads(384 * MiB, 2), 2);
  assert.equal(defaultThreads(256 * MiB, 2), 1);
  assert.equal(defaultThreads(191 * MiB, 4), 1);
  assert.equal(defaultThreads(192 * MiB, 4), 4);
  assert.equal(defaultThreads(95 * MiB, 8), 1);
  assert.equal(defaultThreads(96 * MiB, 8), 8);
  assert.equal(defaultThreads(63 * MiB, 16), 1);
  assert.equal(defaultThreads(64 * MiB, 16), 16);
  assert.equal(defaultThreads(64 * MiB, 64), 64);
  assert.equal(defaultThreads(4096 * MiB, 1), 1);
});

test('defaultThreads of a scan split by stage: 256 MiB on 2 cores; more cores as without it', () => {
  assert.equal(defaultThreads(255 * MiB, 2, true), 1);
  assert.equal(defaultThreads(256 * MiB, 2, true), 2);
  assert.equal(defaultThreads(191 * MiB, 4, true), 1);
  assert.equal(defaultThreads(192 * MiB, 4, true), 4);
  assert.equal(defaultThreads(4096 * MiB, 1, true), 1);
});

test('a scan of 256 MiB with listed Sigma rules and no --threads is split by stage on 2 cores; with an Elastic rule, one thread', async (t) => {
  const dir = testTempDir(t, 'detectory-threads-');
  const evtx = sparseEvtx(join(dir, 'big.evtx'), 4096);
  const sigma = join(PACKAGE_ROOT, 'examples', 'rules');
  const toml = join(dir, 'rule.toml');
  writeFileSync(toml, '[rule]\nname = "x"\n');
  const cores = availableParallelism();
  const run = (rulePaths: string[]) => scan({ rulePaths, ruleFiles: { files: listRuleFiles(rulePaths, []), problems: [] }, eventPaths: [evtx], onAlert: () => undefined, onProblem: () => undefined });
  const sigmaOnly = await run([sigma]);
  const withElastic = await run([sigma, toml]);
  if (cores === 2) {
    assert.equal(sigmaOnly.threads, 2);
    assert.equal(sigmaOnly.split, 'stage');
    assert.equal(withElastic.threads, 1);
  } else if (cores > 2) {
    assert.ok(sigmaOnly.threads > 1 && withElastic.threads > 1, `${sigmaOnly.threads} and ${withElastic.threads} threads on ${cores} cores`);
  } else {
    assert.equal(sigmaOnly.threads, 1);
    assert.equal(withElastic.threads, 1);
  }
});

test('a scan of 128 MiB with no --threads uses one thread on 2 cores (every core from 6 cores on)', async (t) => {
  const dir = testTempDir(t, 'detectory-threads-');
  // A sparse file of empty chunks: 128 MiB of input to the thread choice, no record to match.
  const evtx = sparseEvtx(join(dir, 'big.evtx'), 2048);
  const summary = await scan({ rulePaths: [join(PACKAGE_ROOT, 'examples', 'rules')], eventPaths: [evtx], onAlert: () => undefined, onProblem: () => undefined });
  const cores = availableParallelism();
  // (From 6 cores the 128 MiB reach the threshold: as many threads as there are tasks, up to the cores.)
  if (cores < 6) assert.equal(summary.threads, 1);
  else assert.ok(summary.threads > 1, `${summary.threads} threads on ${cores} cores`);
});
