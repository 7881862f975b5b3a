/** recordClass: the fields a Windows event's channel, provider, code and task decide, told without building its document. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ALL_FIELDS, getPath, recordIndex, toEcs } from '../../../src/events/ecs/index.js';
import { DECIDED_FIELDS, classOf, recordClass } from '../../../src/events/ecs/event-class.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import type { EventRecord } from '../../../src/events/types.js';
import { requireShared } from '../../helpers/shared.js';

/** Every decided field of the record's class has the value of the document toEcs builds (absent: null). */
function checkClass(rec: EventRecord, where: string): number {
  const doc = toEcs(rec);
  const cls = recordClass(rec);
  assert.deepEqual([...cls.fields.keys()].sort(), [...DECIDED_FIELDS].sort(), where);
  for (const [field, value] of cls.fields) assert.deepEqual(getPath(doc, field) ?? null, value, `${where}: ${field}`);
  // toEcs given the class (as a scan's runner calls it) builds the same document, key order included.
  assert.equal(JSON.stringify(toEcs(rec, ALL_FIELDS, cls)), JSON.stringify(doc), `${where}: toEcs with the class`);
  return cls.fields.size;
}

const windows = (system: Record<string, unknown>, data: Record<string, unknown> = {}): EventRecord => ({ file: 'x.evtx', event: { System: system, EventData: data } });

test('recordClass: the decided fields are the document\'s, for rendered records of each mapped log and others', () => {
  const cases: Array<Record<string, unknown>> = [
    { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } } },
    { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 7 },
    { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 999 },
    { Channel: 'Security', EventID: 4688, Task: 13312, Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } } },
    // No categorization entry: the task name is the action.
    { Channel: 'Security', EventID: 4663, Task: 12800, Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } } },
    { Channel: 'Security', EventID: { '#text': 1102, '#attributes': { Qualifiers: '' } }, Task: 104, Provider: { '#attributes': { Name: 'Microsoft-Windows-Eventlog' } } },
    { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104 },
    { Channel: 'Windows PowerShell', EventID: 400 },
    { Channel: 'Application', EventID: 1040, Provider: { '#attributes': { Name: 'MsiInstaller' } } },
    { Channel: 'System', EventID: 104, Task: 104, Provider: { '#attributes': { Name: 'Microsoft-Windows-Eventlog' } } },
    { Channel: 'Some/Other' },
    {},
  ];
  for (const sys of cases) assert.ok(checkClass(windows(sys), JSON.stringify(sys)) >= 12);
});

test('recordClass: one object per class; classOf decides category, type and action from the tables', () => {
  const a = windows({ Channel: 'Security', EventID: 4624, Task: 12544 });
  const b = windows({ Channel: 'Security', EventID: 4624, Task: 12544 }, { TargetUserName: 'x' });
  assert.equal(recordClass(a), recordClass(b));
  assert.notEqual(recordClass(a), recordClass(windows({ Channel: 'Security', EventID: 4625, Task: 12544 })));
  const sysmon1 = classOf('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', '1', undefined).fields;
  assert.deepEqual([sysmon1.get('event.category'), sysmon1.get('event.type'), sysmon1.get('event.action')], [['process'], ['start'], 'Process creation']);
  const app = classOf('Application', 'MsiInstaller', '1040', undefined).fields;
  assert.deepEqual([app.get('event.category'), app.get('event.action'), app.get('event.dataset')], [null, null, 'system.application']);
  assert.equal(classOf('', '', '', undefined).fields.get('event.code'), null);
});

test('recordClass: the decided fields equal the built document\'s for every EVTX-ATTACK-SAMPLES event, rendered and flattened', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => undefined);
  const classes = new Set<unknown>();
  let n = 0;
  let flat = 0;
  for (const f of files) {
    // As `events` reads them (rendered), and as a scan does (the fields the EVTX reader flattened).
    for (const flattened of [false, true]) {
      for await (const batch of readEventFile(f, () => undefined, undefined, false, flattened)) {
        for (const rec of batch) {
          if (recordIndex(rec) === undefined) continue;
          checkClass(rec, `${f} ${rec.recordId ?? ''}`);
          classes.add(recordClass(rec));
          n++;
          if (rec.flat) flat++;
        }
      }
    }
  }
  assert.ok(n > 16000 && flat > 8000 && classes.size > 100, `${n} events (${flat} flattened), ${classes.size} classes`);
});
