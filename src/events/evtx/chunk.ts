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
  /** Live records: the chunk's own records, in order. */
  records: EventRecord[];
  /** Record identifiers (from the record headers) of the live records, for de-duplication. */
  liveIds: number[];
  /** Low 32 bits of each live record's written FILETIME (record header): a copy has the same id and time. */
  liveTimes: number[];
  /**
   * Every leftover record found in the chunk's slack (deleted or overwritten records), by the
   * identifier in its record header; with `recover`, `record` is its decoding when it decodes (whole
   * or partial) and `error` says why it did not, or what a partial one lost.
   */
  slack: Array<{ id: number; time: number; record?: EventRecord; error?: string }>;
  problems: ReadProblem[];
}

export interface DecodeChunkOptions {
  /** Stop after this many live records (bounds the work on hostile input). */
  maxRecords?: number;
  /** Decode the leftover records of the slack too (otherwise they are only counted). */
  recover?: boolean;
  /** Records decoded straight into their fields for matching (EventRecord.flat); `event` is rendered on use. */
  flat?: boolean;
}

const RECORD_SIGNATURE = Buffer.from([0x2a, 0x2a, 0, 0]);

/**
 * The first record (signature, size and size copy agree) at or after `from` and before `end`:
 * native search for the signature in `view` (a Buffer over b's first `end` bytes, made once per
 * chunk: a chunk's slack may hold a hundred leftovers, each found by its own search).
 */
function nextSignature(view: Buffer, b: Uint8Array, from: number, end: number): number {
  for (let p = from; p + MIN_RECORD_SIZE <= end;) {
    const q = view.indexOf(RECORD_SIGNATURE, p);
    if (q < 0 || q + MIN_RECORD_SIZE > end) return -1;
    if (validRecordSize(b, q, end)) return q;
    p = q + 1;
  }
  return -1;
}

/**
 * Decodes one chunk (b[0] is the chunk's first byte; b may be shorter than 64 KiB when the file is
 * truncated). Never throws: every damage becomes a problem.
 *
 * Live records are the records from the chunk header to its free-space offset when the header is
 * intact (its CRC matches), then any records that continue the identifier sequence right after
 * that offset (a stale header of a live-copied log). With a damaged header, live records are the
 * chain of consecutive identifiers from the first record on. Everything else that still looks like
 * a record (signature, size and size copy agree) is a leftover in the slack: counted, and decoded
 * with `recover` only, never mixed with the live records.
 */
