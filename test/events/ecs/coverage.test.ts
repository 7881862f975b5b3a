/**
 * ECS coverage over every event of EVTX-ATTACK-SAMPLES (and hand-made events for the ids the samples
 * lack): every field emitted exists in ECS (schemas/ecs/ecs_flat.yml) or is an integration field
 * (winlog.*, powershell.*, sysmon.*); every field the Windows Elastic rules read is produced, or
 * passes through in winlog.event_data when an event carries it, or is listed in UNPRODUCED_FIELDS
 * with a reason (printed as diagnostics).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leafFields, toEcs, UNPRODUCED_FIELDS, unproducedReason } from '../../../src/events/ecs/index.js';
import { SYSMON_CLEANUP, SYSMON_MOVES } from '../../../src/events/ecs/sysmon-table.js';
import { EMPTY_VALUES } from '../../../src/events/ecs/winlog-table.js';
import type { EventRecord } from '../../../src/events/types.js';
import { CLASSIC_CLEANUP, OPERATIONAL_CLEANUP } from '../../../src/events/ecs/powershell-table.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import { requireShared } from '../../helpers/shared.js';
import { makeEvent, security, sysmon } from './make-event.js';
import { windowsRuleFields } from './rule-fields.js';

const INTEGRATION_PREFIXES = ['winlog.', 'powershell.', 'sysmon.'];

/** Hand-made events for the mappings no sample exercises. */
function handMade(): Record<string, unknown>[] {
  const events = [
    ...[9, 14, 24, 25, 26, 27, 28, 29, 255].map((id) => sysmon(id, { Image: 'C:\\a.exe', ProcessGuid: '{1}', TargetFilename: 'C:\\t.exe', Hashes: 'SHA256=AB', ID: 'x', Type: 'y', User: 'D\\u' })),
    sysmon(13, { TargetObject: 'HKLM\\x\\y', Details: 'DWORD (0x00000001)' }),
    security(4688, { NewProcessId: '0x2', ProcessId: '0x1', NewProcessName: 'C:\\b.exe', ParentProcessName: 'C:\\a.exe', CommandLine: 'b.exe /x', TargetUserSid: 'S-1-5-18', TargetUserName: 'SYSTEM', TargetDomainName: 'NT AUTHORITY', MandatoryLabel: 'S-1-16-12288' }),
    security(4697, { SubjectUserSid: 'S-1-5-18', SubjectUserName: 'H$', ServiceName: 's', ServiceFileName: 'C:\\s.exe', ServiceType: '0x10', ServiceAccount: 'LocalSystem', ClientProcessId: '0', ParentProcessId: '0' }),
    security(4624, { TargetUserSid: 'S-1-5-21-1', TargetUserName: 'u', TargetDomainName: 'D', LogonType: '10', IpAddress: '10.0.0.1', IpPort: '1234' }),
    makeEvent('Microsoft-Windows-PowerShell/Operational', 'Microsoft-Windows-PowerShell', 4103, { ContextInfo: '        Host Application = powershell.exe\n        Command Name = Get-Item', Payload: 'CommandInvocation(Get-Item): "Get-Item"' }),
    makeEvent('Windows PowerShell', 'PowerShell', 400, { Data: { '#text': ['Available', 'None', '\tNewEngineState=Available\n\tHostApplication=powershell.exe'] } }),
  ];
  return events.map((e) => toEcs(e));
}

function ecsFieldNames(shared: string): Set<string> {
  const text = readFileSync(join(shared, 'schemas', 'ecs', 'ecs_flat.yml'), 'utf8');
  return new Set([...text.matchAll(/^'?([@A-Za-z_][\w.@]*)'?:\s*$/gm)].map((m) => m[1]));
}

let produced: Promise<Set<string>> | undefined;
async function producedFields(shared: string): Promise<Set<string>> {
  produced ??= (async () => {
    const out = new Set<string>();
    const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => {});
    for (const f of files) for await (const batch of readEventFile(f, () => {})) for (const r of batch) leafFields(toEcs(r), '', out);
    for (const d of handMade()) leafFields(d, '', out);
    return out;
  })();
  return produced;
}

