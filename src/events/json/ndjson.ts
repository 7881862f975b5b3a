/** NDJSON / JSONL: one JSON value per line, streamed in batches with bounded memory. */
import { createReadStream } from 'node:fs';
import type { EventRecord, ProblemSink } from '../types.js';
import { toEventRecord } from './shapes.js';

/** A line longer than this is not an event: it is skipped and reported. */
export const MAX_LINE_BYTES = 16 << 20;

export async function* readNdjson(file: string, onProblem: ProblemSink): AsyncGenerator<EventRecord[]> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let carry: Buffer[] = [];
  let carryLen = 0;
  let skipping = false;
  let line = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const batch: EventRecord[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      line++;
      if (skipping) {
        skipping = false;
      } else {
        const piece = chunk.subarray(start, nl);
        const buf = carryLen ? Buffer.concat([...carry, piece]) : piece;
        parseLine(buf, file, line, batch, onProblem);
      }
      carry = [];
      carryLen = 0;
      start = nl + 1;
    }
    if (start < chunk.length && !skipping) {
      carry.push(chunk.subarray(start));
      carryLen += chunk.length - start;
      if (carryLen > MAX_LINE_BYTES) {
        onProblem({ file, where: `line ${line + 1}`, reason: 'too-large', message: `line longer than ${MAX_LINE_BYTES} bytes skipped` });
        skipping = true;
        carry = [];
        carryLen = 0;
      }
    }
    if (batch.length) yield batch;
  }
  if (carryLen && !skipping) {
    const batch: EventRecord[] = [];
    parseLine(Buffer.concat(carry), file, line + 1, batch, onProblem);
    if (batch.length) yield batch;
  }
}

function parseLine(buf: Buffer, file: string, line: number, out: EventRecord[], onProblem: ProblemSink): void {
  let text = buf.toString('utf8');
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    onProblem({ file, where: `line ${line}`, reason: 'invalid-json', message: (e as Error).message });
    return;
  }
  const values = Array.isArray(v) ? v : [v];
  for (const value of values) {
    const rec = toEventRecord(value, file, `line ${line}`);
    if (typeof rec === 'string') onProblem({ file, where: `line ${line}`, reason: 'not-an-event', message: rec });
    else out.push(rec);
  }
}
