import type { Db } from '../store/db.js';

/**
 * The ATT&CK tables in the catalog database. Every row carries the release it came from, so several
 * releases live side by side; importing a release again replaces its rows.
 */
export const ATTACK_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS attack_releases (
     release VARCHAR PRIMARY KEY, ordinal INTEGER, domain VARCHAR, source_file VARCHAR, release_source VARCHAR,
     bundle_id VARCHAR, spec_version VARCHAR, imported_at TIMESTAMP, objects INTEGER, relationships INTEGER)`,
  `CREATE TABLE IF NOT EXISTS attack_objects (
     release VARCHAR, stix_id VARCHAR, attack_id VARCHAR, type VARCHAR, kind VARCHAR, name VARCHAR,
     description VARCHAR, created VARCHAR, modified VARCHAR, version VARCHAR, deprecated BOOLEAN, revoked BOOLEAN,
     is_subtechnique BOOLEAN, platforms VARCHAR[], tactics VARCHAR[], shortname VARCHAR, url VARCHAR,
     content_hash VARCHAR, json VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS attack_relationships (
     release VARCHAR, stix_id VARCHAR, relationship_type VARCHAR, source_ref VARCHAR, target_ref VARCHAR,
     source_type VARCHAR, target_type VARCHAR, description VARCHAR, deprecated BOOLEAN, revoked BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS attack_embedded_refs (
     release VARCHAR, source_ref VARCHAR, field VARCHAR, target_ref VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS attack_log_sources (
     release VARCHAR, owner_ref VARCHAR, owner_type VARCHAR, ordinal INTEGER, data_component_ref VARCHAR,
     name VARCHAR, channel VARCHAR, event_ids INTEGER[], product VARCHAR, service VARCHAR, categories VARCHAR[])`,
  `CREATE TABLE IF NOT EXISTS attack_mutable_elements (
     release VARCHAR, analytic_ref VARCHAR, ordinal INTEGER, field VARCHAR, description VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS attack_history (
     stix_id VARCHAR, attack_id VARCHAR, type VARCHAR, name VARCHAR, release VARCHAR, ordinal INTEGER,
     present BOOLEAN, status VARCHAR, modified VARCHAR, version VARCHAR, content_hash VARCHAR, change VARCHAR,
     fields_added VARCHAR[], fields_removed VARCHAR[], fields_changed VARCHAR[])`,
];

/** Tables holding one release's rows (deleted before that release is imported again). */
export const PER_RELEASE_TABLES: readonly string[] = [
  'attack_objects', 'attack_relationships', 'attack_embedded_refs', 'attack_log_sources', 'attack_mutable_elements',
];

export async function ensureAttackSchema(db: Db): Promise<void> {
  // attack_history is derived (rebuilt on every import): an older shape is dropped, not migrated.
  if ((await tableExists(db, 'attack_history')) && !(await tableColumns(db, 'attack_history')).includes('status')) {
    await db.conn.run('DROP TABLE attack_history');
  }
  for (const ddl of ATTACK_DDL) await db.conn.run(ddl);
}

export async function tableExists(db: Db, name: string): Promise<boolean> {
  const r = await db.conn.runAndReadAll(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $1 AND table_schema = current_schema()`, [name]);
  return Number(r.getRowObjectsJson()[0]?.n ?? 0) > 0;
}

export async function tableColumns(db: Db, name: string): Promise<string[]> {
  const r = await db.conn.runAndReadAll(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position`, [name]);
  return r.getRowObjectsJson().map((row) => String(row.column_name));
}
