/**
 * Finds the event files under the given paths and streams their events in batches, choosing the
 * reader by extension: .evtx (binary), .json (one value, an array, or values back to back),
 * .jsonl / .ndjson (one value per line). Problems are reported, never thrown.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
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
  const files: string[] = [];
  const unreadable: string[] = [];
  const walk = (p: string, explicit: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      unreadable.push(p);
      onProblem({ file: p, reason: 'unreadable', message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message });
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(p).sort();
      } catch (e) {
        unreadable.push(p);
        onProblem({ file: p, reason: 'unreadable', message: (e as Error).message });
        return;
      }
      for (const n of names) walk(join(p, n), false);
    } else if (EVENT_EXTENSIONS.includes(extname(p).toLowerCase())) {
      files.push(p);
    } else if (explicit) {
      // A file named on the command line is read even with another extension: sniffed as JSON lines.
      files.push(p);
    }
  };
  for (const p of paths) walk(p, true);
  return { files, unreadable };
}

/** The events of one file in batches; `chunkRange` reads part of an .evtx file (for splitting it across threads). */
export function readEventFile(file: string, onProblem: ProblemSink, chunkRange?: ChunkRange): AsyncGenerator<EventRecord[]> {
  const ext = extname(file).toLowerCase();
  if (ext === '.evtx') return readEvtxBatches(file, onProblem, chunkRange);
  if (ext === '.json') return readConcatenatedJson(file, onProblem);
  return readNdjson(file, onProblem);
}
