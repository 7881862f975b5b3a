/**
 * Every record that can be read (issue 8, items 5-10): damaged copies of real sample files, made in a
 * temp dir: a damaged file header over intact chunks, a stale chunk header, a damaged chunk header
 * over slack holding copies of records, a name reference outside the chunk, deleted records carved
 * with `recover` (compared with libevtx), and a file cut inside its header.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from '../../../src/events/evtx/index.js';
import { crc32 } from '../../../src/events/evtx/crc32.js';
import type { EventRecord } from '../../../src/events/types.js';
import { cli } from '../../helpers/cli.js';
import { requireShared } from '../../helpers/shared.js';
import { readAll } from './read-all.js';

const dir = mkdtempSync(join(tmpdir(), 'detectory-recovery-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SAMPLES = 'evtx/EVTX-ATTACK-SAMPLES';
const LM_5145 = `${SAMPLES}/Lateral Movement/LM_5145_Remote_FileCopy.evtx`;

function write(name: string, b: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, b);
  return p;
}

/** Record offset in the file and identifier in the record header, from `where` ("record 5 at offset 0x1234"). */
function at(r: EventRecord): { id: number; offset: number } {
  const m = /^record (\d+) at offset 0x([0-9a-f]+)/.exec(r.where!)!;
  return { id: Number(m[1]), offset: parseInt(m[2], 16) };
}

function headerIds(rs: EventRecord[]): number[] {
  return rs.map((r) => at(r).id);
}

function chunkAt(i: number): number {
  return FILE_HEADER_SIZE + i * CHUNK_SIZE;
}

/** Recomputes a chunk's records CRC (over its records up to the free-space offset) and header CRC. */
function fixChunkChecksums(b: Buffer, c: number): void {
  const free = b.readUInt32LE(c + 48);
  b.writeUInt32LE(crc32(b, c + 512, c + free), c + 52);
  b.writeUInt32LE(crc32(b, c + 128, c + 512, crc32(b, c, c + 120)), c + 124);
}

function evtxexportCount(path: string, mode: 'items' | 'recovered'): number | undefined {
  if (!existsSync('/usr/bin/evtxexport')) return undefined;
  const r = spawnSync('/usr/bin/evtxexport', ['-m', mode, '-f', 'xml', path], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return (r.stdout.match(/<Event xmlns=/g) ?? []).length;
}

test('a damaged file header (version byte flipped, CRC wrong) over intact chunks: every record read, one line', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const b = readFileSync(join(shared, LM_5145));
  const base = await readAll(write('base.evtx', b));
  const c = Buffer.from(b);
  c[38] ^= 1; // major version 3 -> 2; the header CRC no longer matches
  const r = await readAll(write('version.evtx', c));
  assert.deepEqual(headerIds(r.records), headerIds(base.records));
  assert.equal(r.records.length, 869);
  assert.deepEqual(r.problems.map((p) => p.reason), ['bad-header-checksum']);
  assert.match(r.problems[0].message, /damaged .*version 2\.1.*reading every chunk/);
  const ee = evtxexportCount(join(dir, 'version.evtx'), 'items');
  if (ee !== undefined) t.diagnostic(`evtxexport reads ${ee} records of the damaged-header file`);
});

