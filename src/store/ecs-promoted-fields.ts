/**
 * ECS fields stored as their own columns besides the `ecs` map (the Elastic rules' counterpart of
 * duckdb/promoted-fields.ts): the fields the Windows Elastic rules test most (counted over the 571
 * Windows eql/query/threshold/new_terms rules: event.category and host.os.type in 534, event.type
 * 371, process.name 322, ...). A map lookup reads the whole map of every row: on 8k events one
 * `ecs['process.name']` test took about 100 ms, a column a few (DuckDB 1.5, loaded 2-core machine).
 * Only a field's single value goes there; several values stay in `ecs_lists`.
 */
export const ECS_PROMOTED_FIELDS: readonly string[] = [
  'event.category', 'host.os.type', 'event.type', 'process.name', 'process.executable', 'process.parent.name',
  'event.action', 'process.pe.original_file_name', 'user.id', 'process.command_line', 'file.path', 'event.code',
  'process.parent.executable', 'registry.path', 'file.name', 'registry.value', 'file.extension',
  'powershell.file.script_block_text', 'process.parent.command_line', 'dll.name', 'dns.question.name',
];

const PROMOTED = new Set(ECS_PROMOTED_FIELDS);

/** The column of a promoted ECS field, else undefined. */
export function ecsPromotedColumn(field: string): string | undefined {
  return PROMOTED.has(field) ? `"ecs.${field}"` : undefined;
}
