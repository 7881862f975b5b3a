/**
 * The hunt, whatever engine holds the events: every loaded rule as one SQL query, batched, alerts
 * in the contract's shape (engine/alert.ts). An engine supplies a SqlDialect (how a rule, a time
 * bound and the shown fields print) and a query runner. A rule that cannot be printed or that the
 * database refuses is reported; the rest go on.
 */
import type { Rule } from '../model/index.js';
import { planRule } from '../engine/plan.js';
import { keywordValues, shownFields as variantShownFields } from '../engine/matcher.js';
import { keywordField, keywordOf } from './keyword-shown.js';
import { decodeListShown, listFieldOf, listShownField } from './list-shown.js';
import type { Alert } from '../engine/alert.js';
import { LEVEL_ORDER } from '../engine/alert.js';
import { ruleKeys, suppressedRuleKeys } from '../engine/correlation.js';
import type { RuleSet } from '../engine/rules.js';
import type { HuntOptions, HuntSummary } from './types.js';
import { huntElastic, type ElasticSql } from './elastic-hunt.js';
import type { BaseWhere } from '../backends/sql-correlation/plan.js';
import type { CorrelationSql, CorrelationSqlOptions } from '../backends/sql-correlation/duckdb.js';
import { huntCorrelations } from './correlation-hunt.js';

export type RuleWhere = { where: string } | { skip: string; message: string };

export interface SqlDialect {
  /** Fields stored with several values somewhere ('all' when unknown). */
  listFields(): Promise<ReadonlySet<string> | 'all'>;
  ruleWhere(rule: Rule, listFields: ReadonlySet<string> | 'all'): RuleWhere;
  /** `ts >= T` / `ts < T` for an ISO time without zone ('YYYY-MM-DD hh:mm:ss.sss'). */
  timeAtLeast(t: string): string;
  timeBefore(t: string): string;
  /** An array expression of the single values of these fields (NULL where absent). */
  shownValues(fields: string[]): string;
  /** The event table to select from. */
  readonly table: string;
  /** Elastic rules over the store's ECS columns (store/elastic-hunt.ts); absent: they are skipped. */
  readonly elastic?: ElasticSql;
  /**
   * Optional: the statement for a batch of rules, rows shaped as the default's (r = the rule's
   * index in the batch). Default: one SELECT per rule, UNION ALL.
   */
  batchSql?(batch: ReadonlyArray<{ rule: Rule; where: string; shown: string[] }>, time: string[]): string;
  /** Optional: rules of one key share batches (e.g. their route, so that one scan serves a batch). */
  batchKey?(rule: Rule): string;
  /** Optional: the order of rules inside one batch key (e.g. rules testing the same literals side by side). */
  batchOrder?(rule: Rule): string;
  /** Rules per statement when the options name none (default 64). */
  readonly batchSize?: number;
  /** A correlation rule as one query returning its alerts (backends/sql-correlation); absent: correlations are skipped. */
  correlationQuery?(rule: Rule, bases: BaseWhere[], correlations: Rule[], opts: CorrelationSqlOptions): CorrelationSql;
  /**
   * Optional, preferred in hunts: runs a correlation itself (e.g. in several statements, the
   * correlations it reads first) and returns its alert rows, or why it is skipped.
   */
  correlationRows?(rule: Rule, bases: BaseWhere[], correlations: Rule[], opts: CorrelationSqlOptions): Promise<{ rows: Array<Record<string, unknown>> } | { skip: string; message: string }>;
  /** Batches in flight at once (default 1); alerts are still reported in batch order. */
  readonly concurrency?: number;
  /**
   * Optional, used when one batch is in flight at a time: runs a batch's statement handing its rows
   * over chunk by chunk, so alerts go to the output as they come and hunt memory does not grow
   * with their number. The batch statement ends in ORDER BY: the database reads the whole batch
   * (and meets any error) before the first row is handed over.
   */
  stream?(sql: string, onRows: (rows: Array<Record<string, unknown>>) => void): Promise<void>;
  /** Optional: work done once before the batches, knowing every rule that will run (e.g. evaluate them on shared tables). */
  prepare?(ready: ReadonlyArray<{ rule: Rule; where: string; shown: string[] }>, time: string[]): Promise<void>;
  /** Optional: rules per batch for one batch key (default: batchSize). */
  batchLimit?(key: string): number | undefined;
}

/** Rows as plain objects: r, file, seq, record_id, timestamp, computer, channel, event_id, shown. */
export type QueryRunner = (sql: string) => Promise<Array<Record<string, unknown>>>;

