/** Value types and the JSON rendering rules, on hand-made bytes and trees (no shared data needed). */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { XElement, XInstance, XNode } from '../../../src/events/evtx/nodes.js';
import { renderRecord } from '../../../src/events/evtx/render.js';
import { filetimeFull, filetimeJson, systemtimeJson } from '../../../src/events/evtx/time.js';
import { decodeValue } from '../../../src/events/evtx/values.js';
import { crc32 } from '../../../src/events/evtx/crc32.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
function le64(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
}

test('FILETIME: 100 ns in timestamps, microseconds (truncated) in the JSON like evtx_dump', () => {
  // 2019-08-14T14:06:44.4956748Z
  const ft = (BigInt(Date.UTC(2019, 7, 14, 14, 6, 44)) * 10000n + 4956748n) + 116444736000000000n;
  const b = le64(ft);
  assert.equal(filetimeFull(b, 0), '2019-08-14T14:06:44.4956748Z');
  assert.equal(filetimeJson(b, 0), '2019-08-14T14:06:44.495674Z');
  assert.equal(filetimeFull(le64(0n), 0), '1601-01-01T00:00:00.0000000Z');
  const st = bytes(0xe3, 0x07, 3, 0, 2, 0, 19, 0, 13, 0, 5, 0, 42, 0, 0x7b, 0);
  assert.equal(systemtimeJson(st, 0), '2019-03-19T13:05:42.123Z');
});

test('integers, hex, floats, booleans, GUID, SID, binary, strings and arrays', () => {
  assert.equal(decodeValue(bytes(0xff), 0, 1, 0x03), -1);
  assert.equal(decodeValue(bytes(0xff), 0, 1, 0x04), 255);
  assert.equal(decodeValue(bytes(0xfe, 0xff), 0, 2, 0x05), -2);
  assert.equal(decodeValue(bytes(0xff, 0xff, 0xff, 0xff), 0, 4, 0x07), -1);
  assert.equal(decodeValue(bytes(0xff, 0xff, 0xff, 0xff), 0, 4, 0x08), 4294967295);
  assert.equal(decodeValue(le64(18446744073709551615n), 0, 8, 0x0a), '18446744073709551615', 'u64 beyond 2^53 keeps every digit');
  assert.equal(decodeValue(le64(12345n), 0, 8, 0x0a), 12345);
  assert.equal(decodeValue(le64(18446744073709551615n), 0, 8, 0x09), -1);
  assert.equal(decodeValue(le64(0x342ban), 0, 8, 0x15), '0x342ba');
  assert.equal(decodeValue(le64(0x8000000000000000n), 0, 8, 0x15), '0x8000000000000000');
  // The last 64-bit hex value is remembered (values.ts): values differing in either half, in turn.
  for (const v of [0x8020000000000000n, 0x8020000000000000n, 0x8020000000000001n, 0x8020000000000000n, 0x4020000000000000n, 0x20000000000000n, 0n, 0n, 0x100000000n]) {
    assert.equal(decodeValue(le64(v), 0, 8, 0x15), '0x' + v.toString(16));
  }
  assert.equal(decodeValue(bytes(0xc8, 0x14, 0, 0), 0, 4, 0x14), '0x14c8');
  assert.equal(decodeValue(bytes(0, 0, 0xc0, 0x7f), 0, 4, 0x0b), 'NaN');
  assert.equal(decodeValue(bytes(0, 0, 0xc0, 0x3f), 0, 4, 0x0b), 1.5);
  assert.equal(decodeValue(bytes(1, 0, 0, 0), 0, 4, 0x0d), true);
  assert.equal(decodeValue(bytes(0, 0, 0, 0), 0, 4, 0x0d), false);
  const guid = bytes(0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9);
  assert.equal(decodeValue(guid, 0, 16, 0x0f), '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}', 'GUIDs in braces, as Windows writes them');
  const sid = bytes(1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0);
  assert.equal(decodeValue(sid, 0, 12, 0x13), 'S-1-5-18');
  assert.equal(decodeValue(bytes(0xde, 0xad), 0, 2, 0x0e), 'DEAD');
  const s = Buffer.from('abc\0', 'utf16le');
  assert.equal(decodeValue(s, 0, s.length, 0x01), 'abc', 'trailing NUL dropped');
  const arr = Buffer.from('a\0bc\0', 'utf16le');
  assert.deepEqual(decodeValue(arr, 0, arr.length, 0x81), ['a', 'bc']);
  assert.deepEqual(decodeValue(bytes(1, 0, 2, 0), 0, 4, 0x86), [1, 2]);
  assert.equal(decodeValue(Buffer.from('hi\0', 'latin1'), 0, 3, 0x02), 'hi');
  assert.equal(decodeValue(bytes(1, 2), 0, 2, 0x08), undefined, 'too short for the type');
});

