/**
 * Batch statement rows read as TabSeparated text straight from the response body, instead of the
 * client's JSONEachRow rows (a JSON object parsed per row, every key repeated on the wire). The
 * server writes TSV with less work too. TabSeparated text: one row a line, fields split by tabs;
 * inside a field a backslash escapes (\t, \n, \\, \' ...) and a Nullable NULL is `\N`; an array
 * is `[...]` of quoted elements ('text' with the same escapes, NULL). A row that does not have
 * the statement's shape (an error the server appended after some rows) ends the read with an error.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ClickHouseClient } from '@clickhouse/client';

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', 0: '\0', a: '\x07', v: '\v' };

const unescape = (s: string): string => s.replace(/\\([\s\S])/g, (_, c: string) => ESCAPES[c] ?? c);

/** A TSV field as a Nullable(String) value. */
export function tsvText(s: string): string | null {
  if (s === '\\N') return null;
  return s.includes('\\') ? unescape(s) : s;
}

/** A TSV field of a Nullable integer column (exact up to 2^53, as the JSON rows were). */
export function tsvNumber(s: string): number | null {
  if (s === '\\N') return null;
  const n = Number(s);
  if (s === '' || !Number.isFinite(n)) throw new Error(`not a number in a result row: ${s.slice(0, 200)}`);
  return n;
}

/**
 * A TSV field of an Array(Nullable(String)) column: `['a',NULL,'b\'c']`. Inside the array the
 * elements are quoted as in SQL; the field itself carries no other escape level on 18.16's TSV.
 */
export function tsvTextArray(s: string): Array<string | null> {
  if (s.length < 2 || s[0] !== '[' || s[s.length - 1] !== ']') throw new Error(`not an array in a result row: ${s.slice(0, 200)}`);
  const out: Array<string | null> = [];
  let i = 1;
  const end = s.length - 1;
  while (i < end) {
    if (s.startsWith('NULL', i)) {
      out.push(null);
      i += 4;
    } else if (s[i] === "'") {
      let j = i + 1;
      let escaped = false;
      while (j < end && s[j] !== "'") {
        if (s[j] === '\\') {
          escaped = true;
          j++;
        }
        j++;
      }
      if (j >= end) throw new Error(`unterminated text in an array of a result row: ${s.slice(0, 200)}`);
      const body = s.slice(i + 1, j);
      out.push(escaped ? unescape(body) : body);
      i = j + 1;
    } else {
      throw new Error(`unexpected text in an array of a result row: ${s.slice(i, i + 200)}`);
    }
    if (i < end) {
      if (s[i] !== ',') throw new Error(`unexpected text in an array of a result row: ${s.slice(i, i + 200)}`);
      i++;
    }
  }
  return out;
}

/**
 * Runs `sql` (no FORMAT clause) and hands its rows over chunk by chunk as arrays of raw TSV
 * fields, `width` each (checked). A character split between two network chunks is decoded once
 * complete (StringDecoder), the text after a chunk's last newline waits for the next chunk.
 */
export async function tsvRows(client: ClickHouseClient, sql: string, width: number, onRows: (rows: string[][]) => void, settings?: Record<string, string | number>): Promise<void> {
  const { stream } = await client.exec({ query: `${sql}\nFORMAT TabSeparated`, ...(settings ? { clickhouse_settings: settings } : {}) });
  const decoder = new StringDecoder('utf8');
  let tail = '';
  const lines = (text: string): void => {
    const rows = text.split('\n').map((l) => l.split('\t'));
    for (const r of rows) if (r.length !== width) throw new Error(`ClickHouse: ${r.join('\t').slice(0, 500)}`);
    onRows(rows);
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = tail + decoder.write(chunk);
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      tail = text;
      continue;
    }
    tail = text.slice(end + 1);
    lines(text.slice(0, end));
  }
  tail += decoder.end();
  // A body that does not end in a newline ends in what the server appended: an error.
  if (tail.length) throw new Error(`ClickHouse: ${tail.split('\n')[0].slice(0, 500)}`);
}

