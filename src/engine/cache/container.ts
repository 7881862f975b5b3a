/**
 * One cache file: named sections (JSON values and typed arrays) in a single byte buffer, with a
 * magic string, a format version, the key it was made for, and a CRC-32 of the payload. Reading
 * checks all of these and the bounds of every section, so a truncated, damaged or foreign file is
 * refused with a reason instead of being used. The checksum is for damage (a cut or flipped byte):
 * a file forged on purpose could carry any checksum, and what reading it builds is bounded by the
 * shape checks (check-shapes.ts) instead. CRC-32 (zlib's) reads the 46 MB plan of the SigmaHQ rules
 * in 12 ms where SHA-256 took 30 ms, on every warm start. The buffer may be a SharedArrayBuffer: typed-array
 * sections are then views that worker threads share without copying.
 */
import { crc32 } from 'node:zlib';
import { mark } from '../parallel/timeline.js';

const MAGIC = 'DETECTORY-CACHE\n';
/** 2: the payload's checksum is a CRC-32 (1: SHA-256). */
const FORMAT = 2;
const ALIGN = 8;

type ArrayKind = 'i32' | 'u16';
type TypedSection = Int32Array | Uint16Array;
export type SectionValue = { json: unknown } | TypedSection;

interface SectionEntry {
  name: string;
  type: 'json' | ArrayKind;
  offset: number;
  bytes: number;
}

interface Header {
  kind: string;
  key: string;
  digest: string;
  payload: number;
  sections: SectionEntry[];
}

export class CacheFormatError extends Error {}

function kindOf(v: TypedSection): ArrayKind {
  return v instanceof Int32Array ? 'i32' : 'u16';
}

const pad = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** The payload's checksum as the header writes it: CRC-32, 8 hex digits. */
const checksum = (payload: Uint8Array): string => `crc32:${crc32(payload).toString(16).padStart(8, '0')}`;

/**
 * JSON text with every character above ASCII written as a \u escape (they occur only in strings,
 * where escapes are valid): the section decodes to a one-byte string, which JSON.parse reads faster
 * than the two-byte string a single non-ASCII character (a windash dash, a quote in a title) makes
 * of the whole text.
 */
export function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Encodes sections into one buffer (shared, so that worker threads can read it in place). */
export function encodeContainer(kind: string, key: string, sections: Map<string, SectionValue>): Uint8Array {
  const parts: Array<{ entry: SectionEntry; bytes: Uint8Array }> = [];
  let offset = 0;
  for (const [name, value] of sections) {
    const bytes = 'json' in value ? Buffer.from(asciiJson(value.json), 'latin1') : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    parts.push({ entry: { name, type: 'json' in value ? 'json' : kindOf(value), offset, bytes: bytes.byteLength }, bytes });
    offset = pad(offset + bytes.byteLength);
  }
  const payload = new Uint8Array(offset);
  for (const p of parts) payload.set(p.bytes, p.entry.offset);
  const digest = checksum(payload);
  const header: Header = { kind, key, digest, payload: payload.byteLength, sections: parts.map((p) => p.entry) };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const start = pad(MAGIC.length + 8 + head.byteLength);
  const out = new Uint8Array(new SharedArrayBuffer(start + payload.byteLength));
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(MAGIC.length, FORMAT, true);
  dv.setUint32(MAGIC.length + 4, head.byteLength, true);
  out.set(head, MAGIC.length + 8);
  out.set(payload, start);
  return out;
}

/**
 * Decodes a container made by encodeContainer for this `kind` and `key`. `verified`: the buffer was
 * already checked in this process (a worker receiving it from the main thread), skip the digest.
 */
export function decodeContainer(buf: Uint8Array, kind: string, key: string, verified = false): Map<string, SectionValue> {
  const bad = (why: string): never => {
    throw new CacheFormatError(why);
  };
  if (buf.byteLength < MAGIC.length + 8) bad('file is too short');
  if (Buffer.from(buf.buffer, buf.byteOffset, MAGIC.length).toString('latin1') !== MAGIC) bad('not a detectory cache file');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(MAGIC.length, true) !== FORMAT) bad('other cache format version');
  const headLen = dv.getUint32(MAGIC.length + 4, true);
  if (MAGIC.length + 8 + headLen > buf.byteLength) bad('header is cut short');
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + MAGIC.length + 8, headLen).toString('utf8')) as Header;
  } catch {
    return bad('header is not JSON');
  }
  if (!header || typeof header !== 'object' || header.kind !== kind || header.key !== key) bad('made for other inputs');
  const start = pad(MAGIC.length + 8 + headLen);
  if (!Number.isInteger(header.payload) || start + header.payload !== buf.byteLength) bad('payload is cut short or too long');
  const payload = new Uint8Array(buf.buffer, buf.byteOffset + start, header.payload);
  if (!verified && checksum(payload) !== header.digest) bad('checksum mismatch (damaged file)');
  mark('container digest checked');
  if (!Array.isArray(header.sections)) bad('no section table');
  const out = new Map<string, SectionValue>();
  for (const s of header.sections) {
    if (!s || typeof s.name !== 'string' || !Number.isInteger(s.offset) || !Number.isInteger(s.bytes) || s.offset < 0 || s.bytes < 0
      || s.offset % ALIGN !== 0 || s.offset + s.bytes > payload.byteLength || out.has(s.name)) bad('section out of bounds');
    const at = payload.byteOffset + s.offset;
    if (s.type === 'json') {
      try {
        out.set(s.name, { json: JSON.parse(Buffer.from(buf.buffer, at, s.bytes).toString('utf8')) as unknown });
      } catch {
        bad(`section ${s.name} is not JSON`);
      }
    } else if (s.type === 'i32' && s.bytes % 4 === 0) {
      out.set(s.name, new Int32Array(buf.buffer, at, s.bytes / 4));
    } else if (s.type === 'u16' && s.bytes % 2 === 0) {
      out.set(s.name, new Uint16Array(buf.buffer, at, s.bytes / 2));
    } else {
      bad(`section ${s.name} has an unknown type`);
    }
  }
  return out;
}

export function jsonSection(m: Map<string, SectionValue>, name: string): unknown {
  const v = m.get(name);
  if (!v || !('json' in v)) throw new CacheFormatError(`section ${name} is missing`);
  return v.json;
}
