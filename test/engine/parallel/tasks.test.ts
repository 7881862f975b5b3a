/** Splitting a scan into tasks: large .evtx files in chunk ranges, the last ones cut smaller. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_SIZE } from '../../../src/events/evtx/index.js';
import { planTasks, TAIL_TASKS } from '../../../src/engine/parallel/tasks.js';
import { sparseEvtx } from '../../helpers/sparse-evtx.js';


test('the chunks of large .evtx files are covered once, in order; the last file ends in smaller tasks', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-tasks-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const small = join(dir, 'small.jsonl');
  writeFileSync(small, '{}\n');
  const a = sparseEvtx(join(dir, 'a.evtx'), 300);
  const b = sparseEvtx(join(dir, 'b.evtx'), 300);
  const tasks = planTasks([a, small, b], 128);
  assert.deepEqual(tasks.map((x) => x.id), tasks.map((_, i) => i));
  for (const file of [a, b]) {
    const ranges = tasks.filter((x) => x.file === file).map((x) => x.range!);
    let next = 0;
    for (const r of ranges) {
      assert.equal(r.first, next, `${file}: contiguous`);
      assert.ok(r.count >= 1);
      next += r.count;
    }
    assert.equal(next, 300, `${file}: every chunk`);
  }
  // a.evtx is not last: 128, 128, 44; b.evtx ends with its last 44 chunks cut in 22, 11, 6, 5.
  assert.deepEqual(tasks.filter((x) => x.file === a).map((x) => x.range!.count), [128, 128, 44]);
  assert.deepEqual(tasks.filter((x) => x.file === b).map((x) => x.range!.count), [128, 128, 22, 11, 6, 5]);
  assert.equal(tasks.filter((x) => x.file === b).length - 2, TAIL_TASKS);
  for (const x of tasks) if (x.range) assert.equal(x.bytes, x.range.count * CHUNK_SIZE);
  // A last range of one chunk stays whole.
  assert.deepEqual(planTasks([sparseEvtx(join(dir, 'c.evtx'), 257)], 128).map((x) => x.range!.count), [128, 128, 1]);
});
