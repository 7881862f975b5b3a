/**
 * Splitting a scan into tasks for worker threads: one task per file, and large .evtx files cut
 * into ranges of chunks (chunks are independent). Task order is output order.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import type { ChunkRange } from '../../events/read.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from '../../events/evtx/index.js';

export interface ScanTask {
  id: number;
  file: string;
  range?: ChunkRange;
  /** Bytes, to balance and report progress. */
  bytes: number;
  /** Also scan the deleted records carved from .evtx chunk slack (--recover). */
  recover?: boolean;
}

/** Chunks per task of a large .evtx file: 8 MiB. */
export const CHUNKS_PER_TASK = 128;
/**
 * The last tasks of a scan are cut smaller (halves, then quarters, each at least one chunk): at the
 * end, a thread that is done waits for the others' last task, so the smaller that task the shorter the wait.
 */
export const TAIL_TASKS = 4;

export function planTasks(files: string[], chunksPerTask = CHUNKS_PER_TASK): ScanTask[] {
  const tasks: ScanTask[] = [];
  for (const file of files) {
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      // Reported by the reader when the task runs.
    }
    const chunks = Math.ceil(Math.max(0, size - FILE_HEADER_SIZE) / CHUNK_SIZE);
    if (extname(file).toLowerCase() === '.evtx' && chunks > chunksPerTask) {
      for (let first = 0; first < chunks; first += chunksPerTask) {
        const count = Math.min(chunksPerTask, chunks - first);
        tasks.push({ id: tasks.length, file, range: { first, count }, bytes: count * CHUNK_SIZE });
      }
      if (file === files[files.length - 1]) cutTail(tasks);
    } else {
      tasks.push({ id: tasks.length, file, bytes: size });
    }
  }
  return tasks;
}

/** Cuts the last range task in halves, then the last half in halves..., down to TAIL_TASKS tasks of the file's end. */
function cutTail(tasks: ScanTask[]): void {
  const last = tasks.pop()!;
  const cut: ScanTask[] = [];
  let { first, count } = last.range!;
  while (cut.length < TAIL_TASKS - 1 && count > 1) {
    const half = Math.ceil(count / 2);
    cut.push({ id: 0, file: last.file, range: { first, count: half }, bytes: half * CHUNK_SIZE });
    first += half;
    count -= half;
  }
  cut.push({ id: 0, file: last.file, range: { first, count }, bytes: count * CHUNK_SIZE });
  for (const t of cut) tasks.push({ ...t, id: tasks.length });
}

/** Total bytes above which worker threads pay for their start-up (each compiles the rules). */
export const PARALLEL_MIN_BYTES = 64 << 20;
