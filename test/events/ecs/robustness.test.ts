/** toEcs on malformed events: no exception, a document with what could be read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPath, toEcs } from '../../../src/events/ecs/index.js';
import type { EventRecord } from '../../../src/events/types.js';
import { makeEvent, security, sysmon } from './make-event.js';

const rec = (event: Record<string, unknown>): EventRecord => ({ file: 'x', event });

test('odd shapes do not throw', () => {
  const odd: EventRecord[] = [
    rec({}),
    rec({ System: null }),
    rec({ System: { EventID: 'abc', Keywords: 'zzz', Level: 'high', Channel: 7, TimeCreated: 'yesterday' } }),
    rec({ System: { Channel: 'Security', EventID: 4624, Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } } }, EventData: 'just text' }),
    rec({ System: { Channel: 'Security', EventID: 4688 }, EventData: { NewProcessId: 'not-a-number', ProcessId: '0xZZ', CommandLine: '"unterminated', NewUacValue: '0xnope', TicketOptions: 'x', AccessMask: '%%' } }),
    rec({ System: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 13 }, EventData: { TargetObject: '', Details: 'QWORD (0xFFFFFFFF-0xFFFFFFFF)', Hashes: '=,==,SHA1=', UtcTime: 'bad' } }),
    rec({ System: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 22 }, EventData: { QueryResults: 'type: ;type:  999 x y z;[::ffff:1.2.3.4]:53;garbage;' } }),
    rec({ System: { Channel: 'Windows PowerShell', EventID: 800 }, EventData: { Data: { '#text': [null, { a: 1 }, 'no keys here'] } } }),
    rec({ System: { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4103 }, EventData: { ContextInfo: ' '.repeat(20000) + 'a' + ' '.repeat(20000), Payload: 'x(' + ';'.repeat(5000) } }),
    rec({ System: { Channel: 'Security', EventID: 1102 }, UserData: 'not an object' }),
  ];
  for (const r of odd) {
    const d = toEcs(r);
    assert.equal(getPath(d, 'host.os.type'), 'windows');
  }
});

test('values that are not strings are rendered as strings in event data', () => {
  const d = toEcs(sysmon(3, { Initiated: true, SourcePort: 443, Nested: { '#text': 'inner' }, List: ['a', 'b'] }));
  assert.equal(getPath(d, 'network.direction'), 'egress');
  assert.equal(getPath(d, 'source.port'), 443);
  assert.equal(getPath(d, 'winlog.event_data.Nested'), 'inner');
  assert.equal(getPath(d, 'winlog.event_data.List'), 'ab');
});

test('a mapping never runs for another channel that reuses an event id', () => {
  const d = toEcs(makeEvent('Application', 'MsiInstaller', 1, { Image: 'C:\\x.exe' }));
  assert.equal(getPath(d, 'process.executable'), undefined);
  assert.equal(getPath(d, 'event.category'), undefined);
  const s = toEcs(security(1, {}));
  assert.equal(getPath(s, 'event.action'), undefined);
});
