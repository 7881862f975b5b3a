/**
 * Loads event files into the store. A file is identified by the SHA-256 of its content: one
 * already in `files` is skipped. Its events are staged, then moved into `events` together with
 * its `files` row in one transaction, so a crash midway leaves nothing of it counted as done
 * (the next run ingests it again, once). Reading problems are reported per record, never thrown.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { flattenEvent } from '../../events/normalize.js';
import { listEventFiles, readEventFile } from '../../events/read.js';
import type { ReadProblem } from '../../events/types.js';
import { EVENT_TABLE_DDL, STAGING_DDL } from './schema.js';
import { eventRow, type EventRow } from '../event-row.js';
import { PROMOTED_FIELDS } from './promoted-fields.js';
import { ECS_PROMOTED_FIELDS, ecsPromotedColumn } from '../ecs-promoted-fields.js';
import type { IngestOptions, IngestSummary } from '../types.js';

export async function createEventTables(conn: DuckDBConnection): Promise<void> {
  for (const ddl of EVENT_TABLE_DDL) await conn.run(ddl);
}

export async function fileHash(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function ingest(conn: DuckDBConnection, paths: string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const start = Date.now();
  const onProblem = opts.onProblem ?? (() => {});
  await createEventTables(conn);
  await conn.run(STAGING_DDL);
  const { files, unreadable } = listEventFiles(paths, onProblem);
  const s: IngestSummary = { files: files.length, ingested: 0, skipped: 0, failed: unreadable.length, events: 0, problems: 0, seconds: 0, events_per_second: 0, peak_rss_mb: 0 };
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
    const seen = await conn.runAndReadAll(`SELECT 1 FROM files WHERE hash = '${hash}'`);
    if (seen.currentRowCount > 0) {
      s.skipped++;
      opts.onFile?.(i + 1, files.length, file, 0);
      continue;
    }
    try {
      const r = await ingestFile(conn, file, hash, opts.host, opts.ecs !== false, (p) => { s.problems++; onProblem(p); });
      s.ingested++;
      s.events += r;
      opts.onFile?.(i + 1, files.length, file, r);
    } catch (e) {
      s.failed++;
      onProblem({ file, reason: 'store-error', message: (e as Error).message });
      await conn.run('ROLLBACK').catch(() => {});
    }
  }
  s.seconds = (Date.now() - start) / 1000;
  s.events_per_second = s.seconds > 0 ? Math.round(s.events / s.seconds) : 0;
  s.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  return s;
}

async function ingestFile(conn: DuckDBConnection, file: string, hash: string, host: string | undefined, ecs: boolean, onProblem: (p: ReadProblem) => void): Promise<number> {
  await conn.run('DELETE FROM staging');
  const app = await conn.createAppender('staging', 'main', 'temp');
  let seq = 0;
  let problems = 0;
  try {
    for await (const batch of readEventFile(file, (p) => { problems++; onProblem(p); })) {
      for (const rec of batch) append(app, eventRow(flattenEvent(rec), seq++, { ecs }));
    }
  } finally {
    app.closeSync();
  }
  const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  await conn.run('BEGIN TRANSACTION');
  await conn.run(`INSERT INTO events SELECT ${lit(file)}, ${lit(hash)}, seq, record_id, timestamp,
      TRY_CAST(timestamp AS TIMESTAMP), computer, ${host === undefined ? 'computer' : lit(host)}, channel, channel_lc,
      event_id, provider, m,
      CASE WHEN lists_json IS NULL THEN MAP()::MAP(VARCHAR, VARCHAR[]) ELSE CAST(lists_json::JSON AS MAP(VARCHAR, VARCHAR[])) END,
      all_values, ${PROMOTED_FIELDS.map((f) => `m[${lit(f)}]`).join(', ')},
      CAST(ecs_json::JSON AS MAP(VARCHAR, VARCHAR)),
      CASE WHEN ecs_json IS NULL THEN NULL WHEN ecs_lists_json IS NULL THEN MAP()::MAP(VARCHAR, VARCHAR[]) ELSE CAST(ecs_lists_json::JSON AS MAP(VARCHAR, VARCHAR[])) END,
      CAST(ecs_typed_json::JSON AS VARCHAR[]), ecs_index, ecs_os, ${ECS_PROMOTED_FIELDS.map((f) => ecsPromotedColumn(f)).join(', ')}
    FROM (SELECT *, CAST(fields_json::JSON AS MAP(VARCHAR, VARCHAR)) AS m FROM staging) ORDER BY seq`);
  await conn.run(`INSERT INTO files VALUES (${lit(hash)}, ${lit(file)}, ${seq}, ${problems}, now()::TIMESTAMP)`);
  await conn.run('COMMIT');
  await conn.run('DELETE FROM staging');
  return seq;
}

function append(app: DuckDBAppender, r: EventRow): void {
  app.appendBigInt(BigInt(r.seq));
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
