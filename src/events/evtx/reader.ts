/**
 * The file reader: validates the file header, then reads the file chunk by chunk (bounded memory)
 * and yields records in file order, decoding on this thread or on worker threads. Problems are
 * reported through a callback; nothing is thrown out of the run.
 */

import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { EventRecord, ProblemSink } from '../types.js';
import { type ChunkResult, decodeChunk, hasChunkSignature, isZeroFilled } from './chunk.js';
import { hex } from './cursor.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE, hasFileSignature, parseFileHeader } from './file-header.js';
import { Leftovers } from './leftovers.js';
import { decodeChunksParallel } from './parallel.js';

export interface ReadEvtxOptions {
  /**
   * Decoding threads: 1 (the default) decodes on the calling thread; N > 1 decodes on the calling
   * thread and N - 1 worker threads (order preserved). Records decoded on a worker are shipped
   * back as JSON, which costs about a third of decoding them: measured on the 2-core bench machine
   * this did not beat 1 thread, hence the default. Decoding itself scales (see bench/evtx.ts); a
   * consumer that also matches in the workers (decodeChunk there, ship only alerts) gains from it.
   */
  threads?: number;
  /** Chunks per read (and per worker job). Default 16 (1 MiB). */
  batchChunks?: number;
  /** Stop after this many records per chunk (bounds the work on hostile input). */
  maxRecordsPerChunk?: number;
  /**
   * Read only these chunks (for splitting one file across threads). File-header problems are
   * reported only by the range that starts at chunk 0.
   */
  chunkRange?: { first: number; count: number };
  /**
   * Also decode the leftover records in chunk slack (deleted or overwritten) and yield them, marked
   * `recovered`, after the file's live records. Without it they are only counted (one line).
   */
  recover?: boolean;
  /**
   * Records decoded straight into the fields rules read (EventRecord.flat, what flattenEvent
   * returns), their evtx_dump-shaped `event` rendered only when read: for scans. Decoding threads
   * (threads > 1) ship plain records instead.
   */
  flat?: boolean;
}

/** One batch of raw chunks read from the file. */
export interface ChunkBatch {
  buf: Uint8Array;
  /** Index of the first chunk in the batch. */
  first: number;
  /** File offset of buf[0]. */
  offset: number;
}

/**
 * Checks the file header. Returns the chunk count it vouches for (0 when the header is damaged: the
 * chunks are then trusted over it), or undefined (with one problem reported) when the file cannot be
 * read as EVTX.
 */
async function checkHeader(fh: FileHandle, file: string, size: number, onProblem: ProblemSink): Promise<number | undefined> {
  // A plain Uint8Array, as the chunk batches are: a Buffer (another map) reaching the decoder's
  // readers (rdU32...) at each task's header deoptimized them and every function they are inlined in.
  const head = new Uint8Array(Math.min(size, FILE_HEADER_SIZE + 8));
  if (head.length) await fh.read(head, 0, head.length, 0);
  if (!hasFileSignature(head)) {
    onProblem({ file, where: 'file header', reason: 'not-evtx', message: 'not an EVTX file: it does not start with "ElfFile"' });
    return undefined;
  }
  if (size < FILE_HEADER_SIZE) {
    onProblem({ file, where: 'file header', reason: 'truncated-header', message: `file ends inside its ${FILE_HEADER_SIZE}-byte header (${size} bytes): no chunk to read` });
    return undefined;
  }
  const h = parseFileHeader(head);
  const chunkFollows = hasChunkSignature(head, FILE_HEADER_SIZE);
  if (h.majorVersion !== 3 && (h.checksumOk || !chunkFollows)) {
    onProblem({
      file,
      where: 'file header',
      reason: 'unsupported-version',
      message: `unsupported EVTX version ${h.majorVersion}.${h.minorVersion} (this reader knows 3.x)`,
    });
    return undefined;
  }
  if (!h.checksumOk) {
    const version = h.majorVersion !== 3 ? `, version ${h.majorVersion}.${h.minorVersion}` : '';
    onProblem({ file, where: 'file header', reason: 'bad-header-checksum', message: `file header is damaged (CRC-32 mismatch, stored ${hex(h.checksum)}${version}); reading every chunk anyway` });
    return 0;
  }
  return h.chunkCount;
}

/**
 * Batches are read with the calling thread's own system calls instead of libuv's thread pool: for
 * a scan's worker threads (the decoding thread of a 2-stage scan, the workers of a scan split by
 * data), whose scan keeps every core busy. An asynchronous read costs its thread little but the
 * process more: reading the 256 MiB
 * bench file in 256 KiB batches took 100-145 ms of process CPU against 62-79 ms read synchronously
 * (the copy happens either way; the pool's hand-over and the promises are the rest).
 */
let syncReads = false;
export function setSyncReads(on: boolean): void {
  syncReads = on;
}

/**
 * Reads the chunks of an open EVTX file in batches, one read ahead: the next batch is read (on
 * libuv's threads) while the caller decodes this one. Reading each batch only when asked left the
 * scanning thread idle for every read, 8-9% of a 1-thread scan's time (its CPU profile's idle samples,
 * spread over the whole scan). With setSyncReads (worker threads) the batch ahead is read at once on
 * this thread, before the current one is handed over: the same one batch held ahead.
 */
