/**
 * An Elastic rule's events as a WHERE over the store's ECS columns (store/duckdb/schema.ts): its
 * filter trees printed with the Elastic leaf semantics (print.ts ElasticSemantics: the condition
 * holds for every event the rule can match), and its allowed (index, os) pairs.
 */
import type { Detection } from '../../model/index.js';
import { printDuckdb, type FieldSource } from './print.js';
import { SqlPrintError } from './errors.js';
import { sqlString } from './literal.js';
import { ecsPromotedColumn } from '../../store/ecs-promoted-fields.js';

export const ECS_FIELDS: FieldSource = { single: 'ecs', lists: 'ecs_lists', typed: 'ecs_typed', promoted: ecsPromotedColumn, noNullValues: true };

export interface ElasticWhereOptions {
  lists: ReadonlySet<string> | 'all';
  typed: ReadonlySet<string> | 'all';
}

/** `trees` OR-ed; a tree with no SQL form (a value past the length limit...) selects every event. */
export function elasticWhere(trees: Detection[], scopes: Array<{ index: string | null; os: string | null }> | 'all', opts: ElasticWhereOptions): string {
  const filters = trees.map((t) => {
    try {
      return printDuckdb(t, { source: ECS_FIELDS, listFields: opts.lists, elastic: { typedFields: opts.typed } });
    } catch (e) {
      if (e instanceof SqlPrintError) return 'TRUE';
      throw e;
    }
  });
  const parts = [`(${filters.join('\n OR ')})`];
  if (scopes !== 'all') {
    const eq = (col: string, v: string | null): string => (v === null ? `${col} IS NULL` : `${col} = ${sqlString(v)}`);
    parts.unshift(scopes.length ? `(${scopes.map((s) => `(${eq('ecs_index', s.index)} AND ${eq('ecs_os', s.os)})`).join(' OR ')})` : 'FALSE');
  }
  return parts.join(' AND ');
}