export async function runHunt(dialect: SqlDialect, query: QueryRunner, rules: RuleSet, opts: HuntOptions): Promise<HuntSummary> {
  const t0 = performance.now();
  const lists = await dialect.listFields();
  const suppressed = suppressedRuleKeys(rules.correlations);
  const minLevel = opts.minLevel ? LEVEL_ORDER[opts.minLevel] : undefined;
  const s: HuntSummary = { rules: rules.detections.length + rules.correlations.length, rules_run: 0, rules_skipped: 0, skipped_by_reason: {}, alerts: 0, seconds: 0, peak_rss_mb: 0 };
  const skip = (rule: Rule, reason: string, message: string): void => {
    s.rules_skipped++;
    s.skipped_by_reason[reason] = (s.skipped_by_reason[reason] ?? 0) + 1;
    opts.onSkip(rule, reason, message);
  };
  const batchSize = opts.batchSize ?? dialect.batchSize ?? 64;
  const time: string[] = [];
  if (opts.since) time.push(dialect.timeAtLeast(opts.since));
  if (opts.until) time.push(dialect.timeBefore(opts.until));
  const ready: Array<{ rule: Rule; where: string; shown: Array<[string, string]> }> = [];
  const bases: BaseWhere[] = [];
  const unprintable = new Map<Rule, string>();
  s.rules += rules.elastic.length;
  if (!dialect.elastic) for (const rule of rules.elastic) skip(rule, 'elastic-not-in-hunt', 'this store does not run Elastic rules yet (run them with scan)');
  for (const rule of rules.detections) {
    const q = dialect.ruleWhere(rule, lists);
    if ('skip' in q) {
      skip(rule, q.skip, q.message);
      if (q.skip === 'not-convertible') unprintable.set(rule, q.message);
      continue;
    }
    bases.push({ rule, where: q.where });
    if (ruleKeys(rule).some((k) => suppressed.has(k))) continue;
    if (minLevel !== undefined && (LEVEL_ORDER[rule.level ?? 'medium'] ?? 2) < minLevel) continue;
    ready.push({ rule, where: q.where, shown: shownFields(rule, lists) });
  }
  // A batch's outcome (alerts, skips) is kept until the batches before it are reported.
  type Outcome = Array<() => void>;
  const width = Math.max(1, dialect.concurrency ?? 1);
  const streamed = width === 1 && dialect.stream ? dialect.stream.bind(dialect) : undefined;
  const run = async (batch: typeof ready): Promise<Outcome> => {
    // One statement for many rules: the per-statement cost (parse, plan) dominates on small stores.
    const sql = dialect.batchSql ? dialect.batchSql(batch.map((b) => ({ rule: b.rule, where: b.where, shown: b.shown.map(([, f]) => f) })), time) : batch.map((b, i) => `SELECT ${i} AS r, file, seq, record_id, timestamp, computer, channel, event_id, ${dialect.shownValues(b.shown.map(([, f]) => f))} AS shown FROM ${dialect.table}
        WHERE ${[...time, `(${b.where})`].join(' AND ')}`).join('\nUNION ALL\n') + '\nORDER BY r, file, seq';
    // One rule object for all of a rule's alerts: the output writes its JSON once (cli/output/alert-json.ts).
    const heads = batch.map((b): Alert['rule'] => ({ id: b.rule.id, title: b.rule.title, level: b.rule.level ?? 'medium', source: 'sigma' }));
    // A store that reads each value combination's list once hands its rows the same list: a rule's
    // next alert with that list gets the same `matched` object (its JSON is then written once).
    let last: { r: number; values: unknown; matched: Alert['matched'] } | undefined;
    const alert = (row: Record<string, unknown>): void => {
      const r = Number(row.r);
      const { rule, shown } = batch[r];
      const values = row.shown as Array<string | null>;
      let matched: Alert['matched'];
      if (last && last.r === r && last.values === values) matched = last.matched;
      else {
        matched = {};
        const keywords: string[] = [];
        for (let i = 0; i < shown.length; i++) {
          if (values[i] === null || values[i] === undefined) continue;
          // A keyword's entry: non-null when the event holds it (store/keyword-shown.ts).
          if (keywordOf(shown[i][1]) !== undefined) keywords.push(shown[i][0]);
          else if (!Object.hasOwn(matched, shown[i][0])) {
            // A field stored as a list somewhere: its text says single value or list (store/list-shown.ts).
            matched[shown[i][0]] = listFieldOf(shown[i][1]) !== undefined ? decodeListShown(values[i]!) : values[i];
          }
        }
        if (keywords.length) matched.keywords = keywords;
        last = { r, values, matched };
      }
      s.alerts++;
      opts.onAlert({
        rule: heads[r],
        event: {
          file: String(row.file),
          record_id: row.record_id === null ? null : Number(row.record_id),
          timestamp: (row.timestamp as string | null) ?? null,
          computer: (row.computer as string | null) ?? null,
          channel: row.channel ? String(row.channel) : null,
          event_id: row.event_id === null ? null : Number(row.event_id),
        },
        techniques: rule.techniques,
        matched,
      });
    };
    const refused = async (e: unknown): Promise<Outcome> => {
      if (batch.length > 1) {
        // Find the rule the database refuses; the others still run.
        const half = Math.ceil(batch.length / 2);
        return [...await run(batch.slice(0, half)), ...await run(batch.slice(half))];
      }
      return [() => {
        skip(batch[0].rule, 'sql-error', (e as Error).message.split('\n')[0]);
        unprintable.set(batch[0].rule, 'the database refused its query');
      }];
    };
    if (streamed) {
      // Alerts leave as their rows arrive (only one batch is in flight: nothing to keep in order).
      let sent = 0;
      try {
        await streamed(sql, (rows) => {
          for (const row of rows) alert(row);
          sent += rows.length;
        });
      } catch (e) {
        if (sent === 0) return refused(e);
        // Failed after some of its alerts went out: rerunning would repeat them; the batch's rules are reported instead.
        return batch.map((b) => () => skip(b.rule, 'sql-error', `the store failed after ${sent} alerts of this rule's batch were written: ${(e as Error).message.split('\n')[0]}`));
      }
      return [() => { s.rules_run += batch.length; }];
    }
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await query(sql);
    } catch (e) {
      return refused(e);
    }
    const out: Outcome = [() => { s.rules_run += batch.length; }];
    for (const row of rows) out.push(() => alert(row));
    return out;
  };
  await dialect.prepare?.(ready.map((b) => ({ rule: b.rule, where: b.where, shown: b.shown.map(([, f]) => f) })), time);
  // Batches: of one key each when the dialect groups rules (e.g. by route), in order otherwise.
  const batches: Array<typeof ready> = [];
  if (dialect.batchKey) {
    const keys = new Map(ready.map((b) => [b, dialect.batchKey!(b.rule)]));
    const order = new Map(ready.map((b) => [b, dialect.batchOrder?.(b.rule) ?? '']));
    const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
    ready.sort((a, b) => cmp(keys.get(a)!, keys.get(b)!) || cmp(order.get(a)!, order.get(b)!));
    for (let i = 0; i < ready.length;) {
      let j = i + 1;
      const limit = dialect.batchLimit?.(keys.get(ready[i])!) ?? batchSize;
      while (j < ready.length && j - i < limit && keys.get(ready[j]) === keys.get(ready[i])) j++;
      batches.push(ready.slice(i, j));
      i = j;
    }
  } else {
    for (let i = 0; i < ready.length; i += batchSize) batches.push(ready.slice(i, i + batchSize));
  }
  const inFlight: Array<Promise<Outcome>> = [];
  let started = 0;
  while (started < batches.length && inFlight.length < width) inFlight.push(run(batches[started++]));
  while (inFlight.length) {
    for (const report of await inFlight.shift()!) report();
    if (started < batches.length) inFlight.push(run(batches[started++]));
  }
  if (dialect.elastic) {
    await huntElastic(dialect.elastic, rules.elastic, {
      time,
      minLevel,
      skip,
      ran: () => { s.rules_run++; },
      alert: (a) => { s.alerts++; opts.onAlert(a); },
    });
  }
  await huntCorrelations(dialect, query, rules.correlations, { bases, unprintable, timeWhere: time }, opts, s, skip);
  s.seconds = Math.round(performance.now() - t0) / 1000;
  s.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  return s;
}