/**
 * One row of a TSV body as positions in the chunk's text: field k is text.slice(start[k], end[k]).
 * The same object is handed over for every row (read what is needed before the next): a field
 * that is not used, or that equals the previous row's, costs no string of its own.
 */
export class TsvLine {
  text = '';
  readonly start: number[];
  readonly end: number[];
  constructor(readonly width: number) {
    this.start = new Array<number>(width).fill(0);
    this.end = new Array<number>(width).fill(0);
  }

  field(k: number): string {
    return this.text.slice(this.start[k], this.end[k]);
  }

  /** Whether field k's raw text is `s`, without copying it. */
  is(k: number, s: string): boolean {
    const a = this.start[k];
    const b = this.end[k];
    // The native comparison of a slice: measured faster than startsWith or a loop over the characters.
    return b - a === s.length && this.text.slice(a, b) === s;
  }

  /** Field k as tsvNumber reads it; plain digits (nearly every value) are read in place. */
  number(k: number): number | null {
    const a = this.start[k];
    const b = this.end[k];
    if (b > a && b - a <= 15) {
      let n = 0;
      let i = a;
      for (; i < b; i++) {
        const c = this.text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        n = n * 10 + c;
      }
      if (i === b) return n;
    }
    return tsvNumber(this.field(k));
  }
}

/** A text column's last raw field and its value: rows in a row often repeat it (file, host, channel). */
export class TsvTextColumn {
  private raw = '\n'; // a raw field never holds a newline
  private value: string | null = null;

  read(line: TsvLine, k: number): string | null {
    if (!line.is(k, this.raw)) {
      this.raw = line.field(k);
      this.value = tsvText(this.raw);
    }
    return this.value;
  }
}

/**
 * As tsvRows, one row at a time as positions in the text (TsvLine), without splitting the text
 * into line and field strings (measured: the split was detectory's largest cost after the alerts' JSON).
 * Measured (600,000 alert rows of the 32-host hunt fed to shardRows from memory, loaded machine):
 * 1.41-1.54 s of CPU with the split, 1.09-1.29 s read in place.
 */
export async function tsvLines(client: ClickHouseClient, sql: string, width: number, onLine: (line: TsvLine) => void): Promise<void> {
  const { stream } = await client.exec({ query: `${sql}\nFORMAT TabSeparated` });
  const decoder = new StringDecoder('utf8');
  const line = new TsvLine(width);
  const { start, end } = line;
  let tail = '';
  const bad = (text: string, from: number, nl: number): Error => new Error(`ClickHouse: ${text.slice(from, Math.min(nl, from + 500))}`);
  // Rows of one text, from `pos` up to the newline at `stop` (the text is read in place: it must
  // be a flat string, not a concatenation, or every access walks the concatenation again).
  const rows = (text: string, pos: number, stop: number): void => {
    line.text = text;
    while (pos <= stop) {
      const nl = text.indexOf('\n', pos);
      let p = pos;
      for (let k = 0; k < width - 1; k++) {
        const t = text.indexOf('\t', p);
        if (t < 0 || t > nl) throw bad(text, pos, nl);
        start[k] = p;
        end[k] = t;
        p = t + 1;
      }
      const t = text.indexOf('\t', p);
      if (t >= 0 && t < nl) throw bad(text, pos, nl);
      start[width - 1] = p;
      end[width - 1] = nl;
      onLine(line);
      pos = nl + 1;
    }
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = decoder.write(chunk);
    const first = text.indexOf('\n');
    if (first < 0) {
      tail += text;
      continue;
    }
    // The row begun in the previous chunk, as a string of its own; then this chunk's whole rows.
    if (tail.length) {
      const head = tail + text.slice(0, first + 1);
      rows(head, 0, head.length - 1);
    } else rows(text, 0, first);
    const stop = text.lastIndexOf('\n');
    rows(text, first + 1, stop);
    tail = text.slice(stop + 1);
  }
  tail += decoder.end();
  // A body that does not end in a newline ends in what the server appended: an error.
  if (tail.length) throw new Error(`ClickHouse: ${tail.split('\n')[0].slice(0, 500)}`);
}
