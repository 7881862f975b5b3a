/** Messages between ingest and its row workers (structured-cloned). */
import type { ReadProblem } from '../../events/types.js';
import type { ScanTask } from '../../engine/parallel/tasks.js';
import type { EventRow } from '../event-row.js';

export type ToRowWorker = { type: 'task'; task: ScanTask } | { type: 'ack' } | { type: 'done' };

export type FromRowWorker =
  | { type: 'rows'; id: number; rows: EventRow[] }
  | { type: 'end'; id: number; problems: ReadProblem[] }
  | { type: 'fatal'; message: string };
