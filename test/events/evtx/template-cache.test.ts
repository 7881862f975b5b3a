/**
 * Template definitions shared across chunks (template-cache.ts): reused only when the definition
 * is provably the same. Hand-built chunks: one record, one template instance whose definition is
 * <Event><NAME>%1</NAME></Event>, NAME stored inline or referenced at a fixed chunk offset.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newChunkContext } from '../../../src/events/evtx/binxml.js';
import { nameHash } from '../../../src/events/evtx/name.js';
import { decodeRecord } from '../../../src/events/evtx/record.js';
import { clearShared, sharedCount } from '../../../src/events/evtx/template-cache.js';

const RECORD_AT = 0x200;
/** Where a name outside the definition is stored (a referenced, not inline, name). */
const NAME_AT = 0x100;

class Writer {
  constructor(readonly b: Buffer, public pos: number) {}
  u8(...v: number[]): void {
    for (const x of v) this.b[this.pos++] = x;
  }
  u16(v: number): void {
    this.b.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.b.writeUInt32LE(v, this.pos);
    this.pos += 4;
  }
  /** A name structure: link, hash, count, UTF-16 characters, NUL. */
  name(s: string): void {
    const chars = Buffer.from(s, 'utf16le');
    this.u32(0);
    this.u16(nameHash(chars, 0, s.length));
    this.u16(s.length);
    chars.copy(this.b, this.pos);
    this.pos += chars.length;
    this.u16(0);
  }
  /** Element start with its name inline (or referenced at `ref`), then the end of the start tag. */
  element(name: string, ref?: number): void {
    this.u8(0x01);
    this.u16(0); // dependency identifier
    this.u32(0); // data size (not read)
    if (ref === undefined) {
      this.u32(this.pos + 4);
      this.name(name);
    } else {
      this.u32(ref);
    }
    this.u8(0x02);
  }
}

/**
 * A chunk holding one record whose template (GUID starting with `templateId`) is
 * <Event><inner>%1</inner></Event>, the inner name inline, or referenced at NAME_AT where
 * `storedName` is written. Returns the chunk and the record's size.
 */
function chunk(opts: { templateId: number; inner: string; referenced?: boolean; storedName?: string; value: string }): { buf: Buffer; size: number } {
  const buf = Buffer.alloc(65536);
  if (opts.storedName) new Writer(buf, NAME_AT).name(opts.storedName);
  const w = new Writer(buf, RECORD_AT + 24);
  w.u8(0x0f, 0x01, 0x01, 0x00);
  w.u8(0x0c, 0x01);
  w.u32(opts.templateId);
  w.u32(w.pos + 4); // the definition follows inline
  w.u32(0); // link to the next definition
  w.u32(opts.templateId); // GUID: its first four bytes are the template identifier
  w.u32(0x11111111);
  w.u32(0x22222222);
  w.u32(0x33333333);
  const sizeAt = w.pos;
  w.u32(0);
  const fragment = w.pos;
  w.u8(0x0f, 0x01, 0x01, 0x00);
  w.element('Event');
  w.element(opts.inner, opts.referenced ? NAME_AT : undefined);
  w.u8(0x0d);
  w.u16(0);
  w.u8(0x01);
  w.u8(0x04, 0x04, 0x00);
  buf.writeUInt32LE(w.pos - fragment, sizeAt);
  const value = Buffer.from(opts.value, 'utf16le');
  w.u32(1);
  w.u16(value.length);
  w.u8(0x01, 0x00);
  value.copy(buf, w.pos);
  w.pos += value.length;
  w.u8(0x00);
  const size = w.pos + 4 - RECORD_AT;
  w.u32(size);
  const h = new Writer(buf, RECORD_AT);
  h.u8(0x2a, 0x2a, 0, 0);
  h.u32(size);
  h.u32(1);
  h.u32(0);
  return { buf, size };
}

function decode(c: { buf: Buffer; size: number }): Record<string, unknown> {
  const ctx = newChunkContext(c.buf, 0, c.buf.length);
  return decodeRecord(ctx, RECORD_AT, c.size, 'test.evtx').event;
}

test('a definition seen in an earlier chunk (same offset, same bytes) is reused, and decodes the same', () => {
  clearShared();
  assert.deepEqual(decode(chunk({ templateId: 7, inner: 'Image', value: 'a.exe' })), { Image: 'a.exe' });
  assert.equal(sharedCount(), 1);
  assert.deepEqual(decode(chunk({ templateId: 7, inner: 'Image', value: 'b.exe' })), { Image: 'b.exe' });
  assert.equal(sharedCount(), 1, 'the second chunk reused the first definition');
});

test('a forged template GUID with other definition bytes does not reuse the cached definition', () => {
  clearShared();
  assert.deepEqual(decode(chunk({ templateId: 7, inner: 'Image', value: 'a.exe' })), { Image: 'a.exe' });
  // Same offset, same GUID and identifier, another element name (same length, so the same size).
  assert.deepEqual(decode(chunk({ templateId: 7, inner: 'Imagf', value: 'a.exe' })), { Imagf: 'a.exe' });
  assert.equal(sharedCount(), 2);
});

test('a definition whose bytes are equal but whose referenced name reads otherwise in this chunk is decoded again', () => {
  clearShared();
  const first = chunk({ templateId: 9, inner: '', referenced: true, storedName: 'User', value: 'alice' });
  const second = chunk({ templateId: 9, inner: '', referenced: true, storedName: 'Host', value: 'alice' });
  assert.deepEqual(decode(first), { User: 'alice' });
  assert.deepEqual(decode(second), { Host: 'alice' });
  // The same referenced name again: reused.
  assert.deepEqual(decode(chunk({ templateId: 9, inner: '', referenced: true, storedName: 'Host', value: 'bob' })), { Host: 'bob' });
  assert.equal(sharedCount(), 2);
});

test('string values are compared with the previous instance of their template: a repeat, a change late in the value, lone surrogates and trailing NULs decode as a fresh read does', () => {
  clearShared();
  // [stored, decoded]: each record through one definition shared by every chunk (the same template nodes).
  const cases: Array<[string, string]> = [
    ['C:\\Windows\\a.exe', 'C:\\Windows\\a.exe'],
    ['C:\\Windows\\a.exe', 'C:\\Windows\\a.exe'],
    ['C:\\Windows\\b.exe', 'C:\\Windows\\b.exe'],
    ['C:\\Windows\\b.ex', 'C:\\Windows\\b.ex'],
    ['C:\\Windows\\b.ex\0\0', 'C:\\Windows\\b.ex'],
    ['C:\\Windows\\b.ex\0x', 'C:\\Windows\\b.ex\0x'],
    ['\ud800x', '\ufffdx'],
    ['\ufffdx', '\ufffdx'],
    ['\ud800x', '\ufffdx'],
    ['\ud83d\ude00', '\ud83d\ude00'],
    ['\ud83d\ude00', '\ud83d\ude00'],
    ['', ''],
    ['a', 'a'],
  ];
  for (const [i, [stored, decoded]] of cases.entries()) {
    assert.deepEqual(decode(chunk({ templateId: 11, inner: 'Image', value: stored })), { Image: decoded }, `record ${i}: ${JSON.stringify(stored)}`);
  }
  assert.equal(sharedCount(), 1, 'one definition served every record');
});