test('a stale chunk header (free-space offset too early, CRC valid): records past it read and named', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const b = readFileSync(join(shared, LM_5145));
  const base = await readAll(write('base2.evtx', b));
  const c0 = base.records.filter((r) => at(r).offset < chunkAt(1));
  const n = c0.length;
  const K = 10;
  // The header as it was K records earlier: free space at record n-K, last record n-K-1.
  const c = Buffer.from(b);
  const h = chunkAt(0);
  const free = at(c0[n - K]).offset - h;
  c.writeBigUInt64LE(c.readBigUInt64LE(h + 16) - BigInt(K), h + 16);
  c.writeBigUInt64LE(c.readBigUInt64LE(h + 32) - BigInt(K), h + 32);
  c.writeUInt32LE(at(c0[n - K - 1]).offset - h, h + 44);
  c.writeUInt32LE(free, h + 48);
  fixChunkChecksums(c, h);
  const path = write('stale.evtx', c);
  const r = await readAll(path);
  assert.deepEqual(headerIds(r.records), headerIds(base.records), 'no record dropped');
  assert.deepEqual(r.problems.map((p) => p.reason), ['stale-chunk-header']);
  const first = at(c0[n - K]).id;
  assert.match(r.problems[0].message, new RegExp(`${K} records past its free-space offset read \\(record ids ${first}-${first + K - 1}\\)`));
  assert.equal(r.problems[0].where, `chunk 0 at offset 0x1000, offset 0x${(h + free).toString(16)}`);
  const ee = evtxexportCount(path, 'items');
  if (ee !== undefined) t.diagnostic(`evtxexport: ${ee} records, ${evtxexportCount(path, 'recovered')} recovered; detectory: ${r.records.length} live`);
});

test('a damaged chunk header: slack copies of records never come out as duplicate events', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  // 530 records; its chunk slack holds 44 copies of records that are live in the chunk before.
  const b = readFileSync(join(shared, `${SAMPLES}/Privilege Escalation/Sysmon_UACME_64.evtx`));
  const base = await readAll(write('uacme.evtx', b));
  assert.equal(base.records.length, 530);
  const chunks = Math.floor((b.length - FILE_HEADER_SIZE) / CHUNK_SIZE);
  let checked = 0;
  const notices: string[] = [];
  for (let i = 0; i < chunks; i++) {
    const c = Buffer.from(b);
    if (c.toString('latin1', chunkAt(i), chunkAt(i) + 7) !== 'ElfChnk') continue;
    c[chunkAt(i) + 60] ^= 0xff; // inside the header: its CRC no longer matches
    for (const recover of [false, true]) {
      const r = await readAll(write(`uacme-${i}.evtx`, c), { recover });
      const ids = r.records.map((x) => x.recordId);
      assert.equal(r.records.length, 530, `chunk ${i} damaged (recover ${recover}): ${r.records.length} events for 530 records`);
      assert.equal(new Set(ids).size, 530, 'each record once');
      assert.deepEqual(ids, base.records.map((x) => x.recordId));
      assert.deepEqual(r.problems.map((p) => p.reason), ['bad-chunk-checksum']);
      notices.push(r.notices.map((p) => p.message).join(' | '));
    }
    checked++;
  }
  assert.ok(checked >= 10, `${checked} chunks checked`);
  // The leftovers are named apart: the same 44 copies, whichever chunk header is damaged.
  for (const n of notices) assert.match(n, /^44 leftover records in chunk slack: 44 copies of live records \(dropped\), 0 deleted records$/);
  assert.match(base.notices[0].message, /^44 leftover records in chunk slack: 44 copies of live records \(dropped\), 0 deleted records$/);
});

