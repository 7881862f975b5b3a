/** The decoding thread of a 2-stage scan: tasks in order, their reader problems with them, and an end that never hangs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DecodeThread } from '../../../src/engine/parallel/decode-thread.js';
import { planTasks, type ScanTask } from '../../../src/engine/parallel/tasks.js';
import type { ReadProblem } from '../../../src/events/types.js';
import { EXAMPLES } from '../../helpers/cli.js';

const good = join(EXAMPLES, 'events', 'workstation.jsonl');
const missing = join(EXAMPLES, 'events', 'no-such-file.evtx');

/** Reads with a decoding thread over these files' tasks, and stops it. */
async function withThread(files: string[], read: (d: DecodeThread, tasks: ScanTask[]) => Promise<void>): Promise<void> {
  const tasks = planTasks(files);
  const d = new DecodeThread(tasks);
  try {
    await read(d, tasks);
  } finally {
    await d.stop();
  }
}

test('tasks come back in order, each with its events and its reader problems', () => withThread([good, missing, good], async (d, tasks) => {
    const counts: number[] = [];
    const problems: Array<[number, ReadProblem]> = [];
    for (const t of tasks) {
      let n = 0;
      for await (const b of d.events(t, (p) => problems.push([t.id, p]))) n += b.length;
      counts.push(n);
    }
    assert.ok(counts[0] > 0);
    assert.deepEqual(counts, [counts[0], 0, counts[0]]);
    assert.deepEqual(problems.map(([id, p]) => [id, p.file, p.reason]), [[1, missing, 'unreadable']]);
}));

test('a decoding thread that is gone: reading its events fails with a message instead of waiting', async () => {
  const tasks = planTasks([good]);
  const d = new DecodeThread(tasks);
  await d.stop();
  await assert.rejects(async () => {
    for await (const b of d.events(tasks[0], () => undefined)) void b;
  }, /decoding thread/);
});

test('a task given up after its first batch: the next task still gets all its own events and problems', () => withThread([good, good, missing], async (d, tasks) => {
    let first = 0;
    for await (const b of d.events(tasks[0], () => undefined)) {
      first += b.length;
      break;
    }
    const counts: number[] = [];
    const problems: string[] = [];
    for (const t of tasks.slice(1)) {
      let n = 0;
      for await (const b of d.events(t, (p) => problems.push(p.reason))) n += b.length;
      counts.push(n);
    }
    assert.ok(first > 0);
    assert.deepEqual(counts, [first, 0]);
    assert.deepEqual(problems, ['unreadable']);
}));
