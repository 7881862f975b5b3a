/**
 * A batch of rules evaluated once per distinct combination of the values they read, as the DuckDB
 * hunt does (store/duckdb/batch-sql.ts), on one shard's local table: logs repeat (the same image,
 * command line, service on every host and every day), so the rules' string functions run on far
 * fewer rows than the events. When every rule of the batch reads only the route columns and
 * promoted columns (no f_keys/f_values arrays, lists or all_values: those make nearly every event
 * distinct), the statement
 * 1. groups the batch's events (routes, time, visible attempts, literal prefilter) by those
 *    columns, computes each rule's hit per group and keeps the (group, rule) pairs that hold;
 * 2. joins them back to the events by the same columns, each Nullable column as two non-null
 *    keys (its value or '', and whether it is NULL: a join key that is NULL matches nothing).
 * The same (rule, event) pairs as evaluating every event: a rule's outcome depends only on the
 * columns it reads, and the prefilter is a necessary condition of each rule of the batch, so a
 * group that matches holds only events that pass it.
 */
import { PROMOTED_FIELDS } from '../duckdb/promoted-fields.js';
import type { FieldReads, MapEntry } from '../../backends/field-reads.js';
import { SIGMA_FIELDS } from '../../backends/clickhouse/print.js';

const PROMOTED = new Set(PROMOTED_FIELDS.map((f) => `f_${f}`));
/** Event columns a rule may read and still be grouped (besides the promoted ones). */
const ROUTE = ['channel_lc', 'eid'];

/** Whether the event has a field without a column (`has(f_keys, 'K')`): route-groups.ts groups by these too. */
export const isPresence = (e: MapEntry): boolean => e.kind === 'has' && e.map === SIGMA_FIELDS.keys;

/**
 * The promoted columns of `reads` (what the printer reported: backends/field-reads.ts), sorted,
 * when they read no other event column than the route's, no map whole, and no field entry but
 * (`presence`) presence reads; else null (the rules are evaluated per event).
 */
export function groupColumns(reads: FieldReads, presence = false): string[] | null {
  if (reads.wholeMap) return null;
  for (const e of reads.entries.values()) if (!presence || !isPresence(e)) return null;
  const cols = [...reads.columns];
  if (cols.some((c) => !PROMOTED.has(c) && !ROUTE.includes(c))) return null;
  return cols.filter((c) => PROMOTED.has(c)).sort();
}

export interface GroupedBatch {
  /** Each rule's condition (0/1/NULL), in batch order (r = index). */
  hits: string[];
  /** Conditions every event of the batch must pass (visible attempts, time, routes, prefilter). */
  where: string[];
  /** Promoted columns the conditions read (groupColumns). */
  columns: string[];
  /** The alert row's expressions (r and event columns: any column of `read`). */
  select: string;
  /** The event columns `select` reads besides r. */
  read: string[];
  table: string;
}

/** The statement: rows (r, file, seq, ...) as the per-event statement's, in its order. */
export function groupedBatchSql(b: GroupedBatch): string {
  const cols = [...ROUTE, ...b.columns];
  // Non-null join keys for every column: k<i> its value ('' for NULL), n<i> whether it is NULL.
  const keys = cols.flatMap((c, i) => [`ifNull(${c}, '') AS k${i}`, `isNull(${c}) AS n${i}`]);
  const names = cols.flatMap((_, i) => [`k${i}`, `n${i}`]);
  const where = b.where.join(' AND ');
  return `SELECT ${b.select}
FROM (
  SELECT ${[...new Set(b.read)].join(', ')}, ${keys.join(', ')}
  FROM ${b.table}
  WHERE ${where}
) ALL INNER JOIN (
  SELECT ${names.join(', ')}, arrayJoin(arrayFilter((i, h) -> h = 1, range(${b.hits.length}), [${b.hits.map((h) => `ifNull((${h}), 0)`).join(',\n    ')}])) AS r
  FROM (
    SELECT ${cols.join(', ')}, ${keys.join(', ')}
    FROM ${b.table}
    WHERE ${where}
    GROUP BY ${cols.join(', ')}
  )
) USING (${names.join(', ')})
ORDER BY r, file, seq`;
}
