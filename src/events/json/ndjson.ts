/** NDJSON / JSONL: one JSON value per line, streamed in batches with bounded memory. */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { EventRecord, ProblemSink } from '../types.js';
import { parseJsonEvents } from './shapes.js';

/** A line longer than this is not an event: it is skipped and reported. */
export const MAX_LINE_CHARS = 16 << 20;

export async function* readNdjson(file: string, onProblem: ProblemSink): AsyncGenerator<EventRecord[]> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let skipping = false;
  let line = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = decoder.write(chunk);
    const batch: EventRecord[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      line++;
      if (skipping) skipping = false;
      else parseLine(carry ? carry + text.slice(start, nl) : text.slice(start, nl), file, line, batch, onProblem);
      carry = '';
      start = nl + 1;
    }
    if (start < text.length && !skipping) {
      carry += text.slice(start);
      if (carry.length > MAX_LINE_CHARS) {
        onProblem({ file, where: `line ${line + 1}`, reason: 'too-large', message: `line longer than ${MAX_LINE_CHARS} characters skipped` });
        skipping = true;
        carry = '';
      }
    }
    if (batch.length) yield batch;
  }
  carry += decoder.end();
  if (carry && !skipping) {
    const batch: EventRecord[] = [];
    parseLine(carry, file, line + 1, batch, onProblem);
    if (batch.length) yield batch;
  }
}

function parseLine(raw: string, file: string, line: number, out: EventRecord[], onProblem: ProblemSink): void {
  let text = raw;
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0 || text.trim() === '') return;
  parseJsonEvents(text, file, line, out, onProblem);
}
