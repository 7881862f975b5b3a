/**
 * Loads event files into the ClickHouse store, several groups of files at once, each file skipped
 * when its content hash is in `files`. Small files share a group (GROUP_BYTES): one round trip
 * checks their hashes, their rows share inserts (one part per insert and shard: fewer round trips
 * and fewer parts for hunts to read), and one insert commits them. Rows go through the Distributed
 * table with insert_distributed_sync=1, so an insert returns once every shard holds its part;
 * building the next rows overlaps the insert of the last.
 *
 * Crash safety, chosen over deleting leftovers first: ClickHouse has no transaction over shards,
 * and a big insert is split into blocks, so a killed run can leave some of a file's rows on some
 * shards. Each attempt gets a random id stamped on its rows; the file's `files` row (one row, on one
 * shard: atomic, even when the rows of a group's files go in one insert) is written only after all
 * its rows are in, and hunts read only
 * rows whose attempt is the first complete one of its file (VISIBLE). A rerun ingests the file
 * again under a new id; the rows of the killed attempt stay invisible. Deleting them instead would
 * need an ALTER ... DELETE on every shard, a mutation that 18.16 runs asynchronously with no way
 * to wait for it in the statement, so a crash during the cleanup would again leave doubt.
 *
 * Each row also gets its ECS part (schema.ts ECS_COLUMNS) when the store has those columns, and
 * its place in scan's order: the run's start time and the file's position in the run's list.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { flattenEvent } from '../../events/normalize.js';
import { listEventFiles, readEventFile } from '../../events/read.js';
import type { ReadProblem } from '../../events/types.js';
import { fileHash } from '../duckdb/ingest.js';
import { PROMOTED_FIELDS } from '../duckdb/promoted-fields.js';
import { eventRow } from '../event-row.js';
import type { EcsRowPart } from '../ecs-row.js';
import type { IngestOptions, IngestSummary } from '../types.js';
import { chString } from '../../backends/clickhouse/literal.js';
import { dateTimeText, epochMicros } from './time.js';
import { ECS_MARKER, EVENTS, FILES } from './schema.js';
import { chMessage } from './client.js';

/** Rows of the files whose first complete attempt they belong to (a condition on `events`). */
export const VISIBLE = `attempt GLOBAL IN (SELECT min(attempt) FROM ${FILES} GROUP BY hash)`;

/** Rows per insert: large enough to amortize the round trip, small enough to bound memory. */
const BATCH = 10_000;
const SYNC = { insert_distributed_sync: 1 } as const;
const PARALLEL_FILES = 4;
/** A group: files taken in list order up to this many bytes on disk (a larger file goes alone) or files. */
const GROUP_BYTES = 1 << 20;
const GROUP_FILES = 64;

const sizeOf = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** The store has the ECS columns (a store created before them has not: it ingests without them). */
export async function hasEcsColumns(client: ClickHouseClient): Promise<boolean> {
  const rows = await (await client.query({ query: `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = '${EVENTS}' AND name = '${ECS_MARKER}'`, format: 'JSONEachRow' })).json();
  return rows.length > 0;
}

/** How a run writes rows: with the ECS columns or not, the ECS part or not, and the run's place in scan's order. */
interface RunShape {
  columns: boolean;
  ecs: boolean;
  run: number;
}

export async function chIngest(client: ClickHouseClient, paths: string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const start = Date.now();
  const onProblem = opts.onProblem ?? (() => {});
  const { files, unreadable } = listEventFiles(paths, onProblem);
  const s: IngestSummary = { files: files.length, ingested: 0, skipped: 0, failed: unreadable.length, events: 0, problems: 0, seconds: 0, events_per_second: 0, peak_rss_mb: 0 };
  let next = 0;
  let done = 0;
  const claimed = new Set<string>();
  let shape: RunShape;
  try {
    const columns = await hasEcsColumns(client);
    shape = { columns, ecs: columns && opts.ecs !== false, run: Date.now() };
  } catch (e) {
    // The store refuses even this: every file is reported, none is counted as done.
    for (const file of files) onProblem({ file, reason: 'store-error', message: chMessage(e) });
    s.failed += files.length;
    return s;
  }
  // Small files go several to a group: one query finds the ones already ingested, their rows share
  // inserts, and one insert of `files` rows commits them (a file's row is one row: atomic).
  const group = async (items: Array<{ file: string; fileNo: number }>): Promise<void> => {
    const todo: Array<{ file: string; fileNo: number; hash: string }> = [];
    for (const { file, fileNo } of items) {
      try {
        todo.push({ file, fileNo, hash: await fileHash(file) });
      } catch (e) {
        onProblem({ file, reason: 'unreadable', message: (e as Error).message });
        s.failed++;
      }
    }
    const open = new Set(todo);
    try {
      // The same content twice in one run (copies of a file) is ingested once: claimed before any await.
      const mine: typeof todo = [];
      for (const x of todo) {
        if (claimed.has(x.hash)) continue;
        claimed.add(x.hash);
        mine.push(x);
      }
      const seen = mine.length ? await storedHashes(client, mine.map((x) => x.hash)) : new Set<string>();
      const run = mine.filter((x) => !seen.has(x.hash));
      for (const x of todo) {
        if (run.includes(x)) continue;
        open.delete(x);
        s.skipped++;
        opts.onFile?.(++done, files.length, x.file, 0);
      }
      if (!run.length) return;
      const sink = new RowSink(client);
      const commits: Array<Record<string, unknown>> = [];
      for (const x of run) commits.push(await ingestFile(sink, x.file, x.hash, opts.host, { ...shape, fileNo: x.fileNo }, (p) => { s.problems++; onProblem(p); }));
      await sink.close();
      // The commit point: every file's rows are in; then one row per file.
      await client.insert({ table: FILES, format: 'JSONEachRow', clickhouse_settings: SYNC, values: commits });
      run.forEach((x, i) => {
        open.delete(x);
        s.ingested++;
        s.events += Number(commits[i].events);
        opts.onFile?.(++done, files.length, x.file, Number(commits[i].events));
      });
    } catch (e) {
      // The store refused: no file of the group not reported yet is counted as done (its rows stay invisible).
      for (const x of open) {
        s.failed++;
        onProblem({ file: x.file, reason: 'store-error', message: chMessage(e) });
      }
    }
  };
  // Groups in parallel: a group costs a few round trips (hash check, inserts, commit rows), so
  // several in flight keep the shards busy; each group still commits on its own.
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const items: Array<{ file: string; fileNo: number }> = [];
      let bytes = 0;
      while (next < files.length && items.length < GROUP_FILES && (items.length === 0 || bytes + sizeOf(files[next]) <= GROUP_BYTES)) {
        bytes += sizeOf(files[next]);
        items.push({ file: files[next], fileNo: next });
        next++;
      }
      await group(items);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, files.length) }, worker));
  s.seconds = (Date.now() - start) / 1000;
  s.events_per_second = s.seconds > 0 ? Math.round(s.events / s.seconds) : 0;
  s.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  return s;
}

