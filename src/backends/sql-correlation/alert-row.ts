/**
 * A row of a correlation query (duckdb.ts, clickhouse.ts) as the alert scan raises for it
 * (engine/correlation.ts toAlert): the last hit's event, the group, count, value, time range and
 * the rules seen, in the order they were seen.
 */
import type { Rule } from '../../model/index.js';
import type { Alert } from '../../engine/alert.js';

/** The columns every dialect's correlation query returns, in this order. */
export const CORRELATION_COLUMNS = ['g', 'value', 'count', 'first_ms', 'last_ms', 'rules', 'file', 'record_id', 'timestamp', 'computer', 'channel', 'event_id'] as const;

const iso = (t: number): string | null => (Number.isFinite(t) && t > 0 ? new Date(t).toISOString() : null);
const num = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));
const text = (x: unknown): string | null => (x === null || x === undefined ? null : String(x));

export function correlationAlert(rule: Rule, row: Record<string, unknown>): Alert {
  const c = rule.correlation!;
  const values = (row.g as Array<string | null> | null) ?? [];
  const group: Record<string, string | null> = {};
  c.groupBy.forEach((name, i) => {
    group[name] = values[i] ?? null;
  });
  return {
    rule: { id: rule.id, title: rule.title, level: rule.level ?? 'medium', source: 'sigma', type: 'correlation' },
    event: {
      file: String(row.file),
      record_id: num(row.record_id),
      timestamp: text(row.timestamp),
      computer: text(row.computer),
      channel: row.channel ? String(row.channel) : null,
      event_id: num(row.event_id),
    },
    techniques: rule.techniques,
    matched: { ...group },
    correlation: {
      type: c.type,
      group,
      count: Number(row.count),
      value: Number(row.value),
      first: iso(Number(row.first_ms)),
      last: iso(Number(row.last_ms)),
      rules: ((row.rules as unknown[] | null) ?? []).map(String),
    },
  };
}