/**
 * The fields of the rule's positive tests as written, each with the event fields it reads (one per
 * logsource variant: Image is NewProcessName on Security 4688), for `matched`, as scan shows them
 * (engine/matcher.ts): a field only a filter or a `not` reads is no reason the rule fired. An event
 * holds one variant's fields, so the first value found is the one its variant read. Then the
 * rule's keywords as scan lists them (matched.keywords), each as its pseudo-field. A field the
 * store holds as a list somewhere (`lists`) is read as its list pseudo-field (store/list-shown.ts):
 * scan shows such a field's whole list.
 */
function shownFields(rule: Rule, lists: ReadonlySet<string> | 'all'): Array<[string, string]> {
  if (!rule.detection) return [];
  const plan = planRule(rule);
  const variants = 'variants' in plan ? plan.variants : [{ detection: rule.detection }];
  // scan's shown fields of each variant (engine/matcher.ts), merged: a rule field -> the event fields it reads
  const out = new Map<string, string[]>();
  for (const v of variants) {
    for (const [shown, field] of variantShownFields(rule.detection, v.detection)) {
      const fields = out.get(shown) ?? [];
      if (!fields.includes(field)) fields.push(field);
      out.set(shown, fields);
    }
  }
  // A rule field named like a pseudo-field (keyword, list) is not shown (it would read as one).
  const fields = [...out].flatMap(([shown, fs]) => fs.filter((f) => keywordOf(f) === undefined && listFieldOf(f) === undefined)
    .map((f): [string, string] => [shown, lists === 'all' || lists.has(f) ? listShownField(f) : f]));
  // Then the keywords scan lists (engine/matcher.ts keywordValues), found by the store (keyword-shown.ts).
  const keywords = new Map<string, string>();
  for (const v of variants) for (const [folded, written] of keywordValues(v.detection)) keywords.set(folded, written);
  return [...fields, ...[...keywords.values()].map((k): [string, string] => [k, keywordField(k)])];
}
