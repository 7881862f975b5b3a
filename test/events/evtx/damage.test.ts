/**
 * Damaged input: truncated files, bad header and chunk checksums, zero-filled chunks, garbage in
 * the middle of a chunk, records cut at the chunk end, dirty logs, files that are not EVTX. The
 * reader recovers every intact record, reports what it skipped and never throws. Fixtures are made
 * at test time in a temp dir from a small sample file.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from '../../../src/events/evtx/index.js';
import { crc32 } from '../../../src/events/evtx/crc32.js';
import type { EventRecord } from '../../../src/events/types.js';
import { requireShared } from '../../helpers/shared.js';
import { readAll } from './read-all.js';

const dir = mkdtempSync(join(tmpdir(), 'detectory-evtx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A multi-chunk sample from the shared corpus. */
const SAMPLE = 'evtx/EVTX-ATTACK-SAMPLES/Lateral Movement/LM_5145_Remote_FileCopy.evtx';

function write(name: string, b: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, b);
  return p;
}

function ids(rs: EventRecord[]): number[] {
  return rs.map((r) => r.recordId!);
}

function load(shared: string): Buffer {
  const b = readFileSync(join(shared, SAMPLE));
  assert.ok(b.length >= FILE_HEADER_SIZE + 2 * CHUNK_SIZE, 'sample must have at least two chunks');
  return b;
}

function recordOffset(r: EventRecord): number {
  return parseInt(/offset 0x([0-9a-f]+)/.exec(r.where!)![1], 16);
}

function chunkRecordIds(all: EventRecord[], chunk: number): number[] {
  const lo = FILE_HEADER_SIZE + chunk * CHUNK_SIZE;
  return all.filter((r) => recordOffset(r) >= lo && recordOffset(r) < lo + CHUNK_SIZE).map((r) => r.recordId!);
}

test('not an EVTX file, unsupported version, unreadable path: one problem each, no records', async () => {
  const txt = write('notes.evtx', Buffer.from('hello, this is not an event log\n'));
  let r = await readAll(txt);
  assert.equal(r.records.length, 0);
  assert.deepEqual(r.problems.map((p) => p.reason), ['not-evtx']);
  const empty = write('empty.evtx', new Uint8Array(0));
  r = await readAll(empty);
  assert.deepEqual(r.problems.map((p) => p.reason), ['not-evtx']);
  const v = Buffer.alloc(FILE_HEADER_SIZE);
  v.write('ElfFile\0', 0, 'latin1');
  v.writeUInt16LE(2, 38);
  r = await readAll(write('v2.evtx', v));
  assert.deepEqual(r.problems.map((p) => p.reason), ['unsupported-version']);
  r = await readAll(join(dir, 'does-not-exist.evtx'));
  assert.deepEqual(r.problems.map((p) => p.reason), ['unreadable']);
});

test('bad file header checksum and dirty flag: all records still read, checksum reported', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const b = load(shared);
  const base = await readAll(write('base.evtx', b));
  assert.deepEqual(base.problems, []);
  const c = Buffer.from(b);
  c.writeUInt32LE(c.readUInt32LE(120) | 1, 120); // dirty, checksum now stale
  c.writeUInt16LE(1, 42); // header claims one chunk only (dirty logs undercount)
  const r = await readAll(write('dirty.evtx', c));
  assert.deepEqual(ids(r.records), ids(base.records));
  assert.deepEqual(r.problems.map((p) => p.reason), ['bad-header-checksum']);
  // With a correct checksum, a dirty header is no problem at all.
  c.writeUInt32LE(crc32(c, 0, 120), 124);
  const r2 = await readAll(write('dirty-ok.evtx', c));
  assert.deepEqual(r2.problems, []);
  assert.equal(r2.records.length, base.records.length);
});

test('truncated file: records of the complete chunks and the intact part of the cut chunk', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const b = load(shared);
  const base = await readAll(write('base2.evtx', b));
  const cut = FILE_HEADER_SIZE + CHUNK_SIZE + 20000;
  const r = await readAll(write('cut.evtx', b.subarray(0, cut)));
  const firstChunk = chunkRecordIds(base.records, 0);
  const expectedIntact = base.records.filter((x) => recordOffset(x) + 1 < cut);
  assert.ok(r.records.length > firstChunk.length, 'records of the cut chunk are recovered');
  assert.ok(r.records.length >= expectedIntact.length - 1 && r.records.length <= expectedIntact.length);
  assert.deepEqual(ids(r.records), ids(base.records).slice(0, r.records.length));
  const reasons = r.problems.map((p) => p.reason);
  assert.ok(reasons.includes('truncated-chunk'), reasons.join());
  for (const p of r.problems) assert.match(p.where ?? '', /^chunk 1 at offset 0x11000/);
  // Cut inside the file header.
  const h = await readAll(write('cut-header.evtx', b.subarray(0, 100)));
  assert.deepEqual(h.problems.map((p) => p.reason), ['truncated-header']);
});

