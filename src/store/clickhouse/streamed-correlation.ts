/**
 * A correlation run from its hit stream: ClickHouse selects and sorts the hits, by group then as
 * scan orders them (backends/sql-correlation/clickhouse.ts correlationHitsClickhouse), and scan's
 * own state machine (engine/correlation.ts groupEvaluator) runs over each group as its rows
 * arrive. Memory: one chunk of rows, the open window of the current group (bounded by the
 * timespan, as in scan) and the alert rows. Used for the kinds whose array form copies whole
 * arrays per element on 18.16 (streamsHits). Rows out: the correlation query's columns
 * (alert-row.ts CORRELATION_COLUMNS, plus `seq`, which chained correlations read).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { groupEvaluator, type GroupEvaluator, type Hit } from '../../engine/correlation.js';
import type { Fields } from '../../events/normalize.js';
import type { CorrelationPlan } from '../../backends/sql-correlation/plan.js';

type Row = Record<string, unknown>;

/** Runs a query, handing its rows over chunk by chunk in the query's order. */
export type RowStream = (sql: string, onRows: (rows: Row[]) => void) => Promise<void>;

/**
 * ClickHouse's sort of the hits goes to disk past this many bytes (the server's per-query memory
 * on 18.16's defaults is about 2 GB): the hits of a correlation over a whole store stay bounded.
 */
const EXTERNAL_SORT_BYTES = 500_000_000;

/** A RowStream over a client (one thread per query, as the hunt's other correlation queries). */
export function chRowStream(client: ClickHouseClient): RowStream {
  return async (sql, onRows) => {
    const rs = await client.query({
      query: sql,
      format: 'JSONEachRow',
      clickhouse_settings: { max_threads: 1, max_bytes_before_external_sort: String(EXTERNAL_SORT_BYTES) },
    });
    for await (const chunk of rs.stream()) onRows(chunk.map((r) => r.json<Row>()));
  };
}

interface StreamHit extends Hit {
  row: Row;
}

const text = (x: unknown): string | null => (x === null || x === undefined ? null : String(x));
const num = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));

/** The alert rows of a correlation, given its sorted hits' query (HIT_COLUMNS) and plan. */
export async function streamedCorrelation(plan: CorrelationPlan, sql: string, stream: RowStream): Promise<Row[]> {
  const { c } = plan;
  const out: Row[] = [];
  let key: string | undefined;
  let group: unknown[] = [];
  let evaluator: GroupEvaluator<StreamHit> | undefined;
  const fire = (window: StreamHit[], value: number): void => {
    const last = window[window.length - 1].row;
    out.push({
      g: group, value, count: window.length, first_ms: window[0].time, last_ms: window[window.length - 1].time,
      rules: [...new Set(window.map((h) => h.ruleId))],
      file: last.file, seq: last.seq, record_id: last.record_id, timestamp: last.timestamp, computer: last.computer, channel: last.channel, event_id: last.event_id,
    });
  };
  await stream(sql, (rows) => {
    for (const row of rows) {
      const k = JSON.stringify(row.g);
      if (k !== key || !evaluator) {
        evaluator?.end();
        key = k;
        group = (row.g as unknown[] | null) ?? [];
        evaluator = groupEvaluator<StreamHit>(c, fire);
      }
      const s = plan.sources[Number(row.si)];
      if (!s) throw new Error(`correlation '${plan.rule.title}': hit of an unknown source ${String(row.si)}`);
      // The hit's fields as scan reads them: the group-by and value fields under the names this
      // source's rule reads (aliases resolved by the plan); absent values stay absent.
      const fields: Fields = {};
      s.groupFields.forEach((f, i) => {
        const v = group[i];
        if (v !== null && v !== undefined) fields[f] = String(v);
      });
      if (s.valueField !== null && row.v !== null && row.v !== undefined) fields[s.valueField] = String(row.v);
      const name = s.rule.extra.name;
      evaluator.push({
        ruleId: s.rule.id,
        ruleName: name === undefined || name === null ? undefined : String(name),
        time: Number(row.t),
        fields,
        event: { file: String(row.file), record_id: num(row.record_id), timestamp: text(row.timestamp), computer: text(row.computer), channel: text(row.channel), event_id: num(row.event_id) },
        row,
      });
    }
  });
  evaluator?.end();
  // As the array form orders its alert rows (Array.prototype.sort is stable: groups keep their order).
  return out.sort((a, b) => Number(a.last_ms) - Number(b.last_ms) || Number(a.first_ms) - Number(b.first_ms));
}
