/** The promoted fields (store/duckdb/promoted-fields.ts: the same list and reasons) as ClickHouse columns. */
import { PROMOTED_FIELDS } from '../duckdb/promoted-fields.js';

const PROMOTED = new Set(PROMOTED_FIELDS);

/** The column of a promoted field (names in the list are plain identifiers), else undefined. */
export function promotedColumn(field: string): string | undefined {
  return PROMOTED.has(field) ? `f_${field}` : undefined;
}
