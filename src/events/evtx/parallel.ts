/**
 * Parallel chunk decoding on worker threads. Chunks are independent (templates and names are per
 * chunk), so batches of chunks go to a small shared pool of workers; results come back and are
 * yielded in file order, with a bounded number of batches in flight.
 */

import { Worker } from 'node:worker_threads';
import type { EventRecord, ProblemSink } from '../types.js';
import { decodeChunk, type ChunkResult, type DecodeChunkOptions } from './chunk.js';
import type { Leftovers } from './leftovers.js';
import { CHUNK_SIZE } from './file-header.js';
import type { ChunkBatch } from './reader.js';
import { planBatch } from './reader.js';

export interface DecodeJob {
  id: number;
  file: string;
  buf: Uint8Array;
  first: number;
  offset: number;
  indices: number[];
  opts: DecodeChunkOptions;
  countOnly?: boolean;
}

export interface DecodeReply {
  id: number;
  /** JSON of ChunkResult[]. */
  json: string;
  /** Records decoded (countOnly jobs). */
  count: number;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, { resolve: (r: DecodeReply) => void; reject: (e: Error) => void }>;
}

let nextId = 1;
const pool: PoolWorker[] = [];

function spawn(): PoolWorker {
  // A larger young generation: decoding allocates many short-lived objects (fewer scavenges).
  const worker = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  const pw: PoolWorker = { worker, pending: new Map() };
  worker.unref();
  worker.on('message', (r: DecodeReply) => {
    const p = pw.pending.get(r.id);
    pw.pending.delete(r.id);
    if (pw.pending.size === 0) worker.unref();
    p?.resolve(r);
  });
  const fail = (e: Error) => {
    for (const p of pw.pending.values()) p.reject(e);
    pw.pending.clear();
    const i = pool.indexOf(pw);
    if (i >= 0) pool.splice(i, 1);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`decoder worker exited with code ${code}`)));
  return pw;
}

function submit(job: DecodeJob, threads: number): Promise<DecodeReply> {
  while (pool.length < threads) pool.push(spawn());
  let best = pool[0];
  for (let i = 1; i < threads; i++) if (pool[i].pending.size < best.pending.size) best = pool[i];
  return new Promise((resolve, reject) => {
    best.pending.set(job.id, { resolve, reject });
    best.worker.ref();
    best.worker.postMessage(job, [job.buf.buffer as ArrayBuffer]);
  });
}

/** Stops the shared workers (tests and benchmarks call this; normal runs let them idle, unref'd). */
export async function closeDecoderPool(): Promise<void> {
  const ws = pool.splice(0, pool.length);
  await Promise.all(ws.map((w) => w.worker.terminate()));
}

interface InFlight {
  first: number;
  chunks: number;
  /** A worker's reply, or the results decoded on this thread. */
  reply?: Promise<DecodeReply>;
  local?: ChunkResult[];
}

/** Decodes batches on `threads` workers and yields their records in file order (a list per batch); leftovers go to `leftovers`. */
export async function* decodeChunksParallel(
  src: AsyncIterable<ChunkBatch>,
  file: string,
  declaredChunks: number,
  onProblem: ProblemSink,
  threads: number,
  opts: DecodeChunkOptions,
  leftovers: Leftovers,
): AsyncGenerator<EventRecord[]> {
  for await (const r of runParallel(src, file, declaredChunks, onProblem, threads, opts, false)) {
    for (const c of r.results) leftovers.add(c);
    if (r.records.length) yield r.records;
  }
}

function decodeLocally(batch: ChunkBatch, indices: number[], file: string, opts: DecodeChunkOptions): ChunkResult[] {
  return indices.map((i) => {
    const q = i * CHUNK_SIZE;
    return decodeChunk(batch.buf.subarray(q, Math.min(q + CHUNK_SIZE, batch.buf.length)), { file, index: batch.first + i, offset: batch.offset + q }, opts);
  });
}

/**
 * Decodes batches with `threads` decoding threads: threads - 1 workers plus this thread, which
 * decodes a batch itself whenever the workers have enough queued (shipping records back from a
 * worker costs about a third of decoding them, so this thread is better used decoding than
 * waiting). Yields per-batch results in file order (countOnly: records are counted, not returned).
 */
export async function* runParallel(
  src: AsyncIterable<ChunkBatch>,
  file: string,
  declaredChunks: number,
  onProblem: ProblemSink,
  threads: number,
  opts: DecodeChunkOptions,
  countOnly: boolean,
): AsyncGenerator<{ records: EventRecord[]; results: ChunkResult[]; count: number }> {
  const workers = Math.max(1, threads - 1);
  const queue: InFlight[] = [];
  let remote = 0;
  const perWorker = 4; // jobs queued per worker, so that it never waits for this thread
  const drain = async function* (): AsyncGenerator<{ records: EventRecord[]; results: ChunkResult[]; count: number }> {
    const f = queue.shift()!;
    let results: ChunkResult[];
    let count = 0;
    if (f.local) {
      results = f.local;
      for (const r of results) count += r.records.length;
      if (countOnly) results = results.map((r) => ({ ...r, records: [], slack: r.slack.map(({ id, time }) => ({ id, time })) }));
    } else {
      remote--;
      let reply: DecodeReply;
      try {
        reply = await f.reply!;
      } catch (e) {
        onProblem({
          file,
          where: `chunks ${f.first}-${f.first + f.chunks - 1}`,
          reason: 'worker-failed',
          message: `decoder worker failed: ${(e as Error).message}`,
        });
        return;
      }
      results = JSON.parse(reply.json) as ChunkResult[];
      count = reply.count;
      for (const r of results) {
        for (const p of r.problems) p.file = file;
        for (const rec of r.records) rec.file = file;
        for (const s of r.slack) if (s.record) s.record.file = file;
      }
    }
    const records: EventRecord[] = [];
    for (const r of results) {
      for (const p of r.problems) onProblem(p);
      for (const rec of r.records) records.push(rec);
    }
    yield { records, results, count };
  };
  for await (const batch of src) {
    const indices = planBatch(batch, declaredChunks, file, onProblem);
    if (!indices.length) continue;
    const chunks = Math.ceil(batch.buf.length / CHUNK_SIZE);
    if (remote < workers * perWorker || threads < 2) {
      const job: DecodeJob = { id: nextId++, file, buf: batch.buf, first: batch.first, offset: batch.offset, indices, opts, countOnly };
      queue.push({ first: batch.first, chunks, reply: submit(job, workers) });
      remote++;
    } else {
      queue.push({ first: batch.first, chunks, local: decodeLocally(batch, indices, file, opts) });
    }
    // Yield what is ready in order; keep the window bounded.
    while (queue.length && (queue[0].local || queue.length > workers * perWorker + 2)) yield* drain();
  }
  while (queue.length) yield* drain();
}
