/** ECS documents as input: detection, pass-through by toEcs, and the JSON readers keeping them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ecsIndexOf, getPath, isEcsDocument, toEcs } from '../../../src/events/ecs/index.js';
import { flattenEvent } from '../../../src/events/normalize.js';
import { readEventFile } from '../../../src/events/read.js';
import type { EventRecord } from '../../../src/events/types.js';
import { testTempDir } from '../../helpers/temp-dir.js';

test('isEcsDocument', () => {
  assert.ok(isEcsDocument({ '@timestamp': 't', event: { category: ['process'] } }));
  assert.ok(isEcsDocument({ '@timestamp': 't', 'process.name': 'cmd.exe' })); // dotted keys
  assert.ok(!isEcsDocument({ event: { category: ['process'] } })); // no @timestamp
  assert.ok(!isEcsDocument({ '@timestamp': 't', System: {}, EventData: {} })); // a Windows event
  assert.ok(!isEcsDocument({ '@timestamp': 't', foo: 1 }));
  assert.ok(!isEcsDocument(['@timestamp']));
  assert.ok(!isEcsDocument(null));
});

test('getPath reads nested, dotted and mixed documents', () => {
  assert.equal(getPath({ process: { parent: { name: 'a' } } }, 'process.parent.name'), 'a');
  assert.equal(getPath({ 'process.parent.name': 'b' }, 'process.parent.name'), 'b');
  assert.equal(getPath({ process: { 'parent.name': 'c' } }, 'process.parent.name'), 'c');
  assert.deepEqual(getPath({ dns: { answers: [{ data: 'x' }, { data: 'y' }] } }, 'dns.answers.data'), ['x', 'y']);
  assert.equal(getPath({ process: 'flat' }, 'process.name'), undefined);
});

test('toEcs passes an ECS document through unchanged (readers keep it whole)', async (t) => {
  const dir = testTempDir(t, 'detectory-ecs-');
  const winlogbeat = {
    '@timestamp': '2024-05-01T10:00:00.000Z',
    event: { code: '4688', category: ['process'] },
    process: { name: 'cmd.exe' },
    winlog: { channel: 'Security', event_id: '4688', provider_name: 'Microsoft-Windows-Security-Auditing', event_data: { NewProcessName: 'C:\\cmd.exe' } },
  };
  const defend = { '@timestamp': '2024-05-01T10:00:01.000Z', event: { category: ['library'] }, dll: { name: 'x.dll' } };
  const file = join(dir, 'docs.ndjson');
  writeFileSync(file, JSON.stringify(winlogbeat) + '\n' + JSON.stringify(defend) + '\n');
  const recs: EventRecord[] = [];
  for await (const b of readEventFile(file, (p) => assert.fail(p.message))) recs.push(...b);
  assert.equal(recs.length, 2);
  assert.equal(toEcs(recs[0]), recs[0].ecs);
  assert.deepEqual(toEcs(recs[0]), winlogbeat);
  assert.deepEqual(toEcs(recs[1]), defend);
  assert.equal(recs[1].timestamp, '2024-05-01T10:00:01.000Z');
  // The Winlogbeat document still feeds the Sigma matcher through its winlog part.
  const flat = flattenEvent(recs[0]);
  assert.equal(flat.eventId, 4688);
  assert.equal(flat.fields.NewProcessName, 'C:\\cmd.exe');
  // A bare ECS object given as the event passes through too.
  assert.deepEqual(toEcs({ file: 'x', event: defend }), defend);
});

test('ecsIndexOf: the data stream a document is indexed in', () => {
  assert.equal(ecsIndexOf({ data_stream: { dataset: 'windows.sysmon_operational', namespace: 'default' } }), 'logs-windows.sysmon_operational-default');
  assert.equal(ecsIndexOf({ event: { dataset: 'system.security' } }), 'logs-system.security-default');
  assert.equal(ecsIndexOf({}), 'logs-generic-default');
});
