/**
 * The rows of a batch statement (batch-sql.ts) read straight from DuckDB's result vectors, value
 * by value, instead of through the client's JSON rows: that conversion turned every BIGINT into
 * text and every `shown` list into a fresh array of fresh strings, and took half of the hunt's CPU
 * on the largest batch (1.15M alerts: 10.8 s of 21.7). Rows of one rule and one value combination
 * (`c`, set by the grouped statements) show the same values: their list is converted once. The
 * event's texts (file, timestamp, computer, channel) come as one JSON array (`event_texts`): one
 * string read per row instead of four, each a native call (all Windows Sigma rules over the
 * 32-host store, largest batch: 11.0 s of CPU read as columns, 8.9 s as JSON).
 */
import type { DuckDBDataChunk, DuckDBListValue, DuckDBResult, DuckDBValue } from '@duckdb/node-api';

/** Shown lists kept for reuse at most (the combinations of the largest batch: 783 for 1.15M alerts). */
const SHOWN_CACHE = 4096;

export type BatchRow = Record<string, unknown>;

/** A list of texts (the shown values) as JS strings, NULL entries kept as null. */
function texts(v: DuckDBValue): Array<string | null> {
  if (v === null) return [];
  return (v as DuckDBListValue).items.map((x) => (x === null ? null : String(x)));
}

function rowsOf(chunk: DuckDBDataChunk, names: string[], shownCache: Map<string, Array<string | null>>): BatchRow[] {
  const vectors = names.map((_, k) => chunk.getColumnVector(k));
  const rAt = names.indexOf('r');
  const cAt = names.indexOf('c');
  const shownAt = names.indexOf('shown');
  const textsAt = names.indexOf('event_texts');
  const out: BatchRow[] = [];
  for (let i = 0; i < chunk.rowCount; i++) {
    const row: BatchRow = {};
    for (let k = 0; k < names.length; k++) {
      if (k === shownAt || k === cAt || k === textsAt) continue;
      row[names[k]] = vectors[k].getItem(i);
    }
    if (textsAt >= 0) {
      const t = vectors[textsAt].getItem(i);
      [row.file, row.timestamp, row.computer, row.channel] = t === null ? [null, null, null, null] : (JSON.parse(String(t)) as unknown[]);
    }
    if (shownAt >= 0) {
      const c = cAt >= 0 ? vectors[cAt].getItem(i) : null;
      if (c === null) row.shown = texts(vectors[shownAt].getItem(i));
      else {
        const key = `${String(rAt >= 0 ? vectors[rAt].getItem(i) : '')} ${String(c)}`;
        let shown = shownCache.get(key);
        if (!shown) {
          // Bounded: hunt memory must not grow with the number of alerts (rows come sorted by rule, then event).
          if (shownCache.size >= SHOWN_CACHE) shownCache.clear();
          shownCache.set(key, (shown = texts(vectors[shownAt].getItem(i))));
        }
        row.shown = shown;
      }
    }
    out.push(row);
  }
  return out;
}

/** A row read as JSON (the client's own reading): its `event_texts` spread to file, timestamp, computer, channel. */
export function spreadEventTexts(row: BatchRow): BatchRow {
  if (!('event_texts' in row)) return row;
  const { event_texts: t, ...rest } = row;
  const [file, timestamp, computer, channel] = t === null || t === undefined ? [null, null, null, null] : (JSON.parse(String(t)) as unknown[]);
  return { ...rest, file, timestamp, computer, channel };
}

/** Hands the result's rows over chunk by chunk (BIGINT columns as bigint, `shown` as a string array). */
export async function streamBatchRows(result: DuckDBResult, onRows: (rows: BatchRow[]) => void): Promise<void> {
  const names = result.columnNames();
  const shownCache = new Map<string, Array<string | null>>();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    onRows(rowsOf(chunk, names, shownCache));
  }
}
