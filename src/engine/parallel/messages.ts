/** Messages between the scan's main thread and its workers (structured-cloned). */
import type { ReadProblem } from '../../events/types.js';
import type { PlacedEvent } from '../file-scan.js';
import type { Alert } from '../alert.js';
import type { Hit } from '../correlation.js';
import type { ScanTask } from './tasks.js';

/**
 * The compiled rules (see cache/rule-cache.ts): a shared buffer, read in place, and its key. Its
 * Elastic rules are the worker's: it runs their stateless part (see elastic/runner.ts).
 */
export interface PlanBuffer {
  blob: Uint8Array;
  key: string;
}

export interface WorkerInit {
  /** Absent: use the plan sent ahead in a `plan` message (the main thread has checked it since). */
  plan?: PlanBuffer;
  minLevel?: string;
}

/**
 * `plan` may come first: a plan read from the rule cache, not checked yet, to rebuild while the main
 * thread checks it. `init` then (the worker is started before the rules are loaded), and tasks
 * after the worker's `ready`.
 */
export type ToWorker = { type: 'plan'; plan: PlanBuffer } | { type: 'init'; init: WorkerInit } | { type: 'task'; task: ScanTask } | { type: 'done' };

export type TaskResult = {
  type: 'result'; id: number; events: number; alerts: Alert[]; hits: Hit[]; untimed: number; problems: ReadProblem[];
  /** Events for the main thread's stateful Elastic rules, with their places among `alerts`. */
  ordered: PlacedEvent[];
  /** Problem lines of Elastic rules that failed on this task's events. */
  notes: string[];
};

export type FromWorker =
  | { type: 'ready' }
  | TaskResult
  | { type: 'fatal'; message: string };
