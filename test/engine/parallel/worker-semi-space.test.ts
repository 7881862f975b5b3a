/** Scan workers' young generation: the small one for Sigma rules, a larger one when Elastic rules (.toml) are in the scan. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ELASTIC_WORKER_SEMI_SPACE_MB, WORKER_SEMI_SPACE_MB, workerSemiSpaceMb } from '../../../src/engine/parallel/pool.js';

test('workers get the larger semi-space only when an Elastic rule file is listed', () => {
  assert.ok(ELASTIC_WORKER_SEMI_SPACE_MB > WORKER_SEMI_SPACE_MB);
  assert.equal(workerSemiSpaceMb([]), WORKER_SEMI_SPACE_MB);
  assert.equal(workerSemiSpaceMb(['a/b.yml', 'c.yaml']), WORKER_SEMI_SPACE_MB);
  assert.equal(workerSemiSpaceMb(['a/b.yml', 'rules/windows/x.TOML']), ELASTIC_WORKER_SEMI_SPACE_MB);
});