test('every emitted field is an ECS field or an integration field', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const ecs = ecsFieldNames(shared);
  assert.ok(ecs.size > 1000, `ecs_flat.yml fields: ${ecs.size}`);
  const fields = await producedFields(shared);
  const outside = [...fields].filter((f) => !ecs.has(f) && !INTEGRATION_PREFIXES.some((p) => f.startsWith(p)));
  assert.deepEqual(outside, []);
  t.diagnostic(`${fields.size} distinct fields emitted`);
});

test('every field the Windows Elastic rules read is produced or listed with a reason', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const { rules, fields: read } = windowsRuleFields(shared);
  assert.ok(rules > 500, `Windows rules: ${rules}`);
  const fields = await producedFields(shared);
  const removed = new Set([...SYSMON_CLEANUP, ...OPERATIONAL_CLEANUP, ...CLASSIC_CLEANUP]);
  const unaccounted: string[] = [];
  const passThrough: string[] = [];
  const unproduced = new Map<string, string[]>();
  let producedCount = 0;
  for (const [f, n] of [...read].sort((a, b) => b[1] - a[1])) {
    if (fields.has(f)) {
      producedCount++;
      continue;
    }
    const m = /^winlog\.(event_data|user_data)\.(\w+)$/.exec(f);
    if (m && !removed.has(m[2])) {
      passThrough.push(`${f} (${n})`);
      continue;
    }
    const why = unproducedReason(f);
    if (why) unproduced.set(why.field, [...(unproduced.get(why.field) ?? []), `${f} (${n})`]);
    else unaccounted.push(`${f} (${n} rules)`);
  }
  assert.deepEqual(unaccounted, [], 'fields read by rules, neither produced nor listed in UNPRODUCED_FIELDS');
  // The list stays honest: nothing listed there is produced.
  const stale = [...fields].filter((f) => unproducedReason(f));
  assert.deepEqual(stale, [], 'listed as unproduced but produced');
  t.diagnostic(`${rules} Windows rules read ${read.size} fields: ${producedCount} produced, ${passThrough.length} pass through winlog.event_data when present, ${read.size - producedCount - passThrough.length} not produced`);
  t.diagnostic(`pass through (no sample event carries them): ${passThrough.join(', ')}`);
  for (const u of UNPRODUCED_FIELDS) {
    const hits = unproduced.get(u.field);
    if (hits) t.diagnostic(`not produced: ${hits.join(', ')}: ${u.reason}`);
  }
});

/** Event data fields the Sysmon and Security pipelines rename, remove or rewrite. */
const TOUCHED: Record<string, Set<string>> = {
  'Microsoft-Windows-Sysmon/Operational': new Set([...SYSMON_MOVES.filter((m) => m.op === 'rename').map((m) => m.from), ...SYSMON_CLEANUP, 'Hash', 'TargetProcessGuid']),
  Security: new Set(['ProcessId', 'ProcessName', 'IpAddress', 'IpPort', 'WorkstationName', 'ClientAddress', 'NewProcessId', 'NewProcessName', 'ParentProcessName', 'AccessMask', 'PrivilegeList', 'UserAccountControl']),
};

function rawText(v: unknown): string | undefined {
  if (v === null || v === undefined || typeof v === 'object') return undefined;
  const s = String(v);
  const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec(s);
  return m ? `{${m[1].toLowerCase()}}` : s;
}

test('event data the pipelines leave alone reaches winlog.event_data unchanged (Sysmon, Security samples)', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => {});
  let checked = 0;
  const wrong: string[] = [];
  for (const f of files) {
    for await (const batch of readEventFile(f, () => {})) {
      for (const r of batch as EventRecord[]) {
        const sys = r.event.System as Record<string, unknown> | undefined;
        const touched = TOUCHED[String(sys?.Channel)];
        const raw = r.event.EventData as Record<string, unknown> | undefined;
        if (!touched || !raw || typeof raw !== 'object') continue;
        const doc = toEcs(r);
        const data = ((doc.winlog as Record<string, unknown>).event_data ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(raw)) {
          const want = rawText(v);
          if (want === undefined || EMPTY_VALUES.has(want) || touched.has(k)) continue;
          checked++;
          if (data[k] !== want && wrong.length < 10) wrong.push(`${f} record ${r.recordId}: ${k} = ${JSON.stringify(data[k])}, raw ${JSON.stringify(want)}`);
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 10000, `values checked: ${checked}`);
  t.diagnostic(`${checked} event data values checked`);
});
