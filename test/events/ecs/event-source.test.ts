/**
 * The ECS document read from the fields the EVTX reader decoded (rec.flat, event-source.ts) against
 * the document of the rendered record, field by field, on every event of EVTX-ATTACK-SAMPLES: every
 * Sysmon event id and the Security, PowerShell and System events the samples hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { getPath, leafFields, toEcs } from '../../../src/events/ecs/index.js';
import { flatSource } from '../../../src/events/ecs/event-source.js';
import type { FlatFields } from '../../../src/events/normalize.js';
import type { EventRecord } from '../../../src/events/types.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import { requireShared } from '../../helpers/shared.js';
import { makeEvent } from './make-event.js';

/** The same record without its fields: toEcs renders it. */
const rendered = (rec: EventRecord): EventRecord => ({ file: rec.file, recordId: rec.recordId, timestamp: rec.timestamp, event: rec.event });

function sameDocument(fromFields: Record<string, unknown>, fromRender: Record<string, unknown>, where: string): void {
  const fields = new Set([...leafFields(fromFields), ...leafFields(fromRender)]);
  for (const f of fields) assert.deepStrictEqual(getPath(fromFields, f), getPath(fromRender, f), `${where}: ${f}`);
}

const SYSMON_IDS = [1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18, 22, 23];

test('documents from the decoded fields equal those of the rendered records (EVTX-ATTACK-SAMPLES)', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => undefined);
  let n = 0;
  let fromFields = 0;
  /** Per channel: event ids read from the fields. */
  const seen = new Map<string, Set<number>>();
  for (const f of files) {
    for await (const batch of readEventFile(f, () => undefined, undefined, false, true)) {
      for (const rec of batch) {
        n++;
        if (!rec.flat || !flatSource(rec.flat)) continue;
        fromFields++;
        const { channel, eventId } = rec.flat;
        // Before the document: reading from the fields must not render the record.
        const doc = toEcs(rec);
        assert.equal((rec as unknown as { rendered?: unknown }).rendered, undefined, `${rec.file} ${rec.where}: the record was rendered`);
        sameDocument(doc, toEcs(rendered(rec)), `${rec.file} ${rec.where} (${channel} ${eventId})`);
        let ids = seen.get(channel.toLowerCase());
        if (!ids) seen.set(channel.toLowerCase(), (ids = new Set()));
        ids.add(eventId);
      }
    }
  }
  assert.ok(n > 1000, `events read: ${n}`);
  assert.ok(fromFields > n * 0.8, `documents read from the fields: ${fromFields} of ${n}`);
  const ids = (channel: string): Set<number> => seen.get(channel) ?? new Set();
  const sysmon = ids('microsoft-windows-sysmon/operational');
  for (const id of SYSMON_IDS) assert.ok(sysmon.has(id), `Sysmon ${id} read from the fields`);
  // The Security, PowerShell and System events of the samples (4697 and 4103 are not among them; 1102
  // has UserData and classic PowerShell unnamed Data: those are rendered, as before).
  for (const id of [4688, 4624, 4625, 4634, 4672, 4698, 4699, 4702, 4719, 5140, 5145, 4662]) assert.ok(ids('security').has(id), `Security ${id} read from the fields`);
  assert.ok(ids('microsoft-windows-powershell/operational').has(4104), 'PowerShell 4104 read from the fields');
  for (const id of [7045, 7036]) assert.ok(ids('system').has(id), `System ${id} read from the fields`);
});

const flatOf = (fields: Record<string, string | string[] | null>, dataKeys: number): FlatFields => ({
  fields,
  keys: Object.keys(fields),
  channel: 'Security',
  eventId: 4688,
  computer: 'pc',
  dataKeys,
});

