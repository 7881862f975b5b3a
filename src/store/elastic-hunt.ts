/**
 * Elastic rules in `hunt`, whatever engine holds the events. What runs where:
 * - In SQL (the engine's ElasticSql): which events each rule reads. That is the rule's index
 *   patterns and OS tags (against the store's ecs_index / ecs_os), its lowered tree (KQL, Lucene,
 *   an EQL event query; for an EQL sequence or sample, every stage's filter and the `until` filter,
 *   OR-ed) printed over the ECS maps with the Elastic leaf semantics (backends/sql/elastic-leaf.ts,
 *   one walker for the DuckDB and ClickHouse printers), and --since/--until; rows come back per rule in the order `scan` reads them
 *   (files in ingest order, events in file order).
 * - In process, on those rows only: the scan's own Elastic runner (engine/elastic/runner.ts) over
 *   the documents read back from the maps: it tests each row again with the query's exact meaning
 *   (EQL functions and null semantics, numbers as numbers), assembles sequences and samples (join
 *   keys, maxspan, until, missing events) with the EQL machinery, aggregates threshold and
 *   new_terms rules, and builds the alerts. Since the SQL selects every event the rule can match
 *   (and at times more), hunt raises the alerts `scan` raises on the same events.
 * Join keys are not tested in SQL: the runner drops stage events with a null required key.
 * One limit: where the input's timestamps go backwards (files of different times read one after the
 * other), a sequence's outcome can depend on events that match none of its stages (they advance the
 * matcher's clock, which expires partial sequences and closes trailing missing-event windows), and
 * hunt's runner sees fewer of those than scan's; on time-ordered input the outcome is the same.
 */
import type { Rule } from '../model/index.js';
import { ruleTree } from '../model/index.js';
import type { Alert } from '../engine/alert.js';
import { LEVEL_ORDER } from '../engine/alert.js';
import { ElasticRunner } from '../engine/elastic/runner.js';
import { eventScope, inScope } from '../engine/elastic/index-patterns.js';
import type { Detection } from '../model/index.js';
import { docFromEcsRow } from './ecs-row.js';

/** Store-wide facts the SQL printer needs. */
export interface EcsFacts {
  /** Fields with several values somewhere ('all' when unknown). */
  lists: ReadonlySet<string> | 'all';
  /** Fields stored as numbers or booleans somewhere ('all' when unknown). */
  typed: ReadonlySet<string> | 'all';
  /** The distinct (index, os) pairs of the stored documents. */
  scopes: Array<{ index: string | null; os: string | null }>;
  /** Set when the store has no ECS columns (made before them): why no Elastic rule can run. */
  noEcs?: string;
}

/** One event read back: its place and its ECS maps. */
export interface EcsRow {
  /** Which rule of the statement selected it. */
  r: number;
  file: string;
  recordId: number | null;
  timestamp: string | null;
  single: Record<string, string | null>;
  lists: Record<string, string[] | null> | null;
  typed: string[] | null;
}

/** The engine's part: its SQL and its way of streaming rows. */
export interface ElasticSql {
  facts(): Promise<EcsFacts>;
  /** The events a rule reads: its filter trees (OR-ed) and its allowed (index, os) pairs ('all': any). */
  where(trees: Detection[], scopes: EcsFacts['scopes'] | 'all', facts: EcsFacts): string;
  /**
   * One statement for several rules (`time`: extra conditions ANDed to each); rows ordered by r,
   * then stream order, handed over in chunks.
   */
  stream(parts: Array<{ r: number; where: string }>, time: string[], onRows: (rows: EcsRow[]) => void): Promise<void>;
  /** Rules per statement this engine prefers (the context's batchSize wins; default 32). */
  readonly batchSize?: number;
  /** Statements in flight at once (default 1); alerts are still reported in batch order. */
  readonly concurrency?: number;
}

export interface ElasticHuntContext {
  time: string[];
  minLevel?: number;
  /** Rules per statement (default 32). */
  batchSize?: number;
  alert(a: Alert): void;
  skip(rule: Rule, reason: string, message: string): void;
  ran(rule: Rule): void;
}

