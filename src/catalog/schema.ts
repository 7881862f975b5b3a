import type { Db } from '../store/db.js';

/**
 * The catalog tables. Every row carries the file it came from, so an incremental rebuild deletes and
 * re-inserts the rows of changed files only. `uid` identifies a rule in the catalog (a rule's own id
 * is not unique across vendors and folders): "<file>#<index of the rule in the file>".
 */
export const CATALOG_VERSION = 'catalog-5';

export const CATALOG_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS catalog_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS files (
     path VARCHAR, vendor VARCHAR, size BIGINT, mtime_ms DOUBLE, hash VARCHAR,
     rules INTEGER, problems INTEGER, parsed_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS rules (
     uid VARCHAR, id VARCHAR, title VARCHAR, vendor VARCHAR, path VARCHAR, folder VARCHAR, doc_index INTEGER,
     status VARCHAR, level VARCHAR, type VARCHAR, language VARCHAR,
     product VARCHAR, category VARCHAR, service VARCHAR, event_types VARCHAR[],
     techniques VARCHAR[], tactics VARCHAR[], tags VARCHAR[], refs VARCHAR[],
     description VARCHAR, query VARCHAR, has_search_clause BOOLEAN,
     predicates INTEGER, parse_status VARCHAR, parse_note VARCHAR, model VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS predicates (
     rule_uid VARCHAR, rule_id VARCHAR, vendor VARCHAR, path VARCHAR, tree_path VARCHAR, value_index INTEGER,
     field VARCHAR, vendor_field VARCHAR, op VARCHAR, match_op VARCHAR,
     value VARCHAR, value_norm VARCHAR, authored_op VARCHAR, authored_value VARCHAR,
     negated BOOLEAN, exclusion BOOLEAN, cased BOOLEAN, flags VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS rule_techniques (
     rule_uid VARCHAR, rule_id VARCHAR, vendor VARCHAR, path VARCHAR,
     technique_id VARCHAR, parent_id VARCHAR, is_subtechnique BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS rule_events (rule_uid VARCHAR, vendor VARCHAR, path VARCHAR, event VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS parse_problems (
     file VARCHAR, vendor VARCHAR, line INTEGER, "column" INTEGER, "where" VARCHAR, reason VARCHAR, message VARCHAR)`,
];

/** Tables whose rows belong to one rule file (column naming the file). */
export const PER_FILE_TABLES: ReadonlyArray<readonly [string, string]> = [
  ['rules', 'path'],
  ['predicates', 'path'],
  ['rule_techniques', 'path'],
  ['rule_events', 'path'],
  ['parse_problems', 'file'],
  ['files', 'path'],
];

export async function ensureCatalogSchema(db: Db): Promise<void> {
  for (const ddl of CATALOG_DDL) await db.conn.run(ddl);
}

export async function dropCatalog(db: Db): Promise<void> {
  for (const [t] of PER_FILE_TABLES) await db.conn.run(`DROP TABLE IF EXISTS ${t}`);
  await db.conn.run(`DROP TABLE IF EXISTS catalog_meta`);
}

export async function getMeta(db: Db, key: string): Promise<string | undefined> {
  const r = await db.conn.runAndReadAll(`SELECT value FROM catalog_meta WHERE key = $1`, [key]);
  const v = r.getRowObjectsJson()[0]?.value;
  return typeof v === 'string' ? v : undefined;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db.conn.run(`INSERT OR REPLACE INTO catalog_meta VALUES ($1, $2)`, [key, value]);
}

export async function hasCatalog(db: Db): Promise<boolean> {
  const r = await db.conn.runAndReadAll(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'rules' AND table_schema = current_schema()`);
  return Number(r.getRowObjectsJson()[0]?.n ?? 0) > 0;
}