async function* batches(fh: FileHandle, size: number, batchChunks: number, range?: { first: number; count: number }): AsyncGenerator<ChunkBatch> {
  const start = range?.first ?? 0;
  const begin = FILE_HEADER_SIZE + start * CHUNK_SIZE;
  const end = range ? Math.min(size, begin + range.count * CHUNK_SIZE) : size;
  const readAt = async (offset: number, first: number): Promise<ChunkBatch & { full: boolean }> => {
    const n = Math.min(batchChunks * CHUNK_SIZE, end - offset);
    // Own ArrayBuffer per batch, so that it can be transferred to a worker.
    const buf = new Uint8Array(new ArrayBuffer(n));
    let got = 0;
    while (got < n) {
      const bytesRead = syncReads ? readSync(fh.fd, buf, got, n - got, offset + got) : (await fh.read(buf, got, n - got, offset + got)).bytesRead;
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { buf: got < n ? buf.subarray(0, got) : buf, first, offset, full: got === n };
  };
  // A read that fails while the previous batch is decoded is reported when its batch is awaited, not as an unhandled rejection.
  const ahead = (offset: number, first: number): Promise<ChunkBatch & { full: boolean }> => {
    const p = readAt(offset, first);
    p.catch(() => undefined);
    return p;
  };
  let next = begin < end ? ahead(begin, start) : undefined;
  try {
    while (next) {
      const b = await next;
      const after = b.offset + b.buf.length;
      next = b.full && after < end ? ahead(after, b.first + Math.ceil(b.buf.length / CHUNK_SIZE)) : undefined;
      yield { buf: b.buf, first: b.first, offset: b.offset };
    }
  } finally {
    // A consumer that stops early: the read ahead ends before the caller closes the file (its error, if any, is not this batch's).
    if (next) await next.catch(() => undefined);
  }
}

/** Which chunks of a batch to decode; reports zero-filled chunks inside the declared chunk count. */
export function planBatch(batch: ChunkBatch, declaredChunks: number, file: string, onProblem: ProblemSink): number[] {
  const out: number[] = [];
  for (let i = 0, q = 0; q < batch.buf.length; i++, q += CHUNK_SIZE) {
    const c = batch.buf.subarray(q, Math.min(q + CHUNK_SIZE, batch.buf.length));
    const index = batch.first + i;
    if (!hasChunkSignature(c) && isZeroFilled(c)) {
      if (index < declaredChunks) {
        onProblem({ file, where: `chunk ${index} at offset ${hex(batch.offset + q)}`, reason: 'empty-chunk', message: 'chunk is zero-filled' });
      }
      continue;
    }
    out.push(i);
  }
  return out;
}

/**
 * Streams the records of one .evtx file in file order. Problems (damaged chunks and records, a file
 * that is not EVTX, an unsupported version, an unreadable path) go to onProblem; the generator
 * itself never throws.
 */
export async function* readEvtxFile(path: string, onProblem: ProblemSink, opts: ReadEvtxOptions = {}): AsyncGenerator<EventRecord> {
  for await (const list of readEvtxRecordLists(path, onProblem, opts)) yield* list;
}

/**
 * The records of one .evtx file as readEvtxFile yields them, one list per chunk (or per batch of
 * chunks): a scan takes them a list at a time instead of paying an asynchronous step per record.
 */
export async function* readEvtxRecordLists(path: string, onProblem: ProblemSink, opts: ReadEvtxOptions = {}): AsyncGenerator<EventRecord[]> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    onProblem({ file: path, reason: 'unreadable', message: `cannot open: ${(e as Error).message}` });
    return;
  }
  try {
    const size = (await fh.stat()).size;
    const headerSink: ProblemSink = opts.chunkRange && opts.chunkRange.first > 0 ? () => undefined : onProblem;
    const declared = await checkHeader(fh, path, size, headerSink);
    if (declared === undefined) return;
    const batchChunks = Math.max(1, opts.batchChunks ?? 16);
    const threads = Math.max(1, Math.min(opts.threads ?? 1, availableParallelism() + 1));
    const src = batches(fh, size, batchChunks, opts.chunkRange);
    const leftovers = new Leftovers(path, opts.recover === true);
    const decodeOpts = { maxRecords: opts.maxRecordsPerChunk, recover: opts.recover };
    const localOpts = { ...decodeOpts, flat: opts.flat };
    // A range that starts inside the file: the chunk before it holds the originals of the copies
    // found in the slack of the range's first chunk; its live records are noted, not yielded.
    const first = opts.chunkRange?.first ?? 0;
    if (first > 0) {
      const offset = FILE_HEADER_SIZE + (first - 1) * CHUNK_SIZE;
      const prev = new Uint8Array(CHUNK_SIZE);
      const { bytesRead } = await fh.read(prev, 0, CHUNK_SIZE, offset);
      if (hasChunkSignature(prev)) {
        const res = decodeChunk(prev.subarray(0, bytesRead), { file: path, index: first - 1, offset }, { maxRecords: opts.maxRecordsPerChunk });
        leftovers.add({ ...res, records: [], slack: [] });
      }
    }
    if (threads > 1) {
      for await (const list of decodeChunksParallel(src, path, declared, onProblem, threads, decodeOpts, leftovers)) yield list;
    } else {
      for await (const batch of src) {
        for (const i of planBatch(batch, declared, path, onProblem)) {
          const q = i * CHUNK_SIZE;
          const res: ChunkResult = decodeChunk(batch.buf.subarray(q, Math.min(q + CHUNK_SIZE, batch.buf.length)), {
            file: path,
            index: batch.first + i,
            offset: batch.offset + q,
          }, localOpts);
          for (const p of res.problems) onProblem(p);
          leftovers.add(res);
          if (res.records.length) yield res.records;
        }
      }
    }
    const recovered = leftovers.finish(onProblem);
    if (recovered.length) yield recovered;
  } catch (e) {
    onProblem({ file: path, reason: 'unreadable', message: `read failed: ${(e as Error).message}` });
  } finally {
    await fh.close().catch(() => undefined);
  }
}
