/** Scan workers' old generation: a lower limit (so that V8 lets it grow less) for Sigma-only scans, V8's own with Elastic rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ScanTask } from '../../../src/engine/parallel/tasks.js';
import { startScanWorkers, stopScanWorkers, WORKER_MAX_OLD_MB, WORKER_SEMI_SPACE_MB, workerMaxOldMb } from '../../../src/engine/parallel/pool.js';

const chunkRange = (id: number): ScanTask => ({ id, file: 'big.evtx', range: { first: id * 128, count: 128 }, bytes: 8 << 20 });

test('only a Sigma-only scan of .evtx chunk ranges limits its workers old generation', () => {
  const ranges = [chunkRange(0), chunkRange(1)];
  assert.equal(workerMaxOldMb([], ranges), WORKER_MAX_OLD_MB);
  assert.equal(workerMaxOldMb(['a/b.yml', 'c.yaml'], ranges), WORKER_MAX_OLD_MB);
  assert.equal(workerMaxOldMb(['a/b.yml', 'rules/windows/x.TOML'], ranges), undefined);
  // A whole file as one task (a large NDJSON file) may hold any number of events: V8's own limit.
  assert.equal(workerMaxOldMb(['a/b.yml'], [...ranges, { id: 2, file: 'events.ndjson', bytes: 3 << 30 }]), undefined);
});

test('a started worker runs with the old generation limit it was given', async () => {
  const limited = startScanWorkers(1, WORKER_SEMI_SPACE_MB, WORKER_MAX_OLD_MB);
  const own = startScanWorkers(1, WORKER_SEMI_SPACE_MB, undefined);
  try {
    await Promise.all([once(limited.workers[0], 'online'), once(own.workers[0], 'online')]);
    assert.equal(limited.workers[0].resourceLimits?.maxOldGenerationSizeMb, WORKER_MAX_OLD_MB);
    // V8's default, set from the machine's memory: larger here (4,096 MiB on a 23 GB machine).
    assert.notEqual(own.workers[0].resourceLimits?.maxOldGenerationSizeMb, WORKER_MAX_OLD_MB);
  } finally {
    await stopScanWorkers([...limited.workers, ...own.workers]);
  }
});
