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
