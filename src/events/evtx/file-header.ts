/** The EVTX file header: the first 4096 bytes ("ElfFile\0", chunk counts, version, flags, CRC-32 of the first 120 bytes). */

import { rdU16, rdU32, rdU64 } from './cursor.js';
import { crc32 } from './crc32.js';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
const SIGNATURE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"

export interface FileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  headerSize: number;
  minorVersion: number;
  majorVersion: number;
  headerBlockSize: number;
  chunkCount: number;
  flags: number;
  checksum: number;
  checksumOk: boolean;
  dirty: boolean;
  full: boolean;
}

export function hasFileSignature(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  for (let i = 0; i < 8; i++) if (b[i] !== SIGNATURE[i]) return false;
  return true;
}

/** Parses the header; b must hold at least 128 bytes and start with the signature. */
export function parseFileHeader(b: Uint8Array): FileHeader {
  const flags = rdU32(b, 120);
  const checksum = rdU32(b, 124);
  return {
    firstChunk: rdU64(b, 8),
    lastChunk: rdU64(b, 16),
    nextRecordId: rdU64(b, 24),
    headerSize: rdU32(b, 32),
    minorVersion: rdU16(b, 36),
    majorVersion: rdU16(b, 38),
    headerBlockSize: rdU16(b, 40),
    chunkCount: rdU16(b, 42),
    flags,
    checksum,
    checksumOk: crc32(b, 0, 120) === checksum,
    dirty: (flags & 1) !== 0,
    full: (flags & 2) !== 0,
  };
}