/** Hashes among these that `files` already holds (a file done by an earlier run). */
async function storedHashes(client: ClickHouseClient, hashes: string[]): Promise<Set<string>> {
  const rows = await (await client.query({ query: `SELECT DISTINCT hash FROM ${FILES} WHERE hash IN (${hashes.map(chString).join(', ')})`, format: 'JSONEachRow' })).json<{ hash: string }>();
  return new Set(rows.map((r) => r.hash));
}

/** Event rows of one group, sent in inserts of BATCH rows; the next rows are built while the last insert is sent. */
class RowSink {
  private rows: Array<Record<string, unknown>> = [];
  private pending: Promise<unknown> = Promise.resolve();
  constructor(private readonly client: ClickHouseClient) {}

  async add(row: Record<string, unknown>): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const values = this.rows;
    this.rows = [];
    await this.pending;
    this.pending = this.client.insert({ table: EVENTS, values, format: 'JSONEachRow', clickhouse_settings: SYNC });
    // Not awaited here (awaited before the next insert and by close()).
    this.pending.catch(() => {});
  }

  /** Every row added is stored (or the store's error is thrown). */
  async close(): Promise<void> {
    if (this.rows.length) await this.flush();
    await this.pending;
  }
}

/** Adds one file's rows under a new attempt id; returns its `files` row (written once the rows are in). */
async function ingestFile(sink: RowSink, file: string, hash: string, host: string | undefined, shape: RunShape & { fileNo: number }, onProblem: (p: ReadProblem) => void): Promise<Record<string, unknown>> {
  const attempt = randomBytes(8).readBigUInt64BE() >> 1n;
  let seq = 0;
  let problems = 0;
  for await (const batch of readEventFile(file, (p) => { problems++; onProblem(p); })) {
    for (const rec of batch) {
      const r = eventRow(flattenEvent(rec), seq++, { ecs: shape.ecs });
      const us = epochMicros(r.timestamp);
      const keys = Object.keys(r.fields);
      const row: Record<string, unknown> = {
        file, file_hash: hash, attempt: attempt.toString(), seq: r.seq, record_id: r.recordId, timestamp: r.timestamp,
        ts: dateTimeText(us), ts_us: us, computer: r.computer, host: host ?? r.computer ?? '',
        channel: r.channel, channel_lc: r.channelLc, event_id: r.eventId, eid: r.eventId ?? -1, provider: r.provider,
        f_keys: keys, f_values: keys.map((k) => r.fields[k]),
        l_keys: r.lists ? Object.keys(r.lists) : [], l_values: r.lists ? Object.values(r.lists) : [],
        all_values: r.allValues,
      };
      for (const f of PROMOTED_FIELDS) row[`f_${f}`] = r.fields[f] ?? null;
      if (shape.columns) ecsColumns(row, r.ecs, shape.run, shape.fileNo);
      await sink.add(row);
    }
  }
  return { hash, path: file, attempt: attempt.toString(), events: seq, problems, ingested_at: dateTimeText(Date.now() * 1000) };
}

/** The ECS columns of a row (schema.ts ECS_COLUMNS); without an ECS part, has_ecs = 0 and the rest defaults. */
function ecsColumns(row: Record<string, unknown>, ecs: EcsRowPart | undefined, run: number, fileNo: number): void {
  row.ingest_run = run;
  row.file_no = fileNo;
  row.has_ecs = ecs ? 1 : 0;
  if (!ecs) return;
  const single = JSON.parse(ecs.singleJson) as Record<string, string>;
  const lists = ecs.listsJson ? (JSON.parse(ecs.listsJson) as Record<string, string[]>) : {};
  row.ecs_keys = Object.keys(single);
  row.ecs_values = Object.values(single);
  row.ecs_lkeys = Object.keys(lists);
  row.ecs_lvalues = Object.values(lists);
  row.ecs_typed = ecs.typed;
  row.ecs_index = ecs.index;
  row.ecs_os = ecs.os;
}
