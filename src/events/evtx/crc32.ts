/**
 * CRC-32 (RFC 1952, initial value 0) used by the EVTX file header and chunk checksums: zlib's
 * native one (every chunk's records are checksummed, a table loop here cost ~6% of a scan).
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

/** CRC-32 of b[start, end), continuing from `crc` (pass the previous result to chain ranges). */
export function crc32(b: Uint8Array, start: number, end: number, crc = 0): number {
  if (end <= start) return crc >>> 0;
  return zlibCrc32(b.subarray(start, end), crc >>> 0) >>> 0;
}
