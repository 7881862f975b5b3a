/**
 * The `shown` column of a batch statement (the values of the fields each alert shows, in its rule's
 * order) without a `CASE r WHEN ... END` over the batch's rules: DuckDB tests such a CASE branch by
 * branch on every row (a route of 1,489 rules over 1.15M alerts spent 10 s of CPU in it). Instead
 * the row builds one list of the fields any of the rules shows, once, and picks its rule's entries
 * with list_select from a constant list of positions indexed by r. A field with no column of its
 * own is read from the map only on the rows of rules that show it (a map lookup reads the whole map).
 */
import { promotedColumn } from './promoted-fields.js';
import { sqlKey } from '../../backends/duckdb/literal.js';
import type { MapEntry } from '../../backends/field-reads.js';
import { listFieldOf } from '../list-shown.js';

/** `rules`: batch index and shown fields of each rule the SELECT may return; `value`: a field's single value. */
export function shownSql(rules: ReadonlyArray<{ i: number; shown: readonly string[] }>, value: (field: string) => string): string {
  if (rules.length === 1) return `[${rules[0].shown.map(value).join(', ')}]::VARCHAR[]`;
  const fields = [...new Set(rules.flatMap((x) => x.shown))];
  if (!fields.length) return '[]::VARCHAR[]';
  const position = new Map(fields.map((f, k) => [f, k + 1]));
  const values = fields.map((f) => {
    if (promotedColumn(f) !== undefined) return value(f);
    const showing = rules.filter((x) => x.shown.includes(f)).map((x) => x.i);
    return `CASE WHEN r IN (${showing.join(', ')}) THEN ${value(f)} END`;
  });
  const size = Math.max(...rules.map((x) => x.i)) + 1;
  const picks: string[] = Array.from({ length: size }, () => '[]');
  for (const x of rules) picks[x.i] = `[${x.shown.map((f) => position.get(f)!).join(', ')}]`;
  return `list_select([${values.join(', ')}]::VARCHAR[], ([${picks.join(", ")}]::INTEGER[][])[r + 1])`;
}

/** The map entries a list pseudo-field's text reads (store/list-shown.ts): its single value (when it has no column) and its list. */
export function listShownEntries(field: string): { value?: MapEntry; list: MapEntry } {
  const k = sqlKey(field);
  return {
    ...(promotedColumn(field) === undefined ? { value: { kind: 'value', map: 'fields', key: field, sql: `fields[${k}]` } as MapEntry } : {}),
    list: { kind: 'list', map: 'lists', key: field, sql: `lists[${k}]` },
  };
}

/**
 * The text of a field stored as a list somewhere (store/list-shown.ts): 'S' + its single value, or
 * 'L' + each of its values escaped and ended by a newline, NULL when the event has neither. Each
 * map entry printed through `entry` (a grouped statement's column: batch-sql.ts).
 */
export function listShownSql(pseudo: string, entry: (e: MapEntry) => string = (e) => e.sql): string {
  const field = listFieldOf(pseudo)!;
  const { value, list } = listShownEntries(field);
  const v = value ? entry(value) : promotedColumn(field)!;
  const l = entry(list);
  const escaped = `list_transform(${l}, lambda x: replace(replace(x, '\\', '\\\\'), chr(10), '\\n') || chr(10))`;
  return `CASE WHEN ${v} IS NOT NULL THEN 'S' || ${v} WHEN ${l} IS NOT NULL THEN 'L' || array_to_string(${escaped}, '') END`;
}
