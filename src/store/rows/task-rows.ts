/**
 * The rows of one part of an event file (a whole file, or a range of an .evtx file's chunks):
 * read, flattened and built into store rows (event-row.ts). The one place rows are made, on the
 * main thread (one thread) or in an ingest worker; `seq` counts from 0 within the part.
 */
import { flattenEvent } from '../../events/normalize.js';
import { readEventFile } from '../../events/read.js';
import type { ProblemSink } from '../../events/types.js';
import type { ScanTask } from '../../engine/parallel/tasks.js';
import { eventRow, type EventRow, type EventRowOptions } from '../event-row.js';

/** Rows per batch handed on (and per message from a worker). */
export const ROW_BATCH = 2048;

export async function* taskRows(task: ScanTask, onProblem: ProblemSink, opts: EventRowOptions = {}): AsyncGenerator<EventRow[]> {
  let rows: EventRow[] = [];
  let seq = 0;
  for await (const batch of readEventFile(task.file, onProblem, task.range)) {
    for (const rec of batch) rows.push(eventRow(flattenEvent(rec), seq++, opts));
    if (rows.length >= ROW_BATCH) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length) yield rows;
}