export function decodeChunk(b: Uint8Array, info: ChunkInfo, opts: DecodeChunkOptions = {}): ChunkResult {
  const maxRecords = opts.maxRecords ?? Infinity;
  const records: EventRecord[] = [];
  const slack: ChunkResult['slack'] = [];
  const problems: ReadProblem[] = [];
  const where = `chunk ${info.index} at offset ${hex(info.offset)}`;
  const problem = (reason: string, message: string, at?: number) =>
    problems.push({ file: info.file, where: at === undefined ? where : `${where}, offset ${hex(info.offset + at)}`, reason, message });
  const liveIds: number[] = [];
  const liveTimes: number[] = [];
  const result: ChunkResult = { records, liveIds, liveTimes, slack, problems };
  const len = Math.min(b.length, CHUNK_SIZE);
  if (len < CHUNK_SIZE) problem('truncated-chunk', `chunk is cut short: ${len} of ${CHUNK_SIZE} bytes`);
  if (len < CHUNK_HEADER_SIZE + MIN_RECORD_SIZE) return result;

  let limit = len;
  let trusted = false;
  if (!hasChunkSignature(b)) {
    problem('bad-chunk-signature', 'chunk does not start with "ElfChnk"; reading its chain of consecutive records');
  } else {
    const h = parseChunkHeader(b);
    const headerOk = chunkHeaderChecksum(b) === h.checksum;
    if (!headerOk) problem('bad-chunk-checksum', `chunk header CRC-32 mismatch (stored ${hex(h.checksum)}); reading its chain of consecutive records`);
    const free = h.freeSpaceOffset;
    if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) {
      if (headerOk) problem('bad-chunk-header', `free space offset ${hex(free)} is outside the chunk; reading its chain of consecutive records`);
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

  const ctx = newChunkContext(b, info.offset, len, opts.flat === true);
  let view: Buffer | undefined;
  // A record right at `from` (leftovers in the slack mostly follow each other) needs no search.
  const next = (from: number): number =>
    validRecordSize(b, from, len) ? from : nextSignature((view ??= Buffer.from(b.buffer, b.byteOffset, len)), b, from, len);
  let lastId = -1;
  /** Decodes a record; on failure returns the reason (the caller reports it or hands it on). */
  const take = (p: number, size: number): EventRecord | string => {
    try {
      const rec = decodeRecord(ctx, p, size, info.file);
      return rec;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return `${e instanceof EvtxDecodeError ? e.reason : 'bad-record'}: ${msg}`;
    }
  };
  const live = (p: number, size: number, id: number): void => {
    const rec = take(p, size);
    if (typeof rec === 'string') problem('bad-record', `record ${id} skipped: ${rec}`, p);
    else {
      if (rec.partial) problem('partial-record', `record ${id} read in part (marked partial): ${ctx.lost}`, p);
      records.push(rec);
    }
    liveIds.push(id);
    liveTimes.push(rdU32(b, p + 16));
    lastId = id;
  };
  /** An untrusted chunk's record at q continues the chain after a damaged stretch of `gap` bytes. */
  const continues = (q: number, gap: number): boolean => {
    if (lastId < 0) return true;
    const id = rdU64(b, q + 8);
    return id > lastId && id - lastId <= Math.floor(gap / MIN_RECORD_SIZE) + 1;
  };

  let p = CHUNK_HEADER_SIZE;
  while (p + MIN_RECORD_SIZE <= limit && records.length < maxRecords) {
    const size = validRecordSize(b, p, len);
    if (size) {
      const id = rdU64(b, p + 8);
      if (!trusted && lastId >= 0 && id !== lastId + 1) break; // the chain ends: the slack starts here
      live(p, size, id);
      p += size;
      continue;
    }
    if (isZeroFilled(b, p, limit)) {
      // Free space pointing at the chunk end over zeros is normal in archived logs.
      if (trusted && limit < CHUNK_SIZE) problem('zero-filled-records', `records area is zero-filled from here to ${hex(info.offset + limit)}`, p);
      break;
    }
    if (!trusted && isZeroFilled(b, p, Math.min(limit, p + 8))) {
      // A damaged header: step over a zero run to a record that continues the chain.
      const q = next(p);
      if (q < 0 || !continues(q, q - p)) break;
      p = q;
      continue;
    }
    let why = 'no record signature';
    if (hasRecordSignature(b, p)) {
      const s = rdU32(b, p + 4);
      why = p + s > len ? `record size ${s} runs past the chunk end (record cut at chunk end)` : `record size ${s} does not match its copy`;
    }
    const q = next(p + 1);
    if (!trusted && (q < 0 || !continues(q, q - p))) {
      if (lastId < 0 || why !== 'no record signature') problem('bad-record', `damaged record data (${why}); skipped ${q < 0 ? len - p : q - p} bytes`, p);
      break;
    }
    problem('bad-record', `damaged record data (${why}); skipped ${q < 0 ? limit - p : q - p} bytes`, p);
    if (q < 0) {
      p = len;
      break;
    }
    p = q;
  }

  if (records.length >= maxRecords) return result;
  // A stale header (CRC valid, written before the last records): records that continue the
  // identifier sequence right at the free-space offset are live.
  if (trusted && p >= limit && lastId >= 0) {
    const first = lastId + 1;
    const at = p;
    for (;;) {
      const size = validRecordSize(b, p, len);
      if (!size || rdU64(b, p + 8) !== lastId + 1 || records.length >= maxRecords) break;
      live(p, size, lastId + 1);
      p += size;
    }
    if (lastId >= first) {
      problem('stale-chunk-header', `chunk header is stale: ${lastId - first + 1} records past its free-space offset read (record ids ${first}-${lastId})`, at);
    }
  }

  // The slack: leftovers of deleted or overwritten records, and stale copies of live records (told
  // apart per file, by Leftovers).
  let q = next(p);
  while (q >= 0) {
    const size = validRecordSize(b, q, len);
    const id = rdU64(b, q + 8);
    const time = rdU32(b, q + 16);
    if (!opts.recover) slack.push({ id, time });
    else {
      const rec = take(q, size);
      if (typeof rec === 'string') slack.push({ id, time, error: rec });
      else {
        rec.recovered = true;
        slack.push(rec.partial ? { id, time, record: rec, error: ctx.lost } : { id, time, record: rec });
      }
    }
    q = next(q + size);
  }
  return result;
}