test('bad chunk checksums, zero-filled chunk, garbage in a chunk: intact records recovered, damage reported', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const b = load(shared);
  const base = await readAll(write('base3.evtx', b));
  const c0 = chunkRecordIds(base.records, 0);
  const c1 = chunkRecordIds(base.records, 1);

  // Header checksum of chunk 0 broken: every record still decodes.
  let c = Buffer.from(b);
  c[FILE_HEADER_SIZE + 60] ^= 0xff;
  let r = await readAll(write('chunk-crc.evtx', c));
  assert.deepEqual(ids(r.records), ids(base.records));
  assert.deepEqual(r.problems.map((p) => p.reason), ['bad-chunk-checksum']);
  assert.match(r.problems[0].where!, /^chunk 0 at offset 0x1000$/);

  // Chunk 0 zero-filled: chunk 1 intact.
  c = Buffer.from(b);
  c.fill(0, FILE_HEADER_SIZE, FILE_HEADER_SIZE + CHUNK_SIZE);
  r = await readAll(write('zero-chunk.evtx', c));
  assert.deepEqual(ids(r.records).slice(0, c1.length), c1);
  assert.deepEqual(r.problems.map((p) => p.reason), ['empty-chunk']);

  // Garbage over the middle of chunk 0's records: the records before and after are recovered.
  c = Buffer.from(b);
  const g0 = FILE_HEADER_SIZE + 20000;
  for (let i = 0; i < 3000; i++) c[g0 + i] = (i * 131 + 7) & 0xff;
  r = await readAll(write('garbage.evtx', c));
  const reasons = new Set(r.problems.map((p) => p.reason));
  assert.ok(reasons.has('bad-records-checksum') && reasons.has('bad-record'), [...reasons].join());
  const got = new Set(ids(r.records));
  const lostFromChunk0 = c0.filter((id) => !got.has(id));
  assert.ok(lostFromChunk0.length > 0 && lostFromChunk0.length < 10, `lost ${lostFromChunk0.length}`);
  for (const id of c1) assert.ok(got.has(id), `record ${id} of chunk 1 recovered`);
  for (const p of r.problems) assert.equal(p.file, join(dir, 'garbage.evtx'));
});

test('record cut at the chunk end (size runs past the chunk) is reported, the rest recovered', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const b = load(shared);
  const base = await readAll(write('base4.evtx', b));
  const c0 = chunkRecordIds(base.records, 0);
  const c = Buffer.from(b);
  // Make the last record of chunk 0 claim a size past the chunk end.
  const last = base.records.filter((x) => c0.includes(x.recordId!)).pop()!;
  const off = recordOffset(last);
  c.writeUInt32LE(CHUNK_SIZE, off + 4);
  const r = await readAll(write('cut-record.evtx', c));
  assert.deepEqual(ids(r.records), ids(base.records).filter((id) => id !== last.recordId));
  const bad = r.problems.filter((p) => p.reason === 'bad-record');
  assert.equal(bad.length, 1);
  assert.match(bad[0].message, /cut at chunk end/);
});

test('parallel decoding (2 worker threads) yields the same records in the same order', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const p = join(shared, SAMPLE);
  const one = await readAll(p, { threads: 1 });
  const two = await readAll(p, { threads: 2, batchChunks: 1 });
  assert.deepEqual(two.records, one.records);
  assert.deepEqual(two.problems, one.problems);
  assert.deepEqual(two.notices, one.notices);
  assert.equal(one.notices.length, 1, 'the leftovers in chunk slack are counted on both paths');
  const rec1 = await readAll(p, { threads: 1, recover: true });
  const rec2 = await readAll(p, { threads: 2, batchChunks: 1, recover: true });
  assert.deepEqual(rec2.records, rec1.records);
  assert.deepEqual(rec2.notices, rec1.notices);
  const { closeDecoderPool } = await import('../../../src/events/evtx/index.js');
  await closeDecoderPool();
});
