/** Messages between the scan's main thread and its workers (structured-cloned). */
import type { ReadProblem } from '../../events/types.js';
import type { Alert } from '../alert.js';
import type { Hit } from '../correlation.js';
import type { ScanTask } from './tasks.js';

export interface WorkerInit {
  /** The compiled rules (see cache/rule-cache.ts): a shared buffer, read in place, and its key. */
  plan: { blob: Uint8Array; key: string };
  minLevel?: string;
}

export type ToWorker = { type: 'task'; task: ScanTask } | { type: 'done' };

export type TaskResult = { type: 'result'; id: number; events: number; alerts: Alert[]; hits: Hit[]; untimed: number; problems: ReadProblem[] };

export type FromWorker =
  | { type: 'ready' }
  | TaskResult
  | { type: 'fatal'; message: string };