test('CRC-32 (RFC 1952)', () => {
  assert.equal(crc32(Buffer.from('123456789'), 0, 9), 0xcbf43926);
  // Ranges chain (the chunk header checksum covers two ranges), inside a larger buffer, and may be empty.
  const b = Buffer.from('xx123456789yy');
  assert.equal(crc32(b, 6, 11, crc32(b, 2, 6)), 0xcbf43926);
  assert.equal(crc32(b, 5, 5, 0xcbf43926), 0xcbf43926);
  assert.equal(crc32(b, 0, 0), 0);
});

const el = (name: string, children: XNode[] = [], attrs: XElement['attrs'] = null): XElement => ({ k: 0, name, attrs, children });
const sub = (index: number, type: number) => ({ k: 1 as const, index, type, optional: false });

test('rendering: Data Name as key, unnamed Data, empty elements, attributes, duplicates, typed text, strings as stored', () => {
  const vals = [4688, '0x10', null, 'x  ', 'y'];
  const inst: XInstance = { k: 2, nodes: [], vals, types: Uint8Array.from([0x06, 0x14, 0x00, 0x01, 0x01]), offs: new Int32Array(5) };
  inst.nodes = [
    el('Event', [
      el('System', [el('EventID', [sub(0, 0x06)]), el('Correlation', [], [{ name: 'ActivityID', parts: [sub(2, 0)] }]), el('Keywords', [sub(1, 0x14)])]),
      el('EventData', [
        el('Data', [sub(3, 1)], [{ name: 'Name', parts: ['A'] }]),
        el('Data', [sub(4, 1)]),
        el('Data', ['z']),
        el('Data', [], [{ name: 'Name', parts: ['Empty'] }]),
        el('Binary'),
        el('Item', ['1']),
        el('Item', ['2']),
      ]),
    ], [{ name: 'xmlns', parts: ['http://schemas.microsoft.com/win/2004/08/events/event'] }]),
  ];
  const out = renderRecord([inst], { buf: new Uint8Array(0) });
  assert.deepEqual(out, {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: { EventID: 4688, Correlation: null, Keywords: '0x10' },
      EventData: { A: 'x  ', Empty: null, Binary: null, Item_1: '1', Item: '2', Data: { '#text': ['y', 'z'] } },
    },
  });
});

test('rendering is bounded: templates nesting instances cannot expand exponentially', () => {
  // Level k holds two instances of level k-1: 2^40 leaves if rendered naively.
  let nodes: XNode[] = [el('Leaf', ['x'])];
  for (let k = 0; k < 40; k++) {
    const inst: XInstance = { k: 2, nodes, vals: [], types: new Uint8Array(0), offs: new Int32Array(0) };
    nodes = [inst, inst];
  }
  assert.throws(() => renderRecord([el('Event', nodes)], { buf: new Uint8Array(0) }), (e: Error & { reason?: string }) => e.reason === 'too-large');
});

test('thousands of same-named siblings keep the suffix rule (_1, _2, ..., skipping names the record has) in linear time', () => {
  // A literal Leaf_3 sibling comes first: the repeats skip it, as the one-by-one search did. 20,000
  // siblings took minutes when each repeat searched its suffix from 1 (a hostile record's cost).
  const kids: XNode[] = [el('Leaf_3', ['literal'])];
  for (let i = 0; i < 20_000; i++) kids.push(el('Leaf', [String(i)]));
  const out = renderRecord([el('Event', kids)], { buf: new Uint8Array(0) }) as { Event: Record<string, unknown> };
  const ev = out.Event;
  assert.equal(ev.Leaf_3, 'literal');
  assert.equal(ev.Leaf, '19999');
  assert.equal(ev.Leaf_1, '0');
  assert.equal(ev.Leaf_2, '1');
  assert.equal(ev.Leaf_4, '2');
  assert.equal(ev.Leaf_20000, '19998');
  assert.equal(Object.keys(ev).length, 20_001);
});

