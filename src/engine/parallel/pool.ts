/**
 * Runs scan tasks on this thread and worker threads and hands their results back in task order, so
 * the output is the same as a single-thread scan's. With N threads, N - 1 workers are started and
 * this thread scans too (it only waits for files otherwise). Every thread takes the next task in
 * order when it is free; this thread hands its alerts on as they are found when its task is the
 * next one to emit (else they wait with the workers' results).
 * A worker holds two tasks (it never waits for the next) while more than two are left, else one,
 * so that at the end no thread waits while a task it could take sits in a worker's queue.
 * Workers are started before the rules are read (startScanWorkers, once the rule files are
 * listed), so that their start-up (a Node environment, the modules) runs while this thread loads
 * the rules; they get the compiled rules in their first message and their first tasks with it
 * (startPool), before this thread has finished loading (its own Elastic runner): they take the
 * first tasks and scan while it loads.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, PlanBuffer, TaskResult, WorkerInit } from './messages.js';
import type { ScanTask } from './tasks.js';
import { startWithSemiSpace } from './young-generation.js';
import { isElasticRuleFile } from '../rule-files.js';

export type { TaskResult };

const WORKER_URL = new URL('./worker.js', import.meta.url);
const IN_FLIGHT = 2;
/**
 * Semi-space of a worker's young generation, MiB (see young-generation.ts: until this was set
 * through the process flag, every worker ran with the shebang's 64 whatever resourceLimits said).
 * A worker's objects are short-lived (one chunk's records), so a small young generation costs few
 * promotions. 2-thread scans of the 256 MiB bench file with all SigmaHQ rules, 3 runs each on a
 * loaded machine (peak RSS; CPU user+sys of the process): 8: 397-414 MB, 8.0-8.7 s; 16: 417-426 MB,
 * 7.5-8.7 s; 32: 431-441 MB, 7.0-9.3 s; 64: 492-507 MB, 7.3-8.7 s. The worker thread's own CPU time
 * measured the same with 8 and 64 (2.3-2.4 s); the extra, if any, is in V8's GC helper threads.
 * 8 kept two threads within 1.3x the memory of one (one thread: 308-335 MB) on that machine.
 * 4 against 8, later, on an idle machine (the same file and rules): peak RSS 372-381 MB against
 * 381-393, lower in each of 11 alternated pairs; the worker thread's CPU 1.96-2.05 s against
 * 2.01-2.24 (lower in 4 of 5 timed pairs), V8's helper threads and the scan time the same within
 * noise. 2 was worse on every count (4 pairs: the worker +0.1 to +0.5 s, helpers +0.6 to +1.0 s,
 * RSS +5 to +13 MB): with semi-spaces that small, objects still alive at a scavenge are promoted
 * to the old generation. A smaller young generation also touches fewer fresh pages, and a first
 * touch is dear on this VM (about 12 us a page: filling 46 MB of new memory took 144 ms).
 */
export const WORKER_SEMI_SPACE_MB = 4;
/**
 * The same with Elastic rules in the scan, MiB: a worker then builds an ECS document per event and
 * holds the part the stateful rules read until its task ends, and an 8 MiB young generation is
 * scavenged all the time with much of it still alive (Sigma + Elastic Windows rules, 256 MiB bench
 * file, 2 threads, --trace-gc: 174 scavenges, 4.3 s of pauses on a loaded machine; with 32 MiB: 44, 1.4 s).
 * 64, the main thread's (the shebang's), against 32: the 1 GiB bench file, 2 threads, 3 alternated
 * pairs, 29,613-31,094 events/s against 23,445-28,914 (each pair faster), peak RSS 704-725 MB against
 * 646-845; the 256 MiB file, 4 pairs: 21,249-21,832 against 20,213-21,488. 128 was no faster.
 */
export const ELASTIC_WORKER_SEMI_SPACE_MB = 64;

/**
 * Old generation limit of a Sigma-only scan's worker, MiB (V8's default here: 4,096). V8 lets a heap
 * grow by a factor that depends on this limit before its next full collection: 4x at 2 GiB and
 * more, about 1.6x at 1 GiB. A worker promotes much short-lived garbage (its young generation is
 * small) and, at 4x, its heap grew from 39 MB live to 64 MB between full collections; at 1 GiB it
 * stays under about 50 (2-thread scans of the 256 MiB bench file with all SigmaHQ rules: peak RSS
 * 366-379 MB against 382-389 MB, 7 alternated runs each on a loaded machine; the worker then makes
 * 5 full collections instead of 1, and the process's CPU time measured 7.05 s against 6.67 s on
 * average, within that machine's noise). A Sigma worker holds the compiled rules (about 40 MB) and one
 * task's events and alerts (an .evtx task is 8 MiB of chunks); Elastic workers keep V8's limit.
 */
