/**
 * Parsing many Sigma files on every core for a cold start. The files are cut in chunks that this
 * thread and the worker threads take from one shared counter, so that each thread parses as much as
 * its speed allows: this thread also compiles the rules as their chunks come in (see compileRules),
 * and parses less while it does. Each chunk's results go to `onResults` on this thread as soon as
 * they are here (the worker threads' through a message port polled between chunks); the returned
 * list is in file order.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { scanParseResult } from './scan-rule.js';
import { parseSigmaText, type ParseResult, type Placeholders } from '../../formats/sigma/index.js';
import { PARSE_WORKER_URL, type EarlyParsers } from './parse-threads.js';

/** Files per chunk: small enough that no thread waits long for another's last chunk. */
export const CHUNK_FILES = 48;
/** Slots of the shared counters: the next chunk to take; chunks posted by the workers (they notify it). */
export const NEXT = 0;
export const POSTED = 1;
/** How long to wait for a worker's message before looking again (a worker that stopped is noticed then). */
const WAIT_MS = 50;

/** Atomics.waitAsync (Node 16 and later; not in TypeScript's ES2022 library). */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number, timeout: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** What a parser thread is given (see parse-worker.ts). */
export interface ParseWork {
  files: Array<[string, string]>;
  placeholders?: Placeholders;
  chunk: number;
  counters: Int32Array;
  port: MessagePort;
}

/** A parser thread's message: the results of one chunk. */
export interface ChunkMessage {
  chunk: number;
  results: ParseResult[];
}

/** Parses the chunk `c` of `work` (what every parser thread runs). */
export function parseChunk(work: Pick<ParseWork, 'files' | 'placeholders' | 'chunk'>, c: number): ParseResult[] {
  return work.files.slice(c * work.chunk, (c + 1) * work.chunk).map(([path, text]) => scanParseResult(parseSigmaText(text, path, { placeholders: work.placeholders })));
}

/**
 * Parses `files` on this thread and `threads - 1` worker threads. `onResults(from, results)` gets
 * each chunk's results (the files from index `from` on) once, in no set order. A worker that cannot
 * start or stops leaves its chunks to this thread (same results, only slower).
 */
export async function parseInWorkers(files: Array<[string, string]>, placeholders: Placeholders | undefined, threads: number,
  onResults: (from: number, results: ParseResult[]) => void = () => undefined, chunk = CHUNK_FILES, early?: EarlyParsers): Promise<ParseResult[]> {
  const chunks = Math.ceil(files.length / chunk);
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const work = { files, placeholders, chunk };
  const out: Array<ParseResult[] | undefined> = new Array<ParseResult[] | undefined>(chunks);
  let missing = chunks;
  const take = (c: number, results: ParseResult[]): void => {
    if (out[c] || !(c >= 0 && c < chunks) || !Array.isArray(results)) return;
    out[c] = results;
    missing--;
    onResults(c * chunk, results);
  };
  // Threads started early take the work first (they are further on); more are started as needed.
  const ready = early?.workers.splice(0) ?? [];
  const count = Math.max(0, Math.min(threads - 1, chunks - 1));
  for (const extra of ready.splice(count)) void extra.terminate();
  const workers = Array.from({ length: count }, (_, i) => {
    const { port1, port2 } = new MessageChannel();
    const w = { port: port1, stopped: false, worker: undefined as Worker | undefined };
    try {
      const data: ParseWork = { ...work, counters, port: port2 };
      if (ready[i]) {
        w.worker = ready[i];
        ready[i].ref();
        ready[i].postMessage(data, [port2]);
      } else w.worker = new Worker(PARSE_WORKER_URL, { workerData: data, transferList: [port2] });
      w.worker.once('error', () => (w.stopped = true));
      w.worker.once('exit', () => (w.stopped = true));
    } catch {
      w.stopped = true;
    }
    return w;
  });
  const poll = (): void => {
    for (const w of workers) {
      for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) {
        const { chunk: c, results } = m.message as ChunkMessage;
        take(c, results);
      }
    }
  };
  try {
    for (let c = Atomics.add(counters, NEXT, 1); c < chunks; c = Atomics.add(counters, NEXT, 1)) {
      take(c, parseChunk(work, c));
      poll();
    }
    while (missing > 0) {
      const seen = Atomics.load(counters, POSTED);
      poll();
      if (missing === 0) break;
      // A stopped worker's messages were all queued before this thread saw it stop (the flag is set
      // between polls): whatever is still missing was never sent.
      if (workers.every((w) => w.stopped)) {
        out.forEach((r, c) => r || take(c, parseChunk(work, c)));
        break;
      }
      const wait = waitAsync(counters, POSTED, seen, WAIT_MS);
      if (wait.async) await wait.value;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    for (const w of workers) {
      w.port.close();
      void w.worker?.terminate();
    }
  }
  return out.flatMap((r) => r!);
}
