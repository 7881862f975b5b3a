/** Scan workers get their own young generation even when the process flag sets a large one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { processSemiSpaceMb } from '../../../src/engine/parallel/young-generation.js';

test('the process semi-space flag is read from the command line, else NODE_OPTIONS; 0 when unset', () => {
  assert.equal(processSemiSpaceMb([], ''), 0);
  assert.equal(processSemiSpaceMb(['--max-semi-space-size=64'], ''), 64);
  assert.equal(processSemiSpaceMb(['--max_semi_space_size=32'], '--max-semi-space-size=16'), 32);
  assert.equal(processSemiSpaceMb([], '--max-old-space-size=100 --max-semi-space-size=16'), 16);
});

// A worker that keeps many young objects alive (so that its new space grows to its limit) and reports the new space's size in MiB.
const GROW = `const v8 = require('node:v8'); const { parentPort } = require('node:worker_threads');
let keep = []; for (let i = 0; i < 4e6; i++) { keep.push({ i }); if (keep.length > 300000) keep = []; }
parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576);`;

test('a worker started with startWithSemiSpace has the small young generation under a process flag of 64 MiB; later workers the process one', () => {
  const helper = new URL('../../../src/engine/parallel/young-generation.js', import.meta.url).href;
  const script = `import { Worker } from 'node:worker_threads';
import { startWithSemiSpace } from ${JSON.stringify(helper)};
const size = (w) => new Promise((res, rej) => { w.once('message', (m) => { res(m); void w.terminate(); }); w.once('error', rej); });
const [small] = startWithSemiSpace(2, () => [new Worker(${JSON.stringify(GROW)}, { eval: true, execArgv: [] })]);
const a = await size(small);
const b = await size(new Worker(${JSON.stringify(GROW)}, { eval: true, execArgv: [] }));
process.stdout.write(JSON.stringify([a, b]));`;
  const r = spawnSync(process.execPath, ['--max-semi-space-size=64', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [small, later] = JSON.parse(r.stdout) as number[];
  assert.ok(small <= 4, `worker new space ${small} MiB, expected at most 2 x 2`);
  assert.ok(later > 16, `a later worker's new space ${later} MiB: the process flag was not put back`);
});
