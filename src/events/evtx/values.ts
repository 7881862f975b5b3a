/**
 * BinXml value types (substitution values of a template instance): strings, ANSI strings, 8-64 bit
 * integers, hex integers, size_t, floats, booleans, binary, GUID, SID, FILETIME, SYSTEMTIME and
 * arrays of these, in evtx_dump's JSON shape (numbers stay numbers) with the text Windows writes for
 * each: GUIDs in braces, strings exactly as stored (only the terminating NULs removed).
 */

import { hex as hexNum, rdI32, rdU16, rdU32 } from './cursor.js';
import { filetimeJson, systemtimeJson } from './time.js';
import { utf16, utf16Value } from './utf16.js';

export const T_NULL = 0x00;
export const T_STRING = 0x01;
export const T_ANSI = 0x02;
export const T_FILETIME = 0x11;
export const T_BINXML = 0x21;
export const T_ARRAY = 0x80;

/** A decoded scalar or array value (BinXml values are handled by the token decoder). */
export type Scalar = string | number | boolean | null;
export type Value = Scalar | Scalar[];

const HEXCHARS = '0123456789ABCDEF';

const latin1 = new TextDecoder('latin1');

/** ASCII codes of the hex digits, upper case. */
const HEXCODES = Uint8Array.from(HEXCHARS, (c) => c.charCodeAt(0));
/** Byte order of a GUID's text: Data1-3 little-endian, Data4 as stored; -1 is a dash. */
const GUID_ORDER = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
const guidText = Buffer.alloc(38);

/**
 * GUIDs recur (a provider's on each of its events, a process's on each event it causes): the text of
 * the last GUID seen in each of GUID_SLOTS slots, chosen by a hash of its 16 bytes and kept with
 * them, is given again when the bytes are the same. The native slicing it spares cost more than the
 * lookup, and the same string object again makes the matcher's and the wire's comparisons with the
 * previous value (=== on the same string) immediate.
 */
const GUID_SLOTS = 256;
const guidBytes = new Int32Array(GUID_SLOTS * 4);
const guidTexts: string[] = new Array<string>(GUID_SLOTS).fill('');

/** A GUID in braces, upper case, as Windows, libevtx and python-evtx render it (and Sigma rules write it). */
export function guidAt(b: Uint8Array, p: number): string {
  const w0 = rdI32(b, p);
  const w1 = rdI32(b, p + 4);
  const w2 = rdI32(b, p + 8);
  const w3 = rdI32(b, p + 12);
  const slot = Math.imul(w0 ^ w1 ^ w2 ^ w3, 0x9e3779b1) >>> 24;
  const k = slot * 4;
  const known = guidTexts[slot];
  if (known !== '' && guidBytes[k] === w0 && guidBytes[k + 1] === w1 && guidBytes[k + 2] === w2 && guidBytes[k + 3] === w3) return known;
  const text = guidTextAt(b, p);
  guidBytes[k] = w0;
  guidBytes[k + 1] = w1;
  guidBytes[k + 2] = w2;
  guidBytes[k + 3] = w3;
  guidTexts[slot] = text;
  return text;
}

/**
 * The GUID's text, written as ASCII into a scratch buffer and sliced once: one flat string, where a
 * chain of concatenations would make a rope that every later read must flatten.
 */
function guidTextAt(b: Uint8Array, p: number): string {
  const t = guidText;
  t[0] = 0x7b;
  let q = 1;
  for (const i of GUID_ORDER) {
    if (i < 0) t[q++] = 0x2d;
    else {
      const x = b[p + i];
      t[q++] = HEXCODES[x >> 4];
      t[q++] = HEXCODES[x & 15];
    }
  }
  t[q] = 0x7d;
  return t.toString('latin1', 0, 38);
}

/** SID: revision, sub-authority count, 48-bit big-endian authority, 32-bit sub-authorities. Returns [text, bytes used]. */
export function sidAt(b: Uint8Array, p: number, size: number): [string, number] {
  if (size < 8) return ['', size];
  const rev = b[p];
  const n = b[p + 1];
  const used = Math.min(size, 8 + n * 4);
  let auth = 0;
  for (let i = 2; i < 8; i++) auth = auth * 256 + b[p + i];
  let s = `S-${rev}-${auth}`;
  for (let i = 0; i < n && 8 + i * 4 + 4 <= size; i++) s += '-' + rdU32(b, p + 8 + i * 4);
  return [s, used];
}

/**
 * 64-bit integers are JSON numbers while they are exact in a double (|v| <= 2^53); beyond that they
 * are decimal strings with every digit (a double would print 18446744073709551615 as ...552000).
 */
function i64(b: Uint8Array, p: number): number | string {
  const lo = rdU32(b, p);
  const hi = rdU32(b, p + 4) | 0;
  const v = hi * 0x100000000 + lo;
  return Number.isSafeInteger(v) ? v : new DataView(b.buffer, b.byteOffset + p, 8).getBigInt64(0, true).toString();
}

function u64(b: Uint8Array, p: number): number | string {
  const v = rdU32(b, p + 4) * 0x100000000 + rdU32(b, p);
  return Number.isSafeInteger(v) ? v : new DataView(b.buffer, b.byteOffset + p, 8).getBigUint64(0, true).toString();
}

