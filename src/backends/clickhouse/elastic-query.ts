/**
 * An Elastic rule's events as a WHERE over the ClickHouse store's ECS columns
 * (store/clickhouse/schema.ts), as backends/duckdb/elastic-query.ts does over DuckDB's: its filter
 * trees printed with the Elastic leaf semantics (backends/sql/elastic-leaf.ts: the condition holds
 * for every event the rule can match), and its allowed (index, os) pairs.
 */
import type { Detection } from '../../model/index.js';
import { SqlPrintError } from '../duckdb/errors.js';
import type { ElasticWhereOptions } from '../duckdb/elastic-query.js';
import { printClickhouse, type ChFieldSource } from './print.js';
import { chString } from './literal.js';

/** The ECS columns: single values as parallel key/value arrays, several values likewise. */
export const ECS_FIELDS: ChFieldSource = { keys: 'ecs_keys', values: 'ecs_values', listKeys: 'ecs_lkeys', listValues: 'ecs_lvalues', typed: 'ecs_typed' };

/** `trees` OR-ed; a tree with no SQL form (a value past the length limit...) selects every event. */
export function chElasticWhere(trees: Detection[], scopes: Array<{ index: string | null; os: string | null }> | 'all', opts: ElasticWhereOptions): string {
  const filters = trees.map((t) => {
    try {
      return printClickhouse(t, { source: ECS_FIELDS, listFields: opts.lists, elastic: { typedFields: opts.typed } });
    } catch (e) {
      if (e instanceof SqlPrintError) return '1';
      throw e;
    }
  });
  const parts = [`(${filters.join('\n OR ')})`];
  if (scopes !== 'all') {
    const eq = (col: string, v: string | null): string => (v === null ? `isNull(${col})` : `ifNull(${col} = ${chString(v)}, 0)`);
    parts.unshift(scopes.length ? `(${scopes.map((s) => `(${eq('ecs_index', s.index)} AND ${eq('ecs_os', s.os)})`).join(' OR ')})` : '0');
  }
  return parts.join(' AND ');
}