export const WORKER_MAX_OLD_MB = 1024;

/**
 * The workers' old generation limit for a scan of these rule files and tasks (undefined: V8's
 * default). Only when every task is a range of .evtx chunks (at most CHUNKS_PER_TASK, 8 MiB): a whole
 * file as one task (a large JSON or NDJSON file) may hold far more events and alerts at once.
 */
export function workerMaxOldMb(ruleFiles: string[], tasks: ScanTask[]): number | undefined {
  if (ruleFiles.some(isElasticRuleFile)) return undefined;
  return tasks.every((t) => t.range !== undefined) ? WORKER_MAX_OLD_MB : undefined;
}

/** The workers' semi-space for a scan of these rule files (Elastic rules are .toml files). */
export function workerSemiSpaceMb(ruleFiles: string[]): number {
  return ruleFiles.some(isElasticRuleFile) ? ELASTIC_WORKER_SEMI_SPACE_MB : WORKER_SEMI_SPACE_MB;
}

/** Scan workers started ahead of their rules; `failure` and `exited` note what happened before runPool watched them. */
export interface ScanWorkers {
  workers: Worker[];
  failure?: Error;
  exited: Set<Worker>;
  /** The plan sent to the workers before it was checked (sendEarlyPlan). */
  early?: PlanBuffer;
  /** Their young generation's semi-space, MiB. */
  semiSpaceMb: number;
  /** Their old generation's limit, MiB (undefined: V8's default). */
  maxOldMb?: number;
}

function spawn(started: ScanWorkers, count: number): void {
  // A young generation of semi-spaces n MiB each: V8 sizes it 3n (two semi-spaces, one large-object space).
  const resourceLimits = { maxYoungGenerationSizeMb: 3 * started.semiSpaceMb, ...(started.maxOldMb ? { maxOldGenerationSizeMb: started.maxOldMb } : {}) };
  started.workers = startWithSemiSpace(started.semiSpaceMb, () => Array.from({ length: Math.max(0, count) }, () => new Worker(WORKER_URL, { resourceLimits })));
  for (const w of started.workers) {
    w.on('error', (e) => (started.failure ??= e));
    w.once('exit', () => started.exited.add(w));
  }
}

export function startScanWorkers(count: number, semiSpaceMb = WORKER_SEMI_SPACE_MB, maxOldMb?: number): ScanWorkers {
  const started: ScanWorkers = { workers: [], exited: new Set(), semiSpaceMb, maxOldMb };
  spawn(started, count);
  return started;
}

/**
 * Sends the workers a plan read from the rule cache before this thread has checked it, so that
 * they rebuild their matchers meanwhile (see worker.ts). runPool's `init` without a plan then tells
 * them to use it: only when the check passed (compileRules returned this very buffer as a hit).
 */
export function sendEarlyPlan(started: ScanWorkers, plan: PlanBuffer): void {
  started.early = plan;
  for (const w of started.workers) w.postMessage({ type: 'plan', plan });
}

/**
 * The plan for runPool's `init`, once this thread has its rules: none when the workers were sent
 * this very buffer early (it passed its checks); else `plan`, and workers that were sent another one
 * early (it failed its checks, it must never be matched with) are replaced by new ones first.
 */
export async function planForWorkers(started: ScanWorkers, plan: PlanBuffer): Promise<PlanBuffer | undefined> {
  if (started.early && started.early.blob === plan.blob) return undefined;
  if (started.early) await restartScanWorkers(started);
  return plan;
}

/** Replaces the workers by new ones (they were sent a plan that failed its check: it must not run). */
async function restartScanWorkers(started: ScanWorkers): Promise<void> {
  const count = started.workers.length;
  await stopScanWorkers(started.workers);
  started.failure = undefined;
  started.early = undefined;
  spawn(started, count);
}

/** Stops workers that runPool will not use (the scan ended before its tasks, or with fewer tasks). */
export async function stopScanWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.terminate()));
}

export interface PoolOptions {
  /** A task was scanned (by any thread; its result may still wait for its turn): for progress. */
  onDone?: (r: TaskResult) => void;
  /**
   * This thread takes a task only once every worker was sent its first one (tests: the workers
   * surely scan, else this thread may take every task of a small input before they are ready).
   */
  workersFirst?: boolean;
}