interface Ready {
  rule: Rule;
  where: string;
  /** The scan's runner for this rule alone (it reports a failure once, in `failed`). */
  runner: ElasticRunner;
  failed?: string;
  /** The rule's alerts, held until the batches before its own are reported. */
  alerts: Alert[];
}

export async function huntElastic(sql: ElasticSql, rules: Rule[], ctx: ElasticHuntContext): Promise<void> {
  if (rules.length === 0) return;
  const facts = await sql.facts();
  if (facts.noEcs) {
    for (const rule of rules) ctx.skip(rule, 'store-without-ecs', facts.noEcs);
    return;
  }
  const ready: Ready[] = [];
  for (const rule of rules) {
    // As the Sigma hunt does, rules below --min-level do not run at all.
    if (ctx.minLevel !== undefined && (LEVEL_ORDER[rule.level ?? 'medium'] ?? 2) < ctx.minLevel) continue;
    // The runner says which rules run at all (type, language, EQL analysis): the same as scan's.
    const r = { rule, alerts: [] as Alert[] } as Ready;
    r.runner = new ElasticRunner([rule], (a) => r.alerts.push(a), (p) => { r.failed ??= p.message; });
    if (r.runner.skipped.length) {
      for (const s of r.runner.skipped) ctx.skip(rule, s.reason, s.message);
      continue;
    }
    const scope = eventScope((rule.extra.index as string[] | undefined) ?? [], rule.tags);
    const allowed = facts.scopes.filter((p) => inScope(scope, p.os ?? undefined, p.index ?? undefined));
    r.where = sql.where(filterTrees(rule), allowed.length === facts.scopes.length ? 'all' : allowed, facts);
    ready.push(r);
  }
  const batchSize = ctx.batchSize ?? sql.batchSize ?? 32;
  // A batch's outcome (alerts, skips) is reported once the batches before it are.
  type Outcome = Array<() => void>;
  const run = async (batch: Ready[]): Promise<Outcome> => {
    let delivered = false;
    try {
      await sql.stream(batch.map((b, r) => ({ r, where: b.where })), ctx.time, (rows) => {
        delivered = true;
        for (const row of rows) {
          batch[row.r].runner.push({ file: row.file, ...(row.recordId !== null ? { recordId: row.recordId } : {}), ...(row.timestamp !== null ? { timestamp: row.timestamp } : {}), event: {}, ecs: docFromEcsRow(row.single, row.lists, row.typed) });
        }
      });
    } catch (e) {
      // Find the rule the database refuses (only before any row went to a runner: no alert twice).
      if (!delivered && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        return [...await run(batch.slice(0, half)), ...await run(batch.slice(half))];
      }
      return batch.map((b) => () => ctx.skip(b.rule, 'sql-error', (e as Error).message.split('\n')[0]));
    }
    return batch.map((b) => () => {
      b.runner.finish();
      for (const a of b.alerts) ctx.alert(a);
      b.alerts = [];
      if (b.failed !== undefined) ctx.skip(b.rule, 'runtime-error', b.failed);
      else ctx.ran(b.rule);
    });
  };
  const batches: Ready[][] = [];
  for (let i = 0; i < ready.length; i += batchSize) batches.push(ready.slice(i, i + batchSize));
  const inFlight: Array<Promise<Outcome>> = [];
  let started = 0;
  const width = Math.max(1, sql.concurrency ?? 1);
  while (started < batches.length && inFlight.length < width) inFlight.push(run(batches[started++]));
  while (inFlight.length) {
    for (const report of await inFlight.shift()!) report();
    if (started < batches.length) inFlight.push(run(batches[started++]));
  }
}

/** The filters whose events the rule's runner must see: a sequence's every stage and its `until`. */
export function filterTrees(rule: Rule): Detection[] {
  if (rule.sequence) return [...rule.sequence.stages.map((s) => s.detection), ...(rule.sequence.until ? [rule.sequence.until.detection] : [])];
  const t = ruleTree(rule);
  return t ? [t] : [{ kind: 'const', value: true }];
}
