/**
 * The 64 KiB chunk: "ElfChnk\0" header (record numbers, free space offset, CRC-32 of the header and
 * of the records), then event records. Chunks are independent (names and templates are per chunk),
 * so decodeChunk can run in any thread. Damage is reported as problems and every intact record is
 * recovered by scanning for record signatures.
 */

import type { EventRecord, ReadProblem } from '../types.js';
import { newChunkContext } from './binxml.js';
import { crc32 } from './crc32.js';
import { EvtxDecodeError, hex, rdU32, rdU64 } from './cursor.js';
import { CHUNK_SIZE } from './file-header.js';
import { decodeRecord, hasRecordSignature, MIN_RECORD_SIZE, validRecordSize } from './record.js';

export const CHUNK_HEADER_SIZE = 512;
const SIGNATURE = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]; // "ElfChnk\0"

export interface ChunkHeader {
  firstRecordNumber: number;
  lastRecordNumber: number;
  firstRecordId: number;
  lastRecordId: number;
  headerSize: number;
  lastRecordOffset: number;
  freeSpaceOffset: number;
  recordsChecksum: number;
  checksum: number;
}

export function hasChunkSignature(b: Uint8Array, p = 0): boolean {
  if (b.length < p + 8) return false;
  for (let i = 0; i < 8; i++) if (b[p + i] !== SIGNATURE[i]) return false;
  return true;
}

export function parseChunkHeader(b: Uint8Array): ChunkHeader {
  return {
    firstRecordNumber: rdU64(b, 8),
    lastRecordNumber: rdU64(b, 16),
    firstRecordId: rdU64(b, 24),
    lastRecordId: rdU64(b, 32),
    headerSize: rdU32(b, 40),
    lastRecordOffset: rdU32(b, 44),
    freeSpaceOffset: rdU32(b, 48),
    recordsChecksum: rdU32(b, 52),
    checksum: rdU32(b, 124),
  };
}

/** CRC-32 of bytes 0-120 and 128-512, as stored at offset 124. */
export function chunkHeaderChecksum(b: Uint8Array): number {
  return crc32(b, 128, 512, crc32(b, 0, 120));
}

export function isZeroFilled(b: Uint8Array, from = 0, to = b.length): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

export interface ChunkInfo {
  file: string;
  /** Chunk number in the file (0-based). */
  index: number;
  /** File offset of the chunk. */
  offset: number;
}

export interface ChunkResult {
  records: EventRecord[];
  problems: ReadProblem[];
}

function nextSignature(b: Uint8Array, from: number, end: number): number {
  for (let p = from; p + MIN_RECORD_SIZE <= end; p++) {
    if (b[p] === 0x2a && hasRecordSignature(b, p) && validRecordSize(b, p, end)) return p;
  }
  return -1;
}

/**
 * Decodes one chunk (b[0] is the chunk's first byte; b may be shorter than 64 KiB when the file is
 * truncated). Never throws: every damage becomes a problem.
 */
export function decodeChunk(b: Uint8Array, info: ChunkInfo, maxRecords = Infinity): ChunkResult {
  const records: EventRecord[] = [];
  const problems: ReadProblem[] = [];
  const where = `chunk ${info.index} at offset ${hex(info.offset)}`;
  const problem = (reason: string, message: string, at?: number) =>
    problems.push({ file: info.file, where: at === undefined ? where : `${where}, offset ${hex(info.offset + at)}`, reason, message });
  const len = Math.min(b.length, CHUNK_SIZE);
  if (len < CHUNK_SIZE) problem('truncated-chunk', `chunk is cut short: ${len} of ${CHUNK_SIZE} bytes`);
  if (len < CHUNK_HEADER_SIZE + MIN_RECORD_SIZE) return { records, problems };

  let limit = len;
  let trusted = false;
  if (!hasChunkSignature(b)) {
    problem('bad-chunk-signature', 'chunk does not start with "ElfChnk"; scanning it for records');
  } else {
    const h = parseChunkHeader(b);
    const headerOk = chunkHeaderChecksum(b) === h.checksum;
    if (!headerOk) problem('bad-chunk-checksum', `chunk header CRC-32 mismatch (stored ${hex(h.checksum)}); scanning the chunk for records`);
    const free = h.freeSpaceOffset;
    if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) {
      if (headerOk) problem('bad-chunk-header', `free space offset ${hex(free)} is outside the chunk; scanning the chunk for records`);
    } else if (headerOk) {
      trusted = true;
      if (free > len) {
        limit = len;
      } else {
        limit = free;
        const crc = crc32(b, CHUNK_HEADER_SIZE, free);
        if (crc !== h.recordsChecksum) {
          problem('bad-records-checksum', `event records CRC-32 mismatch (stored ${hex(h.recordsChecksum)}, computed ${hex(crc)})`);
        }
      }
    }
  }

  const ctx = newChunkContext(b, info.offset, len);
  const seen = trusted ? null : new Set<number>();
  let p = CHUNK_HEADER_SIZE;
  while (p + MIN_RECORD_SIZE <= limit && records.length < maxRecords) {
    const size = validRecordSize(b, p, len);
    if (size) {
      if (seen) {
        const id = rdU64(b, p + 8);
        if (seen.has(id)) {
          p += size;
          continue;
        }
        seen.add(id);
      }
      try {
        records.push(decodeRecord(ctx, p, size, info.file));
      } catch (e) {
        const id = rdU64(b, p + 8);
        const msg = e instanceof Error ? e.message : String(e);
        const reason = e instanceof EvtxDecodeError ? e.reason : 'bad-record';
        problem('bad-record', `record ${id} skipped: ${reason}: ${msg}`, p);
      }
      p += size;
      continue;
    }
    if (isZeroFilled(b, p, limit)) {
      // Free space pointing at the chunk end over zeros is normal in archived logs.
      if (trusted && limit < CHUNK_SIZE) problem('zero-filled-records', `records area is zero-filled from here to ${hex(info.offset + limit)}`, p);
      break;
    }
    if (!trusted && isZeroFilled(b, p, Math.min(limit, p + 8))) {
      // Scanning an untrusted chunk: step over zero runs quietly.
      const q = nextSignature(b, p, len);
      if (q < 0) break;
      p = q;
      continue;
    }
    let why = 'no record signature';
    if (hasRecordSignature(b, p)) {
      const s = rdU32(b, p + 4);
      why = p + s > len ? `record size ${s} runs past the chunk end (record cut at chunk end)` : `record size ${s} does not match its copy`;
    }
    const q = nextSignature(b, p + 1, len);
    problem('bad-record', `damaged record data (${why}); skipped ${q < 0 ? limit - p : q - p} bytes`, p);
    if (q < 0) break;
    p = q;
  }
  return { records, problems };
}
