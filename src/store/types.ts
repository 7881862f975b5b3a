/** What every event store (DuckDB, ClickHouse) takes and reports: one contract for ingest and hunt. */
import type { Rule } from '../model/index.js';
import type { Alert } from '../engine/alert.js';
import type { ReadProblem } from '../events/types.js';
import type { RuleSet } from '../engine/rules.js';

export interface IngestOptions {
  /** Host name recorded with every event (default: the event's Computer). */
  host?: string;
  /** Keep each event's ECS document for the Elastic rules (default true; store/ecs-row.ts). */
  ecs?: boolean;
  onProblem?: (p: ReadProblem) => void;
  onFile?: (done: number, total: number, file: string, events: number) => void;
  /** Threads that read files and build rows (default: one per core; 1 = this thread only). */
  threads?: number;
}

export interface IngestSummary {
  files: number;
  ingested: number;
  skipped: number;
  failed: number;
  events: number;
  problems: number;
  seconds: number;
  events_per_second: number;
  peak_rss_mb: number;
}

export interface HuntOptions {
  since?: string;
  until?: string;
  minLevel?: string;
  onAlert(a: Alert): void;
  onSkip(rule: Rule, reason: string, message: string): void;
  /** Rules per SQL statement (default 64). */
  batchSize?: number;
}

export interface HuntSummary {
  rules: number;
  rules_run: number;
  rules_skipped: number;
  skipped_by_reason: Record<string, number>;
  alerts: number;
  seconds: number;
  peak_rss_mb: number;
}

/** An event store named by `--store`: the same verbs whatever engine holds the events. */
export interface EventStore {
  readonly kind: 'duckdb' | 'clickhouse';
  /** The `--store` text it was opened from (for messages). */
  readonly spec: string;
  ingest(paths: string[], opts?: IngestOptions): Promise<IngestSummary>;
  hunt(rules: RuleSet, opts: HuntOptions): Promise<HuntSummary>;
  close(): Promise<void>;
}

/** A store that cannot be opened, is down or refuses: one clear line naming it. */
export class StoreError extends Error {}

/** A `--store` text that names no store kind detectory has: a usage error. */
export class StoreSpecError extends StoreError {}
