/** `detectory events --format ecs`: ECS documents per line, ECS input passed through, the jsonl default unchanged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('detectory-events-');

test('--format ecs on an EVTX sample: one ECS document per event', (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const file = join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES', 'Execution', 'temp_scheduled_task_4698_4699.evtx');
  const r = cli(['events', file, '--format', 'ecs']);
  assert.equal(r.status, 0, r.stderr);
  type Doc = { '@timestamp': string; event: { action: string }; winlog: { record_id: string }; host: { os: { type: string } } };
  const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Doc);
  assert.equal(docs.length, 2);
  assert.deepEqual(docs.map((d) => d.event.action), ['scheduled-task-created', 'scheduled-task-deleted']);
  assert.deepEqual(docs.map((d) => d.winlog.record_id), ['566836', '566840']);
  assert.equal(docs[0]['@timestamp'], '2019-03-19T00:02:04.319Z');
  assert.equal(docs[0].host.os.type, 'windows');
  assert.match(r.stderr, /1 files, 2 events, 0 problems/);
  // The default stays the decoded event.
  const raw = cli(['events', file]);
  assert.equal(JSON.parse(raw.stdout.split('\n')[0]).record_id, 566836);
});

test('--format ecs: ECS NDJSON input (Winlogbeat, Elastic Defend) passes through unchanged', () => {
  const winlogbeat = {
    '@timestamp': '2024-05-01T10:00:00.000Z',
    event: { code: '1', category: ['process'], type: ['start'] },
    process: { name: 'cmd.exe', parent: { name: 'winword.exe' } },
    winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 1, event_data: { Image: 'C:\\cmd.exe' } },
  };
  const defend = {
    '@timestamp': '2024-05-01T10:00:01.000Z',
    event: { category: ['library'], type: ['start'], dataset: 'endpoint.events.library' },
    dll: { name: 'wmiutils.dll', code_signature: { trusted: true } },
    process: { name: 'cscript.exe', entity_id: 'abc' },
    host: { os: { type: 'windows' } },
  };
  const file = join(dir, 'ecs.ndjson');
  writeFileSync(file, JSON.stringify(winlogbeat) + '\n' + JSON.stringify(defend) + '\n{"not": "an event"}\n');
  const r = cli(['events', file, '--format', 'ecs']);
  const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
  assert.deepEqual(docs, [winlogbeat, defend]);
  assert.match(r.stderr, /not-an-event|not a Windows event/);
  assert.match(r.stderr, /1 files, 2 events, 1 problems/);
});

test('--format with an unknown value is refused', () => {
  const r = cli(['events', dir, '--format', 'xml']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Allowed choices are jsonl, ecs/);
});
