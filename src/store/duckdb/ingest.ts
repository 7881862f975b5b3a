/**
 * Loads event files into the store. A file is identified by the SHA-256 of its content: one
 * already in `files` is skipped. Its events are staged in bounded parts: each part of
 * ROWS_PER_PART rows is converted and committed to `pending_events` (a table hunt never reads),
 * then the whole file moves into `events` together with its `files` row in one transaction, so
 * a crash midway leaves nothing of it counted as done and no event of it in `events`; the next
 * run drops what was pending and ingests the file again, once. Memory is bounded by a part, not
 * a file. Reading problems are reported per record, never thrown. Files are read and their rows
 * built on worker threads (store/rows), this thread appends.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { availableParallelism } from 'node:os';
import { listEventFiles } from '../../events/read.js';
import { CHUNKS_PER_TASK, planTasks } from '../../engine/parallel/tasks.js';
import { rowStream } from '../rows/row-stream.js';
import { EVENT_ORDER, EVENT_TABLE_DDL, STAGING_DDL } from './schema.js';
import { boundMemory } from './memory-limit.js';
import type { EventRow } from '../event-row.js';
import { LOWERED_FIELDS, PROMOTED_FIELDS } from './promoted-fields.js';
import { ECS_PROMOTED_FIELDS, ecsPromotedColumn } from '../ecs-promoted-fields.js';
import type { IngestOptions, IngestSummary } from '../types.js';

/** Row workers by default: one per core, up to this many (the main thread appends). */
const MAX_THREADS = 4;

/**
 * Rows staged before they are converted and committed as one part. The 1 GiB EVTX benchmark
 * input (379k events) staged whole peaked at 7.5 GB RSS.
 */
export const ROWS_PER_PART = 50_000;

/**
 * DuckDB's memory limit while ingesting into a store on disk (its default, 80% of RAM, lets its
 * buffers and the final sort of a large file grow far beyond a part).
 */
const INGEST_MEMORY_BYTES = 2 * 1024 ** 3;

/** How a file is cut into committed parts (tests use small parts and stop midway). */
export interface PartOptions {
  rowsPerPart?: number;
  /** Called after each part is committed to pending_events (a test throws here to stop midway). */
  afterPart?: (file: string, part: number) => void;
}

export async function createEventTables(conn: DuckDBConnection): Promise<void> {
  for (const ddl of EVENT_TABLE_DDL) await conn.run(ddl);
}

