/** The scale benchmark's reading of a scan's timeline (bench/warm-up.ts) against what `scan` prints. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimeline, warmUp } from '../../bench/warm-up.js';
import { cli } from '../helpers/cli.js';

test("a scan's timeline gives each task's events (they add up to the summary's) and the process's page faults", () => {
  const r = cli(['scan', 'examples/events', '--rules', 'examples/rules', '--format', 'jsonl', '--json'], { env: { DETECTORY_SCAN_TIMELINE: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('{'))!) as { events: number; files: number };
  const tl = parseTimeline(r.stderr);
  assert.equal(tl.tasks.length, summary.files);
  assert.ok(summary.events > 0);
  assert.equal(tl.tasks.reduce((s, t) => s + t.events, 0), summary.events);
  for (const t of tl.tasks) assert.ok(t.ms >= 0);
  assert.ok(tl.minorFaults! > 0, 'faults line');
  assert.throws(() => warmUp(tl), /too few/);
});

test('warm-up: the second half of the tasks gives the steady rate, the rest of the time is warm-up', () => {
  const line = (ms: number, what: string): string => `timeline main ${ms} ${what}`;
  const text = [
    line(100, 'loaded cpu 90 ms'),
    line(100, 'task 0 start'), line(600, 'task 0 end events 1000 cpu 480 ms'),
    line(600, 'task 1 start'), line(800, 'task 1 end events 1000 cpu 600 ms'),
    line(800, 'task 2 start'), line(900, 'task 2 end events 1000 cpu 700 ms'),
    line(900, 'task 3 start'), line(1000, 'task 3 end events 1000 cpu 800 ms'),
    'timeline w2 950.0 task 4 end events 5 cpu 1 ms',
    line(1001, 'faults minor 1234 major 0'),
  ].join('\n');
  const tl = parseTimeline(text);
  assert.deepEqual(tl.tasks.map((t) => [t.id, t.ms, t.events]), [[0, 500, 1000], [1, 200, 1000], [2, 100, 1000], [3, 100, 1000]]);
  assert.equal(tl.minorFaults, 1234);
  const w = warmUp(tl);
  assert.equal(w.steadyRate, 10_000);
  assert.equal(w.firstQuarterRate, 2_000);
  assert.equal(w.scanSeconds, 0.9);
  assert.ok(Math.abs(w.excessSeconds - 0.5) < 1e-9);
});