test('GUIDs and binary values at any offset, one after another (scratch buffers are not shared between values)', () => {
  const all = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 255);
  const hexOf = (from: number, n: number) => [...all.subarray(from, from + n)].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join('');
  assert.equal(decodeValue(all, 7, 256, 0x0e), hexOf(7, 256));
  assert.equal(decodeValue(all, 0, 0, 0x0e), '');
  const guidOf = (p: number) => {
    const h = hexOf(p, 16);
    const sw = (s: string) => s.match(/../g)!.reverse().join('');
    return `{${sw(h.slice(0, 8))}-${sw(h.slice(8, 12))}-${sw(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20)}}`;
  };
  const a = decodeValue(all, 3, 16, 0x0f);
  const b = decodeValue(all, 101, 16, 0x0f);
  assert.equal(a, guidOf(3));
  assert.equal(b, guidOf(101));
  assert.notEqual(a, b);
  assert.deepEqual(decodeValue(all, 40, 32, 0x8f), [guidOf(40), guidOf(56)], 'GUID arrays');
});

test('GUID texts remembered by their bytes (values.ts): repeats, slot collisions and GUIDs one bit apart each read as their own', () => {
  const ref = (b: Uint8Array) => {
    const h = [...b].map((x) => x.toString(16).padStart(2, '0').toUpperCase());
    return `{${h[3]}${h[2]}${h[1]}${h[0]}-${h[5]}${h[4]}-${h[7]}${h[6]}-${h[8]}${h[9]}-${h.slice(10).join('')}}`;
  };
  // 4,000 GUIDs (far more than the slots), each read again at once and after the others; some one bit
  // from another (the same slot when the hash bits agree, never the same text).
  const guids: Uint8Array[] = [];
  let x = 12345;
  for (let i = 0; i < 4000; i++) {
    const g = new Uint8Array(16);
    for (let j = 0; j < 16; j++) g[j] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    guids.push(g);
    if (i % 7 === 0) {
      const near = Uint8Array.from(g);
      near[i % 16] ^= 1 << (i % 8);
      guids.push(near);
    }
  }
  for (let round = 0; round < 2; round++) {
    for (const g of guids) {
      assert.equal(decodeValue(g, 0, 16, 0x0f), ref(g));
      assert.equal(decodeValue(g, 0, 16, 0x0f), ref(g));
    }
  }
  // GUIDs that differ from one other in one 4-byte word only, read in turn: hundreds per word, so
  // that some share the other's slot (whichever hash picks it), where only that word tells them apart.
  const base = guids[0];
  for (let word = 0; word < 4; word++) {
    for (let v = 1; v <= 600; v++) {
      const g = Uint8Array.from(base);
      const dv = new DataView(g.buffer);
      dv.setUint32(word * 4, (dv.getUint32(word * 4, true) + v * 2654435761) >>> 0, true);
      assert.equal(decodeValue(base, 0, 16, 0x0f), ref(base));
      assert.equal(decodeValue(g, 0, 16, 0x0f), ref(g), `word ${word}, variant ${v}`);
    }
  }
  // The same bytes at another offset of another buffer: the same text.
  const wide = new Uint8Array(40);
  wide.set(guids[5], 13);
  assert.equal(decodeValue(wide, 13, 16, 0x0f), ref(guids[5]));
});

test('FILETIME texts from the remembered second (time.ts): every read gives its own fraction and second', () => {
  const at = (ms: number, ticks: bigint) => le64(BigInt(ms) * 10000n + ticks + 116444736000000000n);
  const s0 = Date.UTC(2024, 1, 29, 23, 59, 59);
  const a = at(s0, 1n);
  const b = at(s0, 9999999n);
  const c = at(s0 + 1000, 0n);
  assert.equal(filetimeFull(a, 0), '2024-02-29T23:59:59.0000001Z');
  assert.equal(filetimeJson(b, 0), '2024-02-29T23:59:59.999999Z');
  assert.equal(filetimeFull(b, 0), '2024-02-29T23:59:59.9999999Z');
  assert.equal(filetimeFull(c, 0), '2024-03-01T00:00:00.0000000Z');
  assert.equal(filetimeJson(a, 0), '2024-02-29T23:59:59.000000Z');
  assert.equal(filetimeJson(c, 0), '2024-03-01T00:00:00.000000Z');
});