/** The last 64-bit hex value's halves and text: a provider's Keywords repeat on each of its events. */
let hexLo = -1;
let hexHi = -1;
let hexText = '';

function hex64(b: Uint8Array, p: number): string {
  const lo = rdU32(b, p);
  const hi = rdU32(b, p + 4);
  if (lo === hexLo && hi === hexHi) return hexText;
  hexLo = lo;
  hexHi = hi;
  hexText = hi ? '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0') : hexNum(lo);
  return hexText;
}

/** Bytes as upper-case hex (one native call: a flat string, not a rope of concatenations). */
function binary(b: Uint8Array, p: number, size: number): string {
  return Buffer.from(b.buffer, b.byteOffset + p, size).toString('hex').toUpperCase();
}

function ansi(b: Uint8Array, p: number, size: number): string {
  let n = size;
  while (n > 0 && b[p + n - 1] === 0) n--;
  return latin1.decode(b.subarray(p, p + n));
}

/** Floats are numbers; NaN and infinities (not JSON numbers) are the strings "NaN", "Infinity", "-Infinity". */
function real(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

/** Width of one element of a fixed-size type, 0 for variable-size types. */
function fixedWidth(type: number): number {
  switch (type) {
    case 0x03: case 0x04: return 1;
    case 0x05: case 0x06: return 2;
    case 0x07: case 0x08: case 0x0b: case 0x0d: case 0x14: return 4;
    case 0x09: case 0x0a: case 0x0c: case 0x11: case 0x15: return 8;
    case 0x0f: case 0x12: return 16;
    default: return 0;
  }
}

/** One scalar of a fixed-width type at b[p] (bounds checked by the caller). */
function fixedScalar(b: Uint8Array, p: number, type: number, size: number): Scalar {
  switch (type) {
    case 0x03: return (b[p] << 24) >> 24;
    case 0x04: return b[p];
    case 0x05: return (rdU16(b, p) << 16) >> 16;
    case 0x06: return rdU16(b, p);
    case 0x07: return rdU32(b, p) | 0;
    case 0x08: return rdU32(b, p);
    case 0x09: return i64(b, p);
    case 0x0a: return u64(b, p);
    case 0x0b: return real(new DataView(b.buffer, b.byteOffset + p, 4).getFloat32(0, true));
    case 0x0c: return real(new DataView(b.buffer, b.byteOffset + p, 8).getFloat64(0, true));
    case 0x0d: return rdU32(b, p) !== 0;
    case 0x0f: return guidAt(b, p);
    case 0x10: return size === 8 ? hex64(b, p) : hexNum(rdU32(b, p));
    case 0x11: return filetimeJson(b, p);
    case 0x12: return systemtimeJson(b, p);
    case 0x14: return hexNum(rdU32(b, p));
    case 0x15: return hex64(b, p);
    default: return null;
  }
}

/**
 * Decodes a value of `type` in b[p, p+size). Returns undefined when the size does not fit the type
 * (the caller reports it); BinXml (0x21) is not handled here.
 */
export function decodeValue(b: Uint8Array, p: number, size: number, type: number): Value | undefined {
  switch (type) {
    case 0x00: return null;
    case 0x01: return utf16Value(b, p, size);
    case 0x02: return ansi(b, p, size);
    case 0x0e: return binary(b, p, size);
    case 0x13: return sidAt(b, p, size)[0];
    case 0x10: return size === 8 || size === 4 ? fixedScalar(b, p, 0x10, size) : undefined;
    case 0x81: {
      // NUL-separated UTF-16 strings.
      const out: string[] = [];
      const chars = size >> 1;
      let start = 0;
      for (let i = 0; i < chars; i++) {
        if (b[p + i * 2] === 0 && b[p + i * 2 + 1] === 0) {
          out.push(utf16(b, p + start * 2, i - start));
          start = i + 1;
        }
      }
      if (start < chars) out.push(utf16(b, p + start * 2, chars - start));
      return out;
    }
    case 0x82: {
      const out: string[] = [];
      let start = 0;
      for (let i = 0; i < size; i++) {
        if (b[p + i] === 0) {
          out.push(latin1.decode(b.subarray(p + start, p + i)));
          start = i + 1;
        }
      }
      if (start < size) out.push(latin1.decode(b.subarray(p + start, p + size)));
      return out;
    }
    case 0x93: {
      const out: string[] = [];
      let q = 0;
      while (q + 8 <= size) {
        const [s, used] = sidAt(b, p + q, size - q);
        out.push(s);
        q += used;
      }
      return out;
    }
    case 0x90: {
      const out: string[] = [];
      const w = size % 8 === 0 ? 8 : 4;
      for (let q = 0; q + w <= size; q += w) out.push(fixedScalar(b, p + q, 0x10, w) as string);
      return out;
    }
    default: {
      if (type & T_ARRAY) {
        const base = type & 0x7f;
        const w = fixedWidth(base);
        if (!w) return undefined;
        const out: Scalar[] = [];
        for (let q = 0; q + w <= size; q += w) out.push(fixedScalar(b, p + q, base, w));
        return out;
      }
      const w = fixedWidth(type);
      if (!w || size < w) return undefined;
      return fixedScalar(b, p, type, size);
    }
  }
}
