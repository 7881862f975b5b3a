/**
 * Event values exactly as stored (issue 8, items 1-3), on real events of the shared samples run
 * through the reader, the flattening and SigmaHQ's own rules: GUIDs keep their braces, strings keep
 * trailing white space, and a field name in both System and the event's data reads the data.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Matcher } from '../../../src/engine/matcher.js';
import { loadRules } from '../../../src/engine/rules.js';
import { readEvtxFile } from '../../../src/events/evtx/index.js';
import { crc32 } from '../../../src/events/evtx/crc32.js';
import { flattenEvent } from '../../../src/events/normalize.js';
import { readEventFile } from '../../../src/events/read.js';
import type { EventRecord } from '../../../src/events/types.js';
import { fires, rule } from '../../helpers/sigma.js';
import { requireShared } from '../../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'detectory-exact-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function records(path: string): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for await (const r of readEvtxFile(path, () => undefined)) out.push(r);
  return out;
}

function eventId(r: EventRecord): number {
  const e = (r.event.System as Record<string, unknown>).EventID;
  return Number(e && typeof e === 'object' ? (e as Record<string, unknown>)['#text'] : e);
}

function data(r: EventRecord): Record<string, unknown> {
  return (r.event.EventData ?? {}) as Record<string, unknown>;
}

/** Fixes a chunk's records CRC and header CRC after a byte edit (so the edit is not reported as damage). */
function fixChunkChecksums(b: Buffer, chunkOffset: number): void {
  const free = b.readUInt32LE(chunkOffset + 48);
  b.writeUInt32LE(crc32(b, chunkOffset + 512, chunkOffset + free), chunkOffset + 52);
  b.writeUInt32LE(crc32(b, chunkOffset + 128, chunkOffset + 512, crc32(b, chunkOffset, chunkOffset + 120)), chunkOffset + 124);
}

const SIGMA = 'corpora/sigma/rules/windows/builtin';

test('GUID values keep their braces: SigmaHQ 4719 rules see SubcategoryGuid as Windows writes it', async (t) => {
  const shared = requireShared(t, 'the 4719 sample and SigmaHQ rules');
  if (!shared) return;
  // A real 4719 (Audit Logon policy change, success and failure added); its AuditPolicyChanges is
  // turned into "removed" (%%8448, %%8450: same length, checksums fixed) so that the rules apply.
  const b = readFileSync(join(shared, 'evtx/EVTX-ATTACK-SAMPLES/Credential Access/ACL_ForcePwd_SPNAdd_User_Computer_Accounts.evtx'));
  const from = Buffer.from('%%8449, %%8451', 'utf16le');
  const at = b.indexOf(from);
  assert.ok(at > 0, 'the sample holds the 4719 record');
  Buffer.from('%%8448, %%8450', 'utf16le').copy(b, at);
  const chunk = 4096 + Math.floor((at - 4096) / 65536) * 65536;
  fixChunkChecksums(b, chunk);
  const path = join(dir, '4719.evtx');
  writeFileSync(path, b);
  const ev = (await records(path)).find((r) => eventId(r) === 4719 && data(r).AuditPolicyChanges === '%%8448, %%8450');
  assert.ok(ev, 'the edited 4719 event');
  assert.equal(data(ev).SubcategoryGuid, '{0CCE9215-69AE-11D9-BED3-505054503030}');
  const sys = ev.event.System as Record<string, Record<string, Record<string, unknown>>>;
  assert.equal(sys.Provider['#attributes'].Guid, '{54849625-5478-4994-A5BA-3E3B0328C30D}');

  const set = loadRules([
    join(shared, SIGMA, 'security/win_security_disable_event_auditing_critical.yml'),
    join(shared, SIGMA, 'security/win_security_disable_event_auditing.yml'),
  ]);
  const m = new Matcher(set.detections);
  assert.equal(m.loaded.length, 2);
  const titles = m.match(flattenEvent(ev)).map((v) => v.rule.title).sort();
  // Audit Logon is in the critical rule's list, and in the other rule's filter.
  assert.deepEqual(titles, ['Important Windows Event Auditing Disabled']);
});

test('string values keep trailing white space (LogonProcessName "NtLmSsp ") in the reader, the flattening and JSON input', async (t) => {
  const shared = requireShared(t, 'the 4624 sample');
  if (!shared) return;
  const path = join(shared, 'evtx/EVTX-ATTACK-SAMPLES/Command and Control/DE_RDP_Tunneling_4624.evtx');
  const ev = (await records(path)).find((r) => eventId(r) === 4624 && String(data(r).LogonProcessName).startsWith('NtLmSsp'));
  assert.ok(ev);
  assert.equal(data(ev).LogonProcessName, 'NtLmSsp ');
  assert.equal(flattenEvent(ev).fields.LogonProcessName, 'NtLmSsp ');
  const exact = rule(`title: t\nid: 22222222-2222-2222-2222-222222222222\nlogsource:\n  product: windows\n  service: security\ndetection:\n  s:\n    LogonProcessName: 'NtLmSsp '\n  condition: s\n`);
  const trimmed = rule(`title: t\nid: 33333333-3333-3333-3333-333333333333\nlogsource:\n  product: windows\n  service: security\ndetection:\n  s:\n    LogonProcessName: 'NtLmSsp'\n  condition: s\n`);
  assert.equal(fires(exact, ev.event), true);
  assert.equal(fires(trimmed, ev.event), false, 'a rule that wants the trimmed value must say so (|startswith, |contains)');

  // The same event through the JSON readers (detectory's own events output, one per line).
  const jsonl = join(dir, 'e.jsonl');
  writeFileSync(jsonl, JSON.stringify({ file: 'x', record_id: ev.recordId, event: ev.event }) + '\n');
  const back: EventRecord[] = [];
  for await (const batch of readEventFile(jsonl, () => undefined)) back.push(...batch);
  assert.equal(flattenEvent(back[0]).fields.LogonProcessName, 'NtLmSsp ');
});

test('a field in both System and UserData reads the data; routing keeps System/Channel (Event 104, log cleared)', async (t) => {
  const shared = requireShared(t, 'the 104 sample and the SigmaHQ rule');
  if (!shared) return;
  const ev = (await records(join(shared, 'evtx/EVTX-ATTACK-SAMPLES/Defense Evasion/DE_104_system_log_cleared.evtx'))).find((r) => eventId(r) === 104);
  assert.ok(ev);
  const set = loadRules([join(shared, SIGMA, 'system/microsoft_windows_eventlog/win_system_susp_eventlog_cleared.yml')]);
  const m = new Matcher(set.detections);
  assert.equal(m.loaded.length, 1);
  // As stored: the System log was cleared (UserData Channel = System): the rule fires.
  assert.equal(m.match(flattenEvent(ev)).length, 1);
  // The same event for a cleared Application log: UserData Channel = Application, System Channel = System.
  const app = structuredClone(ev);
  const cleared = (app.event.UserData as Record<string, Record<string, unknown>>).LogFileCleared;
  assert.equal(cleared.Channel, 'System');
  cleared.Channel = 'Application';
  const flat = flattenEvent(app);
  assert.equal(flat.fields.Channel, 'Application', 'the rule field reads the event data');
  assert.equal(flat.channel, 'System', 'routing uses System/Channel');
  assert.equal(m.match(flat).length, 0, '"Important Windows Eventlog Cleared" must not fire for the Application log');
});
