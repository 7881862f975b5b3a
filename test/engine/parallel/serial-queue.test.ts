/** A worker's tasks run one at a time, in the order they came. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialQueue } from '../../../src/engine/parallel/serial-queue.js';

test('jobs run one at a time and in order, even when pushed while another runs', async () => {
  const log: string[] = [];
  const release = new Map<number, () => void>();
  const q = new SerialQueue<number>(async (n) => {
    log.push(`start ${n}`);
    await new Promise<void>((res) => release.set(n, res));
    log.push(`end ${n}`);
  }, (e) => assert.fail(String(e)));
  q.push(1);
  q.push(2);
  await new Promise((res) => setImmediate(res));
  assert.deepEqual(log, ['start 1'], 'job 2 waits for job 1');
  release.get(1)!();
  await new Promise((res) => setImmediate(res));
  assert.deepEqual(log, ['start 1', 'end 1', 'start 2']);
  q.push(3);
  release.get(2)!();
  await new Promise((res) => setImmediate(res));
  release.get(3)!();
  await new Promise((res) => setImmediate(res));
  assert.deepEqual(log, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  // Idle again: a new job starts at once.
  q.push(4);
  await new Promise((res) => setImmediate(res));
  assert.equal(log.at(-1), 'start 4');
  release.get(4)!();
});

test('a job that fails is reported and does not stop the queue', async () => {
  const done: number[] = [];
  const failed: string[] = [];
  const q = new SerialQueue<number>(async (n) => {
    await new Promise((res) => setImmediate(res));
    if (n === 1) throw new Error('boom');
    done.push(n);
  }, (e, n) => failed.push(`${n}: ${(e as Error).message}`));
  q.push(1);
  q.push(2);
  for (let i = 0; i < 5; i++) await new Promise((res) => setImmediate(res));
  assert.deepEqual(failed, ['1: boom']);
  assert.deepEqual(done, [2]);
});
