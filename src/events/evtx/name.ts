/**
 * BinXml names (element, attribute, entity and PI names): an optional 4-byte link, a 16-bit hash, a
 * character count and a NUL-terminated UTF-16 string, stored once per chunk and then referenced by
 * chunk offset. Names are cached per chunk.
 */

import { ByteCursor, rdU16 } from './cursor.js';
import { utf16 } from './utf16.js';

/**
 * Reads the name whose chunk offset was just read from the cursor. When the name is stored inline
 * (its offset is the cursor position), the cursor moves past it.
 */
export function readName(cur: ByteCursor, names: Map<number, string>, nameOffset: number, chunkEnd: number): string {
  const cached = names.get(nameOffset);
  if (nameOffset === cur.pos) {
    // Inline: link (4), hash (2), count (2), chars, NUL (2).
    cur.need(8);
    const n = rdU16(cur.buf, cur.pos + 6);
    cur.need(8 + n * 2 + 2);
    const s = cached ?? utf16(cur.buf, cur.pos + 8, n);
    cur.pos += 8 + n * 2 + 2;
    if (cached === undefined) names.set(nameOffset, s);
    return s;
  }
  if (cached !== undefined) return cached;
  if (nameOffset + 8 > chunkEnd || nameOffset < 0) cur.fail('bad-name', `name offset ${nameOffset} is outside the chunk`);
  const n = rdU16(cur.buf, nameOffset + 6);
  if (nameOffset + 8 + n * 2 > chunkEnd) cur.fail('bad-name', `name at chunk offset ${nameOffset} runs past the chunk`);
  const s = utf16(cur.buf, nameOffset + 8, n);
  names.set(nameOffset, s);
  return s;
}
