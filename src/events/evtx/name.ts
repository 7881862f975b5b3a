/**
 * BinXml names (element, attribute, entity and PI names): an optional 4-byte link, a 16-bit hash, a
 * character count and a NUL-terminated UTF-16 string, stored once per chunk and then referenced by
 * chunk offset. Names are cached per chunk.
 */

import { ByteCursor, rdU16 } from './cursor.js';
import { utf16 } from './utf16.js';

/** The 16-bit name hash EVTX stores: the low bits of h = h * 65599 + code unit over the name. */
export function nameHash(b: Uint8Array, p: number, chars: number): number {
  let h = 0;
  for (let i = 0; i < chars; i++) h = (Math.imul(h, 65599) + (b[p + i * 2] | (b[p + i * 2 + 1] << 8))) >>> 0;
  return h & 0xffff;
}

/**
 * Reads the name whose chunk offset was just read from the cursor. When the name is stored inline
 * (its offset is the cursor position), the cursor moves past it. A name whose stored hash does not
 * match its characters, or an empty one, is not a name (damaged data, or a leftover record pointing at an offset that
 * now holds something else) and fails as 'bad-name'.
 */
export function readName(cur: ByteCursor, names: Map<number, string>, nameOffset: number, chunkEnd: number): string {
  const cached = names.get(nameOffset);
  if (nameOffset === cur.pos) {
    // Inline: link (4), hash (2), count (2), chars, NUL (2).
    cur.need(8);
    const n = rdU16(cur.buf, cur.pos + 6);
    cur.need(8 + n * 2 + 2);
    let s = cached;
    if (s === undefined) {
      if (n === 0 || nameHash(cur.buf, cur.pos + 8, n) !== rdU16(cur.buf, cur.pos + 4)) cur.fail('bad-name', `name at chunk offset ${nameOffset} is empty or does not match its hash`);
      s = utf16(cur.buf, cur.pos + 8, n);
      names.set(nameOffset, s);
    }
    cur.pos += 8 + n * 2 + 2;
    return s;
  }
  if (cached !== undefined) return cached;
  if (nameOffset + 8 > chunkEnd || nameOffset < 0) cur.fail('bad-name', `name offset ${nameOffset} is outside the chunk`);
  const n = rdU16(cur.buf, nameOffset + 6);
  if (nameOffset + 8 + n * 2 > chunkEnd) cur.fail('bad-name', `name at chunk offset ${nameOffset} runs past the chunk`);
  if (n === 0 || nameHash(cur.buf, nameOffset + 8, n) !== rdU16(cur.buf, nameOffset + 4)) cur.fail('bad-name', `name at chunk offset ${nameOffset} is empty or does not match its hash`);
  const s = utf16(cur.buf, nameOffset + 8, n);
  names.set(nameOffset, s);
  return s;
}
