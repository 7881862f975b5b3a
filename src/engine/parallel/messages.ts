/** Messages between the scan's main thread and its workers (structured-cloned). */
import type { Rule } from '../../model/index.js';
import type { ReadProblem } from '../../events/types.js';
import type { Alert } from '../alert.js';
import type { Hit } from '../correlation.js';
import type { ScanTask } from './tasks.js';

export interface WorkerInit {
  detections: Rule[];
  correlations: Rule[];
  minLevel?: string;
}

export type ToWorker = { type: 'task'; task: ScanTask } | { type: 'done' };

export type FromWorker =
  | { type: 'ready'; loaded: number; skipped: Array<{ path: string; reason: string; message: string }> }
  | { type: 'result'; id: number; events: number; alerts: Alert[]; hits: Hit[]; untimed: number; problems: ReadProblem[] }
  | { type: 'fatal'; message: string };
