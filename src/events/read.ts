/**
 * Finds the event files under the given paths and streams their events in batches, choosing the
 * reader by extension: .evtx (binary), .json (one value, an array, or values back to back),
 * .jsonl / .ndjson (one value per line). Problems are reported, never thrown.
 */
import { extname } from 'node:path';
import { collectFiles } from '../util/walk-files.js';
import type { EventRecord, ProblemSink } from './types.js';
import { readNdjson } from './json/ndjson.js';
import { readConcatenatedJson } from './json/concatenated.js';
import { type ChunkRange, readEvtxBatches } from './evtx-batches.js';

export type { ChunkRange };

export const EVENT_EXTENSIONS = ['.evtx', '.json', '.jsonl', '.ndjson'];

export interface FileList {
  files: string[];
  /** Paths that do not exist or cannot be read. */
  unreadable: string[];
}

/** Event files under `paths` (folders recursively, sorted for reproducible output). */
export function listEventFiles(paths: string[], onProblem: ProblemSink): FileList {
  const unreadable: string[] = [];
  const files = collectFiles(paths, (name) => EVENT_EXTENSIONS.includes(extname(name).toLowerCase()), (file, message) => {
    unreadable.push(file);
    onProblem({ file, reason: 'unreadable', message });
  });
  return { files, unreadable };
}

/**
 * The events of one file in batches; `chunkRange` reads part of an .evtx file (for splitting it
 * across threads); `recover` also yields an .evtx file's deleted records carved from chunk slack,
 * marked `recovered`, after its live records. `flat`: .evtx records come already flattened for
 * matching (EventRecord.flat) and render their `event` only when it is read (scans). `batchChunks`:
 * .evtx chunks read from the file at once (the reader's default when unset).
 */
export function readEventFile(file: string, onProblem: ProblemSink, chunkRange?: ChunkRange, recover = false, flat = false, batchChunks?: number): AsyncGenerator<EventRecord[]> {
  const ext = extname(file).toLowerCase();
  if (ext === '.evtx') return readEvtxBatches(file, onProblem, chunkRange, recover, flat, batchChunks);
  if (ext === '.json') return readConcatenatedJson(file, onProblem);
  return readNdjson(file, onProblem);
}
