/** UTF-16 little-endian strings as stored in EVTX names and values. */

const DECODER = new TextDecoder('utf-16le');
/** Node's native UTF-16LE slice (Buffer's, usable on any Uint8Array): one flat string, no replacement of lone surrogates. */
const ucs2Slice = (Buffer.prototype as unknown as { ucs2Slice?: (this: Uint8Array, start: number, end: number) => string }).ucs2Slice;
/** Up to this many code units are decoded by hand: V8 builds such short concatenations as flat strings. */
const HAND_DECODED = 12;

/** Decodes `chars` UTF-16LE code units at b[p]. Lone surrogates become U+FFFD (as TextDecoder does). */
export function utf16(b: Uint8Array, p: number, chars: number): string {
  if (chars <= 0) return '';
  const end = p + chars * 2;
  if (chars <= HAND_DECODED) {
    let s = '';
    for (let q = p; q < end; q += 2) {
      const c = b[q] | (b[q + 1] << 8);
      if (c >= 0xd800 && c <= 0xdfff) return DECODER.decode(b.subarray(p, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  // Longer strings: a concatenation would be a rope that every later read or hash must flatten
  // first; the native slice makes a flat string. Any surrogate goes to TextDecoder, which replaces
  // lone ones (pairs decode the same either way).
  for (let q = p + 1; q < end; q += 2) {
    const hi = b[q];
    if (hi >= 0xd8 && hi <= 0xdf) return DECODER.decode(b.subarray(p, end));
  }
  return ucs2Slice ? ucs2Slice.call(b, p, end) : DECODER.decode(b.subarray(p, end));
}

/** A UTF-16LE value of `bytes` bytes with trailing NUL characters removed. */
export function utf16Value(b: Uint8Array, p: number, bytes: number): string {
  let chars = bytes >> 1;
  while (chars > 0 && b[p + chars * 2 - 2] === 0 && b[p + chars * 2 - 1] === 0) chars--;
  return utf16(b, p, chars);
}

/**
 * Is the UTF-16LE value of `bytes` bytes at b[p] (trailing NULs removed, as utf16Value does) the
 * string `s`, code unit for code unit? Then it decodes to `s`: a decoded string holds no lone
 * surrogate (they become U+FFFD), so equal code units have none either.
 */
export function sameUtf16Value(b: Uint8Array, p: number, bytes: number, s: string): boolean {
  let chars = bytes >> 1;
  while (chars > 0 && b[p + chars * 2 - 2] === 0 && b[p + chars * 2 - 1] === 0) chars--;
  if (chars !== s.length) return false;
  for (let i = 0, q = p; i < chars; i++, q += 2) if ((b[q] | (b[q + 1] << 8)) !== s.charCodeAt(i)) return false;
  return true;
}