export async function fileHash(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** `chunksPerPart`: how an .evtx file is cut into parts for the row workers (tests cut small files too). */
export async function ingest(conn: DuckDBConnection, paths: string[], opts: IngestOptions = {}, chunksPerPart = CHUNKS_PER_TASK, parts: PartOptions = {}): Promise<IngestSummary> {
  const start = Date.now();
  const onProblem = opts.onProblem ?? (() => {});
  await createEventTables(conn);
  await conn.run(STAGING_DDL);
  // Parts of a file an earlier run did not finish: dropped (that file is not in `files`: it is read again).
  await conn.run('DROP TABLE IF EXISTS pending_events');
  await conn.run('CREATE TABLE pending_events AS SELECT * FROM events LIMIT 0');
  const rowsPerPart = Math.max(1, parts.rowsPerPart ?? ROWS_PER_PART);
  await boundMemory(conn, INGEST_MEMORY_BYTES);
  const { files, unreadable } = listEventFiles(paths, onProblem);
  const s: IngestSummary = { files: files.length, ingested: 0, skipped: 0, failed: unreadable.length, events: 0, problems: 0, seconds: 0, events_per_second: 0, peak_rss_mb: 0 };
  // Which files to load: not in the store yet, and each content once.
  const pending: Array<{ file: string; hash: string; done: number }> = [];
  const hashes = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    let hash: string;
    try {
      hash = await fileHash(file);
    } catch (e) {
      onProblem({ file, reason: 'unreadable', message: (e as Error).message });
      s.failed++;
      continue;
    }
    const seen = hashes.has(hash) || (await conn.runAndReadAll(`SELECT 1 FROM files WHERE hash = '${hash}'`)).currentRowCount > 0;
    if (seen) {
      s.skipped++;
      opts.onFile?.(i + 1, files.length, file, 0);
      continue;
    }
    hashes.add(hash);
    pending.push({ file, hash, done: i + 1 });
  }
  const tasks = planTasks(pending.map((p) => p.file), chunksPerPart);
  const threads = opts.threads ?? Math.min(MAX_THREADS, availableParallelism());
  // The parts of one file are consecutive tasks; its rows are staged, then moved with its `files` row.
  let f = -1;
  let current: FileLoad | undefined;
  for await (const item of rowStream(tasks, threads, { ecs: opts.ecs !== false })) {
    if (current === undefined || item.task.file !== pending[f].file) {
      f++;
      current = await FileLoad.begin(conn, pending[f].file, pending[f].hash, opts.host, parts.afterPart);
    }
    if (item.type === 'rows') {
      for (let i = 0; i < item.rows.length;) {
        const n = Math.min(item.rows.length - i, rowsPerPart - current.staged);
        current.append(i === 0 && n === item.rows.length ? item.rows : item.rows.slice(i, i + n));
        i += n;
        if (current.staged >= rowsPerPart) await current.flush();
      }
      continue;
    }
    for (const p of item.problems) {
      s.problems++;
      current.problems++;
      onProblem(p);
    }
    if (item.task.id + 1 < tasks.length && tasks[item.task.id + 1].file === pending[f].file) continue;
    try {
      const n = await current.commit();
      s.ingested++;
      s.events += n;
      opts.onFile?.(pending[f].done, files.length, pending[f].file, n);
    } catch (e) {
      s.failed++;
      onProblem({ file: pending[f].file, reason: 'store-error', message: (e as Error).message });
      await conn.run('ROLLBACK').catch(() => {});
      await current.discard();
    }
    current = undefined;
  }
  s.seconds = (Date.now() - start) / 1000;
  s.events_per_second = s.seconds > 0 ? Math.round(s.events / s.seconds) : 0;
  s.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  return s;
}

/** The promoted fields as JSON paths: the row's JSON is parsed once for all of them (a map lookup each was slower). */
const PROMOTED_PATHS = `[${PROMOTED_FIELDS.map((f) => `'$."${f}"'`).join(', ')}]`;

/** One file being loaded: its rows staged (seq counted over its parts), committed part by part to pending_events, then moved with its `files` row. */
class FileLoad {
  problems = 0;
  /** Rows in the staging table (not yet in a part). */
  staged = 0;
  private seq = 0;
  private parts = 0;
  private error: Error | undefined;
  private constructor(private readonly conn: DuckDBConnection, private readonly file: string, private readonly hash: string,
    private readonly host: string | undefined, private readonly afterPart: PartOptions['afterPart'], private app: DuckDBAppender | undefined) {}

  static async begin(conn: DuckDBConnection, file: string, hash: string, host: string | undefined, afterPart: PartOptions['afterPart']): Promise<FileLoad> {
    await conn.run('DELETE FROM staging');
    return new FileLoad(conn, file, hash, host, afterPart, await conn.createAppender('staging', 'main', 'temp'));
  }

  append(rows: EventRow[]): void {
    if (this.error || !this.app) return;
    try {
      for (const r of rows) {
        append(this.app, r, this.seq++);
        this.staged++;
      }
    } catch (e) {
      // Reported when the file is committed; the file's other rows are read and dropped.
      this.error = e as Error;
    }
  }

  /** The staged rows, converted to the event columns, committed as one part of the file (hunt does not see them yet). */
  async flush(): Promise<void> {
    if (this.error || !this.app) {
      // A failed file: its rows are dropped as they come.
      this.staged = 0;
      return;
    }
    let part: number | undefined;
    try {
      this.app.closeSync();
      this.app = undefined;
      if (this.staged > 0) {
        await this.conn.run(`INSERT INTO pending_events ${convertedStaging(this.file, this.hash, this.host)}`);
        await this.conn.run('DELETE FROM staging');
        this.staged = 0;
        part = this.parts++;
      }
      this.app = await this.conn.createAppender('staging', 'main', 'temp');
    } catch (e) {
      this.error = e as Error;
    }
    if (part !== undefined) this.afterPart?.(this.file, part);
  }

