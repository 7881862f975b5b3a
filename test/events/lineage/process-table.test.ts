/**
 * Process lineage on hand-made event sequences: Sysmon GUID chains, Security 4688/4689 with pid
 * reuse, placeholders for parents whose start was not seen, eviction, and the AN1288 check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEcs, getPath } from '../../../src/events/ecs/index.js';
import { ProcessTable, signedParentUnsignedChild } from '../../../src/events/lineage/index.js';
import { security, sysmon } from '../ecs/make-event.js';
import { requireShared } from '../../helpers/shared.js';
import { sampleEvents } from '../../helpers/samples.js';

const at = (s: number): string => new Date(Date.UTC(2024, 4, 1, 10, 0, s)).toISOString().replace('Z', '0000Z');

function start(guid: string, parent: string, image: string, s: number): Record<string, unknown> {
  return toEcs(sysmon(1, { ProcessGuid: guid, ProcessId: 1, Image: image, ParentProcessGuid: parent, ParentImage: 'C:\\p.exe', CommandLine: image }, at(s)));
}

test('Sysmon: ancestry from ProcessGuid / ParentProcessGuid', () => {
  const t = new ProcessTable();
  const G = (n: number): string => `{00000000-0000-0000-0000-00000000000${n}}`;
  t.observe(start(G(2), G(1), 'C:\\Windows\\explorer.exe', 1));
  t.observe(start(G(3), G(2), 'C:\\Windows\\System32\\cmd.exe', 2));
  const n = t.observe(start(G(4), G(3), 'C:\\Windows\\System32\\whoami.exe', 3));
  assert.equal(n?.entityId, G(4));
  assert.deepEqual(t.ancestorsOf(G(4)), [G(3), G(2), G(1)]);
  assert.deepEqual(t.ancestorsOf(G(4), 2), [G(3), G(2)]);
  assert.ok(t.isChildOf(G(4), G(3)));
  assert.ok(!t.isChildOf(G(4), G(2)));
  assert.ok(t.isDescendantOf(G(4), G(1)));
  assert.ok(!t.isDescendantOf(G(2), G(4)));
  assert.equal(t.get(G(3))?.name, 'cmd.exe');
  assert.deepEqual(t.ancestry(G(4), 1).map((p) => p.name), ['cmd.exe']);
  // A later event of the process (network, file...) finds the same node.
  const net = toEcs(sysmon(3, { ProcessGuid: G(4), ProcessId: 1, Image: 'C:\\Windows\\System32\\whoami.exe', DestinationIp: '10.0.0.1' }, at(4)));
  assert.equal(t.observe(net)?.entityId, G(4));
  assert.deepEqual(t.ancestorsOf(G(4)), [G(3), G(2), G(1)]);
});

test('cycles in bad data do not loop', () => {
  const t = new ProcessTable();
  t.observe(start('{a}', '{b}', 'C:\\a.exe', 1));
  t.observe(start('{b}', '{a}', 'C:\\b.exe', 2));
  assert.deepEqual(t.ancestorsOf('{a}'), ['{b}']);
});

function p4688(pid: string, ppid: string, image: string, s: number, host = 'HOST1'): Record<string, unknown> {
  return toEcs(security(4688, { NewProcessId: pid, ProcessId: ppid, NewProcessName: image, SubjectUserName: 'u', SubjectUserSid: 'S-1-5-18' }, { time: at(s), computer: host }));
}
function p4689(pid: string, image: string, s: number, host = 'HOST1'): Record<string, unknown> {
  return toEcs(security(4689, { ProcessId: pid, ProcessName: image, SubjectUserName: 'u' }, { time: at(s), computer: host }));
}

test('4688 / 4689: parents by pid and time, pid reuse', () => {
  const t = new ProcessTable();
  const explorer = p4688('0x100', '0x4', 'C:\\Windows\\explorer.exe', 1);
  t.observe(explorer);
  const explorerId = getPath(explorer, 'process.entity_id') as string;
  assert.match(explorerId, /^4688:HOST1:256:/);
  // Its parent (pid 4) was never seen start: a placeholder that siblings share.
  assert.equal(getPath(explorer, 'process.parent.entity_id'), '4688:HOST1:4:?');

  const cmd1 = p4688('0x200', '0x100', 'C:\\Windows\\System32\\cmd.exe', 2);
  t.observe(cmd1);
  const cmd1Id = getPath(cmd1, 'process.entity_id') as string;
  assert.equal(getPath(cmd1, 'process.parent.entity_id'), explorerId);
  t.observe(p4689('0x200', 'C:\\Windows\\System32\\cmd.exe', 5));
  assert.ok(t.get(cmd1Id)?.end !== undefined);

  // pid 0x200 is reused by another process: its children must not hang under the first cmd.exe.
  const other = p4688('0x200', '0x100', 'C:\\Windows\\System32\\notepad.exe', 6);
  t.observe(other);
  const otherId = getPath(other, 'process.entity_id') as string;
  assert.notEqual(otherId, cmd1Id);
  const child = p4688('0x300', '0x200', 'C:\\Windows\\System32\\calc.exe', 7);
  t.observe(child);
  assert.equal(getPath(child, 'process.parent.entity_id'), otherId);
  assert.deepEqual(t.ancestorsOf(getPath(child, 'process.entity_id') as string), [otherId, explorerId, '4688:HOST1:4:?']);

  // Reuse without a 4689 in between (lost event): the newer start ends the older process.
  const again = p4688('0x200', '0x100', 'C:\\Windows\\System32\\mspaint.exe', 8);
  t.observe(again);
  assert.equal(t.get(otherId)?.end, Date.parse(at(8)));
  const grandchild = p4688('0x400', '0x200', 'C:\\x.exe', 9);
  t.observe(grandchild);
  assert.equal(getPath(grandchild, 'process.parent.entity_id'), getPath(again, 'process.entity_id'));

  // The same pid on another host is another process.
  const elsewhere = p4688('0x500', '0x200', 'C:\\y.exe', 10, 'HOST2');
  t.observe(elsewhere);
  assert.equal(getPath(elsewhere, 'process.parent.entity_id'), '4688:HOST2:512:?');
});

test('eviction: exited processes leave after the horizon, the table stays bounded', () => {
  const t = new ProcessTable({ horizonMs: 10_000, maxProcesses: 50 });
  for (let i = 0; i < 3000; i++) {
    const pid = `0x${(1000 + i).toString(16)}`;
    t.observe(p4688(pid, '0x4', 'C:\\a.exe', i));
    t.observe(p4689(pid, 'C:\\a.exe', i));
  }
  assert.ok(t.size <= 50 + 1024, `size ${t.size}`);
  t.evict();
  // Everything exited more than 10 s before the last event is gone; the cap holds.
  assert.ok(t.size <= 50, `size ${t.size}`);
  const recent = t.observe(p4688('0x9999', '0x4', 'C:\\b.exe', 3001));
  assert.ok(recent && t.get(recent.entityId));
});

test('AN1288: signed parent, unsigned child (Sysmon 7 of each image)', () => {
  const t = new ProcessTable();
  t.observe(start('{p}', '{root}', 'C:\\Windows\\System32\\svchost.exe', 1));
  t.observe(start('{c}', '{p}', 'C:\\Users\\u\\evil.exe', 2));
  t.observe(start('{d}', '{p}', 'C:\\Windows\\System32\\notepad.exe', 3));
  const load = (guid: string, image: string, signed: string, status: string, s: number): Record<string, unknown> =>
    toEcs(sysmon(7, { ProcessGuid: guid, Image: image, ImageLoaded: image, Signed: signed, SignatureStatus: status, Signature: 'Microsoft Windows' }, at(s)));
  assert.equal(signedParentUnsignedChild(t, '{c}'), undefined); // nothing known yet
  t.observe(load('{p}', 'C:\\Windows\\System32\\svchost.exe', 'true', 'Valid', 4));
  t.observe(load('{c}', 'C:\\Users\\u\\evil.exe', 'false', 'Unavailable', 5));
  t.observe(load('{d}', 'C:\\Windows\\System32\\notepad.exe', 'true', 'Valid', 6));
  // A library load that is not the process's own image does not count.
  t.observe(toEcs(sysmon(7, { ProcessGuid: '{d}', Image: 'C:\\Windows\\System32\\notepad.exe', ImageLoaded: 'C:\\x\\unsigned.dll', Signed: 'false' }, at(7))));
  assert.equal(signedParentUnsignedChild(t, '{c}'), true);
  assert.equal(signedParentUnsignedChild(t, '{d}'), false);
  assert.equal(t.get('{p}')?.signature?.subject, 'Microsoft Windows');
});

test('a real Sysmon log: the side-loading chain of EVTX-ATTACK-SAMPLES', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const table = new ProcessTable();
  const recs = await sampleEvents(shared, 'AutomatedTestingTools/Malware/DE_timestomp_and_dll_sideloading_and_RunPersist.evtx');
  for (const r of recs) table.observe(toEcs(r));
  const explorer = '{365abb72-7acc-5cc4-0000-0010b2470300}';
  const flash = '{365abb72-7c01-5cc4-0000-00102b3e0c00}';
  const nvsmart = '{365abb72-7c01-5cc4-0000-0010f9530c00}';
  const cmd = '{365abb72-7c01-5cc4-0000-00105c5c0c00}'; // record 6594
  assert.deepEqual(table.ancestorsOf(cmd), [nvsmart, flash, explorer]);
  assert.deepEqual(table.ancestry(cmd).map((p) => p.name), ['NvSmart.exe', 'Flash_update.exe', 'Explorer.EXE']);
  assert.ok(table.isChildOf(nvsmart, flash));
  assert.ok(table.isDescendantOf(cmd, explorer));
  assert.equal(table.get(flash)?.end, Date.parse('2019-04-27T15:57:54.165Z')); // Sysmon 5, record 6623
});
