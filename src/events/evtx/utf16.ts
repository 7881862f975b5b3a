/** UTF-16 little-endian strings as stored in EVTX names and values (short ones hand-decoded). */

const DECODER = new TextDecoder('utf-16le');

/** Decodes `chars` UTF-16LE code units at b[p]. Lone surrogates become U+FFFD (as TextDecoder does). */
export function utf16(b: Uint8Array, p: number, chars: number): string {
  if (chars <= 0) return '';
  if (chars > 24) return DECODER.decode(b.subarray(p, p + chars * 2));
  let s = '';
  for (let i = 0; i < chars; i++) {
    const c = b[p] | (b[p + 1] << 8);
    if (c >= 0xd800 && c <= 0xdfff) return DECODER.decode(b.subarray(p - i * 2, p - i * 2 + chars * 2));
    s += String.fromCharCode(c);
    p += 2;
  }
  return s;
}

/** A UTF-16LE value of `bytes` bytes with trailing NUL characters removed. */
export function utf16Value(b: Uint8Array, p: number, bytes: number): string {
  let chars = bytes >> 1;
  while (chars > 0 && b[p + chars * 2 - 2] === 0 && b[p + chars * 2 - 1] === 0) chars--;
  return utf16(b, p, chars);
}
