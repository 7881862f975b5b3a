/** Test helper: reads an .evtx file whole, keeping notices (leftover records in chunk slack) apart from the problems. */
import { readEvtxFile, type ReadEvtxOptions } from '../../../src/events/evtx/index.js';
import { type EventRecord, NOTICE_REASONS, type ReadProblem } from '../../../src/events/types.js';

export async function readAll(path: string, opts: ReadEvtxOptions = {}): Promise<{ records: EventRecord[]; problems: ReadProblem[]; notices: ReadProblem[] }> {
  const problems: ReadProblem[] = [];
  const notices: ReadProblem[] = [];
  const records: EventRecord[] = [];
  for await (const r of readEvtxFile(path, (p) => (NOTICE_REASONS.has(p.reason) ? notices : problems).push(p), opts)) records.push(r);
  return { records, problems, notices };
}