test('a name reference outside the chunk: the record is kept with what decodes, marked partial', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const b = readFileSync(join(shared, LM_5145));
  const base = await readAll(write('base3.evtx', b));
  const c = Buffer.from(b);
  const h = chunkAt(0);
  // The first "Data" name of chunk 0 (link 4, hash 2, count 4, "Data", NUL), then the first element
  // that refers to it by offset: point that reference outside the chunk.
  const name = Buffer.concat([Buffer.from([4, 0]), Buffer.from('Data\0', 'utf16le')]);
  const nameAt = c.indexOf(name, h + 512) - 6;
  assert.ok(nameAt > h);
  const rel = nameAt - h;
  let ref = -1;
  for (let p = nameAt + 8; p < h + CHUNK_SIZE - 4; p++) {
    // An element start with attributes: token 0x41, dependency id (2), data size (4), name offset (4).
    if (c.readUInt32LE(p) === rel && p - h !== rel - 4 && c[p - 7] === 0x41) {
      ref = p;
      break;
    }
  }
  assert.ok(ref > 0, 'a reference to the Data name');
  c.writeUInt32LE(0x00fffff0, ref);
  fixChunkChecksums(c, h);
  const path = write('name-outside.evtx', c);
  const r = await readAll(path);
  assert.deepEqual(headerIds(r.records), headerIds(base.records), 'no record dropped');
  const partial = r.records.filter((x) => x.partial);
  assert.ok(partial.length > 0);
  assert.deepEqual([...new Set(r.problems.map((p) => p.reason))], ['partial-record']);
  assert.equal(r.problems.length, partial.length);
  assert.match(r.problems[0].message, /read in part \(marked partial\): name offset 16777200 is outside the chunk/);
  const byId = new Map(base.records.map((x) => [x.recordId, x]));
  for (const p of partial) {
    assert.deepEqual(p.event.System, byId.get(p.recordId)!.event.System, 'the System part is whole');
    assert.ok(JSON.stringify(p.event.EventData).includes('#unknown-name'), 'the unreadable name is marked');
  }
  const ee = evtxexportCount(path, 'items');
  if (ee !== undefined) t.diagnostic(`${partial.length} records partial; evtxexport prints ${ee} of ${base.records.length}`);
});

test('recover: deleted records carved from chunk slack, marked recovered, after the live ones; counts as libevtx', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const path = join(shared, `${SAMPLES}/Lateral Movement/LM_wmiexec_impacket_sysmon_whoami.evtx`);
  const plain = await readAll(path);
  assert.equal(plain.records.length, 7);
  assert.ok(plain.records.every((x) => !x.recovered));
  // Its slack holds six older records (9808-9813) whose header identifiers (5-10) collide with live
  // ones (1-7, renumbered on export): they are told apart by their written time, not copies.
  assert.deepEqual(plain.notices.map((p) => p.message), ['6 leftover records in chunk slack: 0 copies of live records (dropped), 6 deleted records not read (--recover reads them)']);
  const rec = await readAll(path, { recover: true });
  assert.deepEqual(rec.records.slice(0, 7), plain.records, 'live records first, unchanged');
  const carved = rec.records.slice(7);
  // 9808, 9809 and 9812 refer to (nested) templates that now lie past the chunk's data: their
  // System part decodes, they come out marked partial.
  assert.deepEqual(carved.map((x) => [x.recordId, x.recovered, x.partial ?? false]), [
    [9808, true, true], [9809, true, true], [9810, true, false], [9811, true, false], [9812, true, true], [9813, true, false],
  ]);
  for (const x of carved) assert.equal((x.event.System as Record<string, unknown>).EventRecordID, x.recordId);
  assert.deepEqual(rec.problems, []);
  assert.match(rec.notices[0].message, /6 deleted records, emitted marked recovered: 3 whole, 3 in part \(marked partial\), 0 not decodable \(first: record 5: template definition at chunk offset 0x247b runs past the chunk/);
  // libevtx: evtxinfo counts 6 recovered records; evtxexport -m recovered prints the ones it can
  // decode, copies of live records included.
  if (existsSync('/usr/bin/evtxexport')) {
    const out = spawnSync('/usr/bin/evtxexport', ['-m', 'recovered', '-f', 'xml', path], { encoding: 'utf8' }).stdout;
    const theirs = [...out.matchAll(/<EventRecordID>(\d+)<\/EventRecordID>/g)].map((m) => Number(m[1]));
    const live = new Set(plain.records.map((x) => x.recordId));
    const mine = new Set(carved.map((x) => x.recordId));
    for (const id of theirs) assert.ok(live.has(id) || mine.has(id), `evtxexport recovers ${id}: live or recovered here too`);
    const info = spawnSync('/usr/bin/evtxinfo', [path], { encoding: 'utf8' }).stdout;
    assert.match(info, /Number of recovered records\s*:\s*6\b/);
  }
});

