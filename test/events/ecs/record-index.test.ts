/** recordIndex: the index of an event's ECS document, told without building it (a scan skips events no rule sees). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ecsIndexOf, recordIndex, toEcs } from '../../../src/events/ecs/index.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import type { EventRecord } from '../../../src/events/types.js';
import { requireShared } from '../../helpers/shared.js';

const windows = (channel: unknown): EventRecord => ({ file: 'x.evtx', event: { System: { Channel: channel, EventID: 1 }, EventData: {} } });

test('recordIndex follows the channel as toEcs does; ECS input has none', () => {
  for (const channel of ['Microsoft-Windows-Sysmon/Operational', 'SECURITY', { '#text': 'System' }, 'Some/Other', undefined]) {
    const rec = windows(channel);
    assert.equal(recordIndex(rec), ecsIndexOf(toEcs(rec)), JSON.stringify(channel));
  }
  assert.equal(recordIndex(windows('Microsoft-Windows-Sysmon/Operational')), 'logs-windows.sysmon_operational-default');
  assert.equal(recordIndex(windows('Microsoft-Windows-Foo/Operational')), 'logs-winlog.winlog-default');
  assert.equal(recordIndex({ file: 'x.json', event: {}, ecs: { '@timestamp': 't', data_stream: { dataset: 'endpoint.events.process' } } }), undefined);
  assert.equal(recordIndex({ file: 'x.json', event: { '@timestamp': 't', event: { category: ['process'] } } }), undefined);
});

test('recordIndex equals the index of the built document for every EVTX-ATTACK-SAMPLES event', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => undefined);
  const seen = new Set<string>();
  let n = 0;
  for (const f of files) {
    for await (const batch of readEventFile(f, () => undefined)) {
      for (const rec of batch) {
        const index = recordIndex(rec);
        assert.equal(index, ecsIndexOf(toEcs(rec)), `${f} ${rec.where ?? ''}`);
        seen.add(index!);
        n++;
      }
    }
  }
  assert.ok(n > 8000 && seen.size >= 5, `${n} events, indexes ${[...seen].join(' ')}`);
});
