/** A JSON event nested thousands of levels deep is one problem line; the events around it are read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../helpers/cli.js';
import { testTempDir } from '../../helpers/temp-dir.js';

const ev = (rid: number, deep?: unknown): string => JSON.stringify({
  Event: { System: { EventID: 1, EventRecordID: rid, Channel: 'Microsoft-Windows-Sysmon/Operational' }, EventData: { CommandLine: 'x', ...(deep ? { Deep: deep } : {}) } },
});

test('events and scan over a line nested 5,000 levels deep: one problem, the other events decoded, no stack trace', (t) => {
  const dir = testTempDir(t, 'detectory-deep-');
  const file = join(dir, 'deep.jsonl');
  const deep = `{"Event":{"System":{"EventID":1,"EventRecordID":2},"EventData":{"Deep":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}}`;
  writeFileSync(file, [ev(1), deep, ev(3, { a: { b: ['ok'] } })].join('\n') + '\n');
  const r = cli(['events', file]);
  assert.equal(r.status, 0, r.stderr.slice(0, 500));
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { record_id: number }).record_id), [1, 3]);
  const lines = r.stderr.trim().split('\n');
  assert.deepEqual(lines, [`${file} (line 2): not-an-event: nested deeper than 64 levels: not a Windows event`, '1 files, 2 events, 1 problems']);
  const s = cli(['scan', file, '--format', 'jsonl', '--json']);
  assert.equal(s.status, 0);
  assert.equal((JSON.parse(s.stderr.trim().split('\n').pop()!) as { events: number }).events, 2);
});
