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

/**
 * Input from which a scan on 2 cores uses both by default. A worker thread costs about a CPU second
 * before it runs at full speed (its modules, the plan restored, its own JIT warm-up), and this VM's
 * 2 vCPUs give 1.35-1.5x one core's work when both run. All SigmaHQ rules, warm cache, alternated
 * runs, 1 thread against 2 (s): 64 MiB 1.67-2.09 / 2.16-2.19 (3 of 3 slower with 2); 128 MiB
 * 2.19-2.36 / 2.50-2.79 (3 of 3); 256 MiB: 2 threads 0.91-0.97x the events/s of 1 (6 rounds of
 * `npm run bench -- scale`); 512 MiB 4.39-4.58 / 4.17-4.60. Windows Sigma + Elastic rules (more
 * work per event, so the start-up is repaid sooner): 256 MiB 5.10-5.31 / 5.47-6.11 (4 of 4 slower),
 * though 0.9-1.1x as the VM's speed changed; 512 MiB 9.21-11.29 / 7.72-9.94 (3 of 3 faster);
 * 1 GiB 1.14x (Sigma) and 1.27x (both), 3 rounds each. Peak RSS is 1.3x with 2.
 */
export const PARALLEL_MIN_BYTES_2_CORES = 384 << 20;
/**
 * The same for a 2-core scan split by stage (no Elastic rules: decode-thread.ts), whose second thread
 * starts sooner (it holds no rules) and warms up only the reader. All SigmaHQ rules, warm cache,
 * alternated CLI runs, 1 thread against 2 (s): 128 MiB 1.85/1.80/1.49 against 1.90/1.64/1.68; 192 MiB
 * 2.43/2.35/2.20/2.15/2.25 against 2.66/2.25/2.12/2.25/2.35 (2 of 5 faster); 256 MiB: 3 of 4 pairs
 * faster (2.31-2.80 s against 2.58-2.83), 6 of 6 in an earlier series (3.16-3.52 against 3.40-4.05);
 * `npm run bench -- scale` (5 rounds, after the wire and reader changes of the same day): 2 threads
 * gave 0.97-1.37x the events/s of 1 (median 1.17), one round of five below 1.
 */
export const STAGE_SPLIT_MIN_BYTES_2_CORES = 256 << 20;
/** The least input for which more threads are used by default, however many cores. */
export const PARALLEL_MIN_BYTES = 64 << 20;

/**
 * Threads for a scan of totalBytes when the user gives none: every core once the input repays their
 * start-up, else 1. Each worker's start-up runs beside the others' while the scan's work is divided
 * among them, so the more cores, the smaller the input that repays them: the 2-core threshold
 * scaled by 2 / cores (192 MiB on 4, 96 on 8), never below PARALLEL_MIN_BYTES. Only the 2-core
 * figure was measured (above); the scaling is that reasoning, not a measurement. `stageSplit`: the
 * scan would be split by stage with 2 threads (then STAGE_SPLIT_MIN_BYTES_2_CORES on 2 cores).
 */
export function defaultThreads(totalBytes: number, cores: number, stageSplit = false): number {
  if (cores < 2) return 1;
  if (cores === 2 && stageSplit) return totalBytes >= STAGE_SPLIT_MIN_BYTES_2_CORES ? 2 : 1;
  const min = Math.max(PARALLEL_MIN_BYTES, Math.round((PARALLEL_MIN_BYTES_2_CORES * 2) / cores));
  return totalBytes >= min ? cores : 1;
}
