/**
 * Every loaded rule as one SQL query over the store; alerts in the contract's shape (engine/alert.ts).
 * A rule that cannot be printed or that the database refuses is reported; the rest go on.
 * Correlation rules are not run in SQL yet: each is reported as skipped with the reason.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Rule, walkPredicates } from '../../model/index.js';
import type { Alert } from '../../engine/alert.js';
import { LEVEL_ORDER } from '../../engine/alert.js';
import { ruleKeys, suppressedRuleKeys } from '../../engine/correlation.js';
import type { RuleSet } from '../../engine/rules.js';
import { ruleQuery } from '../../backends/duckdb/rule-query.js';
import { sqlString } from '../../backends/duckdb/literal.js';
import type { HuntOptions, HuntSummary } from '../types.js';

/** Fields stored with several values somewhere (the SQL reads `lists` only for those). */
export async function listFields(conn: DuckDBConnection): Promise<Set<string> | 'all'> {
  try {
    const r = await conn.runAndReadAll('SELECT DISTINCT unnest(map_keys(lists)) AS k FROM events');
    return new Set(r.getRowObjectsJson().map((row) => String(row.k)));
  } catch {
    // The store refuses even this: every rule then reports the store's own error.
    return 'all';
  }
}

export async function hunt(conn: DuckDBConnection, rules: RuleSet, opts: HuntOptions): Promise<HuntSummary> {
  const t0 = performance.now();
  const lists = await listFields(conn);
  const suppressed = suppressedRuleKeys(rules.correlations);
  const minLevel = opts.minLevel ? LEVEL_ORDER[opts.minLevel] : undefined;
  const s: HuntSummary = { rules: rules.detections.length + rules.correlations.length, rules_run: 0, rules_skipped: 0, skipped_by_reason: {}, alerts: 0, seconds: 0, peak_rss_mb: 0 };
  const skip = (rule: Rule, reason: string, message: string): void => {
    s.rules_skipped++;
    s.skipped_by_reason[reason] = (s.skipped_by_reason[reason] ?? 0) + 1;
    opts.onSkip(rule, reason, message);
  };
  const batchSize = opts.batchSize ?? 64;
  const time: string[] = [];
  if (opts.since) time.push(`ts >= TRY_CAST(${sqlString(opts.since)} AS TIMESTAMP)`);
  if (opts.until) time.push(`ts < TRY_CAST(${sqlString(opts.until)} AS TIMESTAMP)`);
  const ready: Array<{ rule: Rule; where: string; shown: Array<[string, string]> }> = [];
  // Elastic rules run in `scan` (ECS documents, EQL sequences); hunt does not print them as SQL yet.
  s.rules += rules.elastic.length;
  for (const rule of rules.elastic) skip(rule, 'elastic-not-in-hunt', 'Elastic rules run in scan; hunt runs Sigma rules as SQL for now');
  for (const rule of rules.detections) {
    const q = ruleQuery(rule, { listFields: lists });
    if ('skip' in q) {
      skip(rule, q.skip, q.message);
      continue;
    }
    if (ruleKeys(rule).some((k) => suppressed.has(k))) continue;
    if (minLevel !== undefined && (LEVEL_ORDER[rule.level ?? 'medium'] ?? 2) < minLevel) continue;
    ready.push({ rule, where: q.where, shown: shownFields(rule) });
  }
  const run = async (batch: typeof ready): Promise<void> => {
    // One statement for many rules: the per-statement cost (parse, plan) dominates on small stores.
    const sql = batch.map((b, i) => {
      const shown = `[${b.shown.map(([, f]) => `fields[${sqlString(f)}]`).join(', ')}]::VARCHAR[]`;
      return `SELECT ${i} AS r, file, seq, record_id, timestamp, computer, channel, event_id, ${shown} AS shown FROM events
        WHERE ${[...time, `(${b.where})`].join(' AND ')}`;
    }).join('\nUNION ALL\n') + '\nORDER BY r, file, seq';
    let rows: Record<string, unknown>[];
    try {
      rows = (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    } catch (e) {
      if (batch.length > 1) {
        // Find the rule the database refuses; the others still run.
        const half = Math.ceil(batch.length / 2);
        await run(batch.slice(0, half));
        await run(batch.slice(half));
      } else skip(batch[0].rule, 'sql-error', (e as Error).message.split('\n')[0]);
      return;
    }
    s.rules_run += batch.length;
    for (const row of rows) {
      const { rule, shown } = batch[Number(row.r)];
      const values = row.shown as Array<string | null>;
      const matched: Alert['matched'] = {};
      shown.forEach(([name], i) => {
        if (values[i] !== null && values[i] !== undefined) matched[name] = values[i];
      });
      s.alerts++;
      opts.onAlert({
        rule: { id: rule.id, title: rule.title, level: rule.level ?? 'medium', source: 'sigma' },
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
    }
  };
  for (let i = 0; i < ready.length; i += batchSize) await run(ready.slice(i, i + batchSize));
  for (const c of rules.correlations) skip(c, 'correlation-not-supported', 'correlation rules do not run as SQL yet (run them with scan)');
  s.seconds = Math.round(performance.now() - t0) / 1000;
  s.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  return s;
}

/** The rule's fields as written, with the field each reads (for `matched`). */
function shownFields(rule: Rule): Array<[string, string]> {
  const out = new Map<string, string>();
  if (rule.detection) walkPredicates(rule.detection, (p) => {
    if (p.field !== null && p.op !== 'exists') out.set(p.authoredField ?? p.field, p.field);
  });
  return [...out].slice(0, 32);
}