  /** After a failed commit: the file's parts leave pending_events (its `files` row was never written). */
  async discard(): Promise<void> {
    this.app?.closeSync();
    this.app = undefined;
    await this.conn.run(`DELETE FROM pending_events WHERE file_hash = '${this.hash}'`).catch(() => {});
  }

  async commit(): Promise<number> {
    await this.flush();
    this.app?.closeSync();
    this.app = undefined;
    if (this.error) throw this.error;
    const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
    const conn = this.conn;
    const mine = `file_hash = ${lit(this.hash)}`;
    // Sorted by the store's EVENT_ORDER: DuckDB's sort spills to disk beyond the memory limit (INGEST_MEMORY).
    await conn.run('BEGIN TRANSACTION');
    await conn.run(`INSERT INTO events SELECT * FROM pending_events WHERE ${mine} ORDER BY ${EVENT_ORDER}, seq`);
    await conn.run(`INSERT INTO files VALUES (${lit(this.hash)}, ${lit(this.file)}, ${this.seq}, ${this.problems}, now()::TIMESTAMP)`);
    await conn.run(`DELETE FROM pending_events WHERE ${mine}`);
    await conn.run('COMMIT');
    return this.seq;
  }
}

/** The staged rows as event rows (the maps built by a cast, the promoted fields read from the row's JSON once). */
function convertedStaging(file: string, hash: string, host: string | undefined): string {
  const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  return `SELECT ${lit(file)}, ${lit(hash)}, seq, record_id, timestamp,
        TRY_CAST(timestamp AS TIMESTAMP), computer, ${host === undefined ? 'computer' : lit(host)}, channel, channel_lc,
        event_id, provider, m,
        CASE WHEN lists_json IS NULL THEN MAP()::MAP(VARCHAR, VARCHAR[]) ELSE CAST(lists_json::JSON AS MAP(VARCHAR, VARCHAR[])) END,
        all_values, ${PROMOTED_FIELDS.map((_, i) => `p[${i + 1}]`).join(', ')}, ${LOWERED_FIELDS.map((f) => `lower(p[${PROMOTED_FIELDS.indexOf(f) + 1}])`).join(', ')},
        CAST(ecs_json::JSON AS MAP(VARCHAR, VARCHAR)),
        CASE WHEN ecs_json IS NULL THEN NULL WHEN ecs_lists_json IS NULL THEN MAP()::MAP(VARCHAR, VARCHAR[]) ELSE CAST(ecs_lists_json::JSON AS MAP(VARCHAR, VARCHAR[])) END,
        CAST(ecs_typed_json::JSON AS VARCHAR[]), ecs_index, ecs_os, ${ECS_PROMOTED_FIELDS.map((f) => ecsPromotedColumn(f)).join(', ')}
      FROM (SELECT *, CAST(fields_json::JSON AS MAP(VARCHAR, VARCHAR)) AS m, json_extract_string(fields_json, ${PROMOTED_PATHS}) AS p FROM staging)`;
}

/** A row of a part, its seq made the file's. */
function append(app: DuckDBAppender, r: EventRow, seq: number): void {
  app.appendBigInt(BigInt(seq));
  if (r.recordId === null) app.appendNull();
  else app.appendBigInt(BigInt(r.recordId));
  nullable(app, r.timestamp);
  nullable(app, r.computer);
  app.appendVarchar(r.channel);
  app.appendVarchar(r.channelLc);
  if (r.eventId === null) app.appendNull();
  else app.appendBigInt(BigInt(r.eventId));
  nullable(app, r.provider);
  app.appendVarchar(r.fieldsJson);
  nullable(app, r.listsJson);
  app.appendVarchar(r.allValues);
  const e = r.ecs;
  nullable(app, e ? e.singleJson : null);
  nullable(app, e ? e.listsJson : null);
  nullable(app, e ? JSON.stringify(e.typed) : null);
  nullable(app, e ? e.index : null);
  nullable(app, e ? e.os : null);
  for (let i = 0; i < ECS_PROMOTED_FIELDS.length; i++) nullable(app, e ? e.promoted[i] : null);
  app.endRow();
}

function nullable(app: DuckDBAppender, v: string | null): void {
  if (v === null) app.appendNull();
  else app.appendVarchar(v);
}
