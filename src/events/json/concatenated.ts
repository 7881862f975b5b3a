/**
 * .json files: one event, an array of events, or several JSON values one after another (evtx_dump
 * writes pretty-printed objects back to back). Values are split by a small scanner that tracks
 * strings and nesting, so a broken value is reported by its line and the next one is still read.
 */
import { StringDecoder } from 'node:string_decoder';
import type { EventRecord, ProblemSink } from '../types.js';
import { parseJsonEvents } from './shapes.js';
import { utf8Chunks } from './text-encoding.js';

export const MAX_VALUE_CHARS = 64 << 20;

export async function* readConcatenatedJson(file: string, onProblem: ProblemSink): AsyncGenerator<EventRecord[]> {
  const utf8 = new StringDecoder('utf8');
  let buf = '';
  let line = 1; // line of buf[0]
  // UTF-16 files (PowerShell 5.1's `ConvertTo-Json > file`) arrive transcoded to UTF-8.
  for await (const bytes of utf8Chunks(file)) {
    const chunk = utf8.write(bytes);
    buf += chunk;
    const batch: EventRecord[] = [];
    const consumed = split(buf, line, false, file, batch, onProblem);
    line += countLines(buf, consumed.end);
    buf = buf.slice(consumed.end);
    if (buf.length > MAX_VALUE_CHARS) {
      onProblem({ file, where: `line ${line}`, reason: 'too-large', message: `JSON value larger than ${MAX_VALUE_CHARS} characters: rest of file skipped` });
      buf = '';
      if (batch.length) yield batch;
      return;
    }
    if (batch.length) yield batch;
  }
  buf += utf8.end();
  const batch: EventRecord[] = [];
  split(buf, line, true, file, batch, onProblem);
  if (batch.length) yield batch;
}

function countLines(s: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** Emits every complete top-level value of `s`; returns where the incomplete rest begins. */
function split(s: string, line0: number, final: boolean, file: string, out: EventRecord[], onProblem: ProblemSink): { end: number } {
  let i = 0;
  let line = line0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 10) { line++; i++; continue; }
    if (c === 32 || c === 9 || c === 13 || c === 44) { i++; continue; }
    const startLine = line;
    const start = i;
    if (c !== 123 && c !== 91) {
      // Not an object or array: garbage up to the next line.
      let j = s.indexOf('\n', i);
      if (j < 0) {
        if (!final) return { end: start };
        j = n;
      }
      onProblem({ file, where: `line ${startLine}`, reason: 'invalid-json', message: `unexpected text '${s.slice(i, Math.min(j, i + 40))}'` });
      i = j;
      continue;
    }
    let depth = 0;
    let inStr = false;
    let j = i;
    let done = false;
    for (; j < n; j++) {
      const d = s.charCodeAt(j);
      if (d === 10) line++;
      if (inStr) {
        if (d === 92) j++;
        else if (d === 34) inStr = false;
        continue;
      }
      if (d === 34) inStr = true;
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) { done = true; break; }
      }
    }
    if (!done && !final) return { end: start };
    const text = s.slice(start, done ? j + 1 : n);
    if (done && parseJsonEvents(text, file, startLine, out, onProblem, true)) {
      i = j + 1;
      continue;
    }
    // A broken value: report it and start again at the next line that opens an object at its
    // first column (how evtx_dump starts each event), so one bad event does not swallow the next.
    const resync = text.indexOf('\n{', 1);
    const what = done ? 'invalid JSON' : 'JSON value is cut off at the end of the file';
    let detail = '';
    try {
      JSON.parse(text);
    } catch (e) {
      detail = `: ${(e as Error).message}`;
    }
    onProblem({ file, where: `line ${startLine}`, reason: 'invalid-json', message: `${what}${done ? detail : ''}` });
    if (resync < 0) {
      if (!done) return { end: n };
      i = j + 1;
      continue;
    }
    line = startLine + countLines(text, resync + 1);
    i = start + resync + 1;
  }
  return { end: n };
}
