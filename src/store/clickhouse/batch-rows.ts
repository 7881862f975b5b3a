/**
 * A batch statement's alert rows read from every shard (tsv-rows.ts) and merged in the
 * statement's order (r, file, seq): each shard's rows come sorted, so a merge, not a sort of the
 * whole batch (the sort compared file names through fresh Buffers on every comparison). Rows of
 * one rule and one value combination show the same values: their list is read once, either from
 * the prepared rules' table of shown values (route-groups.ts: the alert rows then carry the
 * combination's hash `h` instead of the list) or, for a per-event statement, by the list's text.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { tsvLines, TsvLine, tsvRows, tsvText, TsvTextColumn, tsvTextArray } from './tsv-rows.js';

export type Row = Record<string, unknown>;

/** Shown lists kept for reuse at most (hunt memory must not grow with the alerts). */
const SHOWN_CACHE = 4096;

/** Columns of a batch statement's rows: r, then `h` (prepared) or nothing, the event, then `shown` (per event) or nothing. */
const EVENT_COLUMNS = 7;

/** UTF-16 order is UTF-8 byte order except surrogates (characters past U+FFFF) against U+E000..U+FFFF. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  if (x >= 0xd800 && y >= 0xd800) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return x - y;
}

/** The statement's order: rule index, file name byte by byte (as the server compares), then seq. */
export function byRuleFileSeq(a: Row, b: Row): number {
  return (a.r as number) - (b.r as number) || compareUtf8(a.file as string, b.file as string) || (a.seq as number) - (b.seq as number);
}

/** Rows of several sorted lists as one sorted list (stable: ties keep the lists' order). */
export function mergeSorted(lists: Row[][]): Row[] {
  const live = lists.filter((l) => l.length);
  if (live.length <= 1) return live[0] ?? [];
  const at = live.map(() => 0);
  const out: Row[] = [];
  for (;;) {
    let best = -1;
    for (let k = 0; k < live.length; k++) {
      if (at[k] < live[k].length && (best < 0 || byRuleFileSeq(live[k][at[k]], live[best][at[best]]) < 0)) best = k;
    }
    if (best < 0) return out;
    out.push(live[best][at[best]++]);
  }
}

/** The event columns' readers of one shard's rows: a text equal to the previous row's is not copied again. */
function eventReader(): (r: number, f: TsvLine, at: number, shown: Array<string | null>) => Row {
  const file = new TsvTextColumn();
  const computer = new TsvTextColumn();
  const channel = new TsvTextColumn();
  return (r, f, at, shown) => ({
    r,
    file: file.read(f, at) ?? '',
    seq: f.number(at + 1),
    record_id: f.number(at + 2),
    timestamp: tsvText(f.field(at + 3)),
    computer: computer.read(f, at + 4),
    channel: channel.read(f, at + 5) ?? '',
    event_id: f.number(at + 6),
    shown,
  });
}

function ruleIndex(f: TsvLine): number {
  const r = f.number(0);
  if (r === null || !Number.isInteger(r) || r < 0) throw new Error(`ClickHouse: ${f.field(0).slice(0, 500)}`);
  return r;
}

/**
 * One shard's rows of a per-event batch statement (r, file, seq, record_id, timestamp, computer,
 * channel, event_id, shown).
 */
export async function shardRows(client: ClickHouseClient, sql: string): Promise<Row[]> {
  const cache = new Map<string, Array<string | null>>();
  const out: Row[] = [];
  // Rows in a row often show the same list: compared with the previous row's text before the cache's hashing.
  let lastText = '\n'; // a raw field never holds a newline
  let shown: Array<string | null> = [];
  const event = eventReader();
  await tsvLines(client, sql, 2 + EVENT_COLUMNS, (f) => {
    if (!f.is(1 + EVENT_COLUMNS, lastText)) {
      const text = f.field(1 + EVENT_COLUMNS);
      let list = cache.get(text);
      if (!list) {
        if (cache.size >= SHOWN_CACHE) cache.clear();
        cache.set(text, (list = tsvTextArray(text)));
      }
      shown = list;
      lastText = text;
    }
    out.push(event(ruleIndex(f), f, 1, shown));
  });
  return out;
}

/**
 * One shard's rows of a prepared batch statement (r, h, then the event), with each row's shown
 * values from `shownSql` (rows r, h as text, shown: one per rule and combination).
 */
export async function preparedShardRows(client: ClickHouseClient, sql: string, shownSql: string): Promise<Row[]> {
  const shown = new Map<string, Array<string | null>>();
  await tsvRows(client, shownSql, 3, (rows) => {
    for (const [r, h, list] of rows) shown.set(`${r}\t${h}`, tsvTextArray(list));
  });
  const out: Row[] = [];
  // Rows in a row often have the same rule and combination: compared with the previous row's before the lookup.
  let lastR = '\n'; // a raw field never holds a newline
  let lastH = '\n';
  let values: Array<string | null> | undefined;
  const event = eventReader();
  await tsvLines(client, sql, 2 + EVENT_COLUMNS, (f) => {
    if (!f.is(0, lastR) || !f.is(1, lastH)) {
      lastR = f.field(0);
      lastH = f.field(1);
      values = shown.get(`${lastR}\t${lastH}`);
      if (!values) throw new Error(`ClickHouse: an alert row of rule ${lastR} has no shown values (combination ${lastH})`);
    }
    out.push(event(ruleIndex(f), f, 2, values!));
  });
  return out;
}