test('flatSource: shapes the fields cannot give exactly are left to rendering', () => {
  const sys = { EventID: '4688', Provider_Name: 'Microsoft-Windows-Security-Auditing' };
  const fields = { Binary: 'AB', NewProcessName: 'C:\\a.exe', Empty: null, Dash: '-', Guid: '6A3A3F8E-0C8A-4C4E-9C6B-1E1E1E1E1E1E', ...sys };
  const ok = flatSource(flatOf(fields, 5), new Set(['-']));
  assert.deepEqual(Object.entries(ok?.data ?? {}), [['NewProcessName', 'C:\\a.exe'], ['Guid', '{6a3a3f8e-0c8a-4c4e-9c6b-1e1e1e1e1e1e}'], ['Binary', 'AB']], 'Binary last, GUIDs in Winlogbeat form, empty values left out');
  assert.equal(flatSource(flatOf(fields, 5))?.data.Dash, '-', 'values kept where the dataset does not drop them');
  assert.equal(ok?.sys.provider, 'Microsoft-Windows-Security-Auditing');
  assert.equal(flatSource(flatOf({ Data: 'x', ...sys }, 1)), undefined, 'unnamed Data');
  assert.equal(flatSource(flatOf({ Level: '4', ...sys }, 1)), undefined, 'a data value hiding a System value');
  assert.equal(flatSource(flatOf({ 'Source Name': 'x', SourceName: 'x', ...sys }, 2)), undefined, 'a name with spaces');
  assert.equal(flatSource(flatOf({ List: ['a', 'b'], ...sys }, 1)), undefined, 'a list value');
  assert.equal(flatSource({ ...flatOf(sys, 0), dataKeys: undefined }), undefined, 'no dataKeys from the reader');
});

test('flatSource: what it finds of a list of names once serves every event sharing it, per count of event data names', () => {
  const sys = { EventID: '4688', Provider_Name: 'Microsoft-Windows-Security-Auditing' };
  // One list of names (as records of one EVTX template share theirs), read with 1 then 2 data names:
  // the second reading counts "Level" as event data (hiding System's), the first does not.
  const fields = { Name: 'x', Level: '4', ...sys };
  const keys = Object.keys(fields);
  const at = (n: number): FlatFields => ({ fields, keys, channel: 'Security', eventId: 4688, computer: 'pc', dataKeys: n });
  assert.deepEqual(Object.entries(flatSource(at(1))?.data ?? {}), [['Name', 'x']]);
  assert.equal(flatSource(at(2)), undefined, 'a data value hiding a System value');
  assert.deepEqual(Object.entries(flatSource(at(1))?.data ?? {}), [['Name', 'x']], 'again with one');
  // Binary's place is found once too: last whatever its position.
  const withBinary = { Binary: 'AB', Name: 'x', ...sys };
  const bkeys = Object.keys(withBinary);
  for (let i = 0; i < 2; i++) {
    const got = flatSource({ fields: withBinary, keys: bkeys, channel: 'Security', eventId: 4688, computer: 'pc', dataKeys: 2 });
    assert.deepEqual(Object.keys(got?.data ?? {}), ['Name', 'Binary']);
  }
});

test('event data objects: "__proto__" is no name of theirs (as on the ordinary objects they were), read from the fields or rendered', () => {
  const sys = { EventID: '4688', Provider_Name: 'Microsoft-Windows-Security-Auditing' };
  // JSON.parse makes "__proto__" an own key, as a reader's parsed event would have it.
  const fields = JSON.parse('{"__proto__": "x", "A": "1"}') as Record<string, string>;
  const got = flatSource(flatOf({ ...fields, ...sys }, 2));
  assert.deepEqual(Object.keys(got?.data ?? {}), ['A']);
  assert.equal(Object.hasOwn(got?.data ?? {}, '__proto__'), false);
  const rec = makeEvent('Security', 'Microsoft-Windows-Security-Auditing', 4688, JSON.parse('{"__proto__": "x", "A": "1"}') as Record<string, unknown>);
  const data = (toEcs(rec).winlog as Record<string, unknown>).event_data as Record<string, unknown>;
  assert.deepEqual(Object.keys(data), ['A']);
  assert.equal(Object.hasOwn(data, '__proto__'), false);
});