/** Scans one task on this thread; `inOrder`: it is the next task to emit (its alerts may be handed on at once). */
export type LocalScan = (task: ScanTask, inOrder: boolean) => Promise<TaskResult>;

/** A pool whose workers were sent their first tasks (startPool); `run` adds this thread and waits for the end. */
export interface StartedPool {
  run(local: LocalScan, onResult: (r: TaskResult) => void): Promise<void>;
}

/** Runs the tasks on the workers and this thread (startPool, then run at once). */
export async function runPool(
  started: ScanWorkers,
  init: WorkerInit,
  tasks: ScanTask[],
  local: LocalScan,
  onResult: (r: TaskResult) => void,
  opts: PoolOptions = {},
): Promise<void> {
  return startPool(started, init, tasks, opts).run(local, onResult);
}

/**
 * Sends the workers `init` and their first tasks at once, without waiting for this thread: a scan
 * calls it as soon as the workers' plan is settled, so that they scan while this thread still
 * builds what it alone needs (its Elastic runner). Results that come before `run` wait in order.
 */
export function startPool(started: ScanWorkers, init: WorkerInit, tasks: ScanTask[], opts: PoolOptions = {}): StartedPool {
  const pending = new Map<number, TaskResult>();
  let nextToEmit = 0;
  let nextToSend = 0;
  const workers: Worker[] = [];
  let onResult: ((r: TaskResult) => void) | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const emit = (): void => {
    // Before `run`, results wait (this thread has not built its alert sink yet).
    while (onResult && pending.has(nextToEmit)) {
      const r = pending.get(nextToEmit)!;
      pending.delete(nextToEmit++);
      onResult(r);
    }
    notify();
  };
  /** Workers sent no task yet. */
  const unfed = new Set<Worker>();
  const feed = (w: Worker, load: { n: number }): void => {
    while (load.n < IN_FLIGHT && nextToSend < tasks.length && (load.n === 0 || tasks.length - nextToSend > IN_FLIGHT)) {
      w.postMessage({ type: 'task', task: tasks[nextToSend++] });
      load.n++;
      unfed.delete(w);
    }
    notify();
  };
  const exited: Array<Promise<void>> = [];
  let closing = false;
  // More workers than tasks to share: the extra ones are stopped.
  const extra = stopScanWorkers(started.workers.slice(Math.max(0, tasks.length - 1)));
  workers.push(...started.workers.slice(0, Math.max(0, tasks.length - 1)));
  let failure: Error | undefined = started.failure;
  for (const w of workers) unfed.add(w);
  for (const w of workers) {
    const load = { n: 0 };
    w.on('message', (m: FromWorker) => {
      if (m.type === 'fatal') {
        failure ??= new Error(`scan worker: ${m.message}`);
        notify();
        return;
      }
      if (m.type === 'result') {
        load.n--;
        opts.onDone?.(m);
        pending.set(m.id, m);
        emit();
      }
      feed(w, load);
    });
    w.on('error', (e) => {
      failure ??= e;
      notify();
    });
    exited.push(new Promise((res) => {
      const gone = (code: number | string): void => {
        if (!closing) {
          failure ??= new Error(`scan worker stopped before its tasks were done (exit code ${code})`);
          notify();
        }
        res();
      };
      if (started.exited.has(w)) gone('unknown');
      else w.once('exit', gone);
    }));
    w.postMessage({ type: 'init', init });
    // Its first tasks now: the worker queues them until its rules are ready.
    if (!failure) feed(w, load);
  }

  async function run(local: LocalScan, sink: (r: TaskResult) => void): Promise<void> {
    onResult = sink;
    try {
      await extra;
      emit();
      while (opts.workersFirst && !failure && unfed.size && nextToSend < tasks.length) {
        await new Promise<void>((res) => (wake = res));
      }
      // This thread takes the next task whenever it is free; then waits for the workers' last results.
      while (!failure && nextToSend < tasks.length) {
        const task = tasks[nextToSend++];
        // The next to emit: `local` hands its alerts on itself.
        const r = await local(task, task.id === nextToEmit);
        opts.onDone?.(r);
        pending.set(r.id, r);
        emit();
      }
      while (!failure && nextToEmit < tasks.length) {
        await new Promise<void>((res) => (wake = res));
      }
    } finally {
      closing = true;
      for (const w of workers) w.postMessage({ type: 'done' });
      if (failure) for (const w of workers) void w.terminate();
      await Promise.all(exited);
    }
    if (failure) throw failure;
  }
  return { run };
}