test('events and scan --recover: recovered records say so; without it they are counted, not emitted', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const path = join(shared, `${SAMPLES}/Lateral Movement/LM_wmiexec_impacket_sysmon_whoami.evtx`);
  const plain = cli(['events', path]);
  assert.equal(plain.status, 0);
  assert.equal(plain.stdout.trim().split('\n').length, 7);
  assert.match(plain.stderr, /6 deleted records not read \(--recover reads them\)/);
  const r = cli(['events', path, '--recover']);
  assert.equal(r.status, 0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 13);
  assert.deepEqual(lines.map((l) => l.recovered === true), [...Array(7).fill(false), ...Array(6).fill(true)]);
  assert.deepEqual(lines.map((l) => l.partial === true), [...Array(7).fill(false), true, true, false, false, true, false]);
  // A rule over Sysmon network connections (EventID 3): records 9811 and 9813 are deleted ones.
  const rulePath = join(dir, 'sysmon3.yml');
  writeFileSync(rulePath, 'title: any sysmon 3\nid: 44444444-4444-4444-4444-444444444444\nlogsource:\n  product: windows\n  category: network_connection\ndetection:\n  s:\n    EventID: 3\n  condition: s\nlevel: low\n');
  const live = cli(['scan', path, '--rules', rulePath, '--format', 'jsonl']);
  const withRecover = cli(['scan', path, '--rules', rulePath, '--format', 'jsonl', '--recover']);
  assert.equal(withRecover.status, 0, withRecover.stderr);
  const alerts = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: { record_id: number; recovered?: boolean } });
  const a0 = alerts(live.stdout);
  const a1 = alerts(withRecover.stdout);
  assert.ok(a0.every((a) => a.event.recovered === undefined));
  const recovered = a1.filter((a) => a.event.recovered === true).map((a) => a.event.record_id);
  assert.deepEqual(recovered, [9811, 9813]);
  assert.equal(a1.length, a0.length + 2);
  // csv and table say it too.
  const csv = cli(['scan', path, '--rules', rulePath, '--format', 'csv', '--recover']).stdout.trim().split('\n');
  assert.match(csv[0], /,recovered$/);
  assert.equal(csv.filter((l) => l.endsWith(',true')).length, 2);
  const table = cli(['scan', path, '--rules', rulePath, '--format', 'table', '--recover']).stdout;
  assert.equal((table.match(/\(recovered\)/g) ?? []).length, 2);
});

test('a file cut inside its 4 KiB header is unreadable input: one line, exit 3', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const b = readFileSync(join(shared, LM_5145));
  const path = write('cut-in-header.evtx', b.subarray(0, 2000));
  const ev = cli(['events', path]);
  assert.equal(ev.status, 3);
  assert.equal(ev.stderr.split('\n').filter((l) => l.includes('cut-in-header.evtx')).length, 1);
  assert.match(ev.stderr, /file ends inside its 4096-byte header \(2000 bytes\)/);
  const sc = cli(['scan', path, '--format', 'jsonl']);
  assert.equal(sc.status, 3);
  const r = await readAll(path);
  assert.deepEqual(r.problems.map((p) => p.reason), ['truncated-header']);
});

test('a chunk range (one file split across threads) still tells copies in its first chunk from deleted records', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  // Chunk 9's slack holds copies of 19 records that are live in chunk 8.
  const path = join(shared, LM_5145);
  const whole = await readAll(path);
  assert.deepEqual(whole.notices.map((p) => p.message), ['19 leftover records in chunk slack: 19 copies of live records (dropped), 0 deleted records']);
  const range = await readAll(path, { chunkRange: { first: 9, count: 7 }, recover: true });
  assert.ok(range.records.every((r) => !r.recovered));
  assert.deepEqual(range.notices.map((p) => p.message), ['19 leftover records in chunk slack: 19 copies of live records (dropped), 0 deleted records']);
});
