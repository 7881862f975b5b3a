/** NDJSON / JSONL: one JSON value per line, streamed in batches with bounded memory. */
import type { EventRecord, ProblemSink } from '../types.js';
import { parseJsonEvents } from './shapes.js';
import { utf8Chunks } from './text-encoding.js';

/** A line longer than this is not an event: it is skipped and reported. */
export const MAX_LINE_BYTES = 16 << 20;

export async function* readNdjson(file: string, onProblem: ProblemSink): AsyncGenerator<EventRecord[]> {
  // The unfinished line carried over from earlier chunks (bytes), and whether it is being skipped.
  let carry: Buffer | undefined;
  let skipping = false;
  let line = 0;
  // UTF-16 files (PowerShell's `>`) arrive transcoded to UTF-8.
  for await (const chunk of utf8Chunks(file)) {
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = undefined;
    const batch: EventRecord[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      line++;
      if (skipping) skipping = false;
      else parseLine(buf, start, nl, file, line, batch, onProblem);
      start = nl + 1;
    }
    if (start < buf.length && !skipping) {
      if (buf.length - start > MAX_LINE_BYTES) {
        onProblem({ file, where: `line ${line + 1}`, reason: 'too-large', message: `line longer than ${MAX_LINE_BYTES} bytes skipped` });
        skipping = true;
      } else {
        // Copied: a view would keep the whole chunk alive.
        carry = Buffer.from(buf.subarray(start));
      }
    }
    if (batch.length) yield batch;
  }
  if (carry && !skipping) {
    const batch: EventRecord[] = [];
    parseLine(carry, 0, carry.length, file, line + 1, batch, onProblem);
    if (batch.length) yield batch;
  }
}

function parseLine(buf: Buffer, start: number, end: number, file: string, line: number, out: EventRecord[], onProblem: ProblemSink): void {
  let e = end;
  if (e > start && buf[e - 1] === 13) e--;
  let s = start;
  if (line === 1 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
  if (e <= s) return;
  const text = buf.toString('utf8', s, e);
  if (text.trim() === '') return;
  parseJsonEvents(text, file, line, out, onProblem);
}
