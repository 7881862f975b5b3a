/** The JSON readers: evtx_dump objects back to back, arrays, NDJSON, bare and Winlogbeat shapes, problems. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEventFile } from '../../../src/events/read.js';
import { flattenEvent } from '../../../src/events/normalize.js';
import type { EventRecord, ReadProblem } from '../../../src/events/types.js';
import { tempDir } from '../../helpers/temp-dir.js';

const dir = tempDir('detectory-json-');

async function read(name: string, content: string | Buffer): Promise<{ events: EventRecord[]; problems: ReadProblem[] }> {
  const file = join(dir, name);
  writeFileSync(file, content);
  const events: EventRecord[] = [];
  const problems: ReadProblem[] = [];
  for await (const b of readEventFile(file, (p) => problems.push(p))) events.push(...b);
  return { events, problems };
}

const ev = (rid: number, data: Record<string, unknown> = { Image: 'C:\\x.exe' }): Record<string, unknown> => ({
  Event: { System: { EventID: 1, EventRecordID: rid, Channel: 'Microsoft-Windows-Sysmon/Operational', TimeCreated: { '#attributes': { SystemTime: '2026-01-01T00:00:00.1234567Z' } } }, EventData: data },
});

test('.json: pretty-printed objects back to back, with a broken one in the middle', async () => {
  const text = JSON.stringify(ev(1), null, 2) + '\n' + '{ "Event": { "System": [1, 2 }\n' + JSON.stringify(ev(3), null, 2) + '\n';
  const r = await read('concat.json', '\ufeff' + text);
  assert.deepEqual(r.events.map((e) => e.recordId), [1, 3]);
  assert.equal(r.events[0].timestamp, '2026-01-01T00:00:00.1234567Z');
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].reason, 'invalid-json');
  assert.match(r.problems[0].where!, /^line \d+$/);
});

test('.json: an array of events, and a value cut off at the end of the file', async () => {
  const r = await read('array.json', JSON.stringify([ev(1), ev(2), { nope: true }]) + '\n{"Event": {');
  assert.deepEqual(r.events.map((e) => e.recordId), [1, 2]);
  assert.deepEqual(r.problems.map((p) => p.reason), ['not-an-event', 'invalid-json']);
  assert.equal(r.problems[0].where, 'line 1, item 3');
});

test('.jsonl: evtx_dump lines, bare System/EventData lines, detectory events lines, CRLF', async () => {
  const bare = { System: { EventID: 4688, Channel: 'Security', EventRecordID: 7 }, EventData: { NewProcessName: 'C:\\a.exe' } };
  const own = { file: 'x.evtx', record_id: 8, timestamp: null, event: { System: { EventID: 1, Channel: 'c', EventRecordID: 8 }, EventData: {} } };
  const r = await read('mixed.jsonl', [JSON.stringify(ev(1)), JSON.stringify(bare), JSON.stringify(own), ''].join('\r\n'));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.events.map((e) => e.recordId), [1, 7, 8]);
});

test('.ndjson: Winlogbeat documents become Windows events', async () => {
  const doc = {
    '@timestamp': '2026-02-03T04:05:06.789Z',
    winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: '1', record_id: 42, computer_name: 'ws1', provider_name: 'Microsoft-Windows-Sysmon',
      event_data: { Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c whoami' } },
    process: { executable: 'C:\\Windows\\System32\\cmd.exe' },
  };
  const r = await read('beat.ndjson', JSON.stringify(doc) + '\n');
  assert.deepEqual(r.problems, []);
  const f = flattenEvent(r.events[0]);
  assert.equal(f.channel, 'Microsoft-Windows-Sysmon/Operational');
  assert.equal(f.eventId, 1);
  assert.equal(f.fields.CommandLine, 'cmd /c whoami');
  assert.equal(f.fields.Computer, 'ws1');
  assert.equal(f.fields.Provider_Name, 'Microsoft-Windows-Sysmon');
  assert.equal(r.events[0].timestamp, '2026-02-03T04:05:06.789Z');
});

test('flattening: System attributes as Tag_Attribute, nested UserData leaves, unnamed Data, numbers as text', () => {
  const f = flattenEvent({
    file: 'f',
    event: {
      System: { Provider: { '#attributes': { Name: 'P', Guid: '{G}' } }, EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7045 }, Execution: { '#attributes': { ProcessID: 4 } }, Channel: 'System' },
      UserData: { RuleAndFileData: { '#attributes': { xmlns: 'x' }, PolicyName: 'EXE', FilePath: 'C:\\a.exe' } },
      EventData: { Data: { '#text': ['one', 'two'] }, Count: 3, Flag: true, Empty: null },
    },
  });
  assert.equal(f.fields.Provider_Name, 'P');
  assert.equal(f.fields.EventID, '7045');
  assert.equal(f.fields.EventID_Qualifiers, '16384');
  assert.equal(f.fields.Execution_ProcessID, '4');
  assert.equal(f.fields.PolicyName, 'EXE');
  assert.deepEqual(f.fields.Data, ['one', 'two']);
  assert.equal(f.fields.Count, '3');
  assert.equal(f.fields.Flag, 'true');
  assert.equal(f.fields.Empty, null);
  assert.ok(!('xmlns' in f.fields));
});
