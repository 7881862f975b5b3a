import type { Db } from '../store/db.js';

/**
 * The catalog tables. Every row carries the file it came from, so an incremental rebuild deletes and
 * re-inserts the rows of changed files only. `uid` identifies a rule in the catalog (a rule's own id
 * is not unique across vendors and folders): "<file>#<index of the rule in the file>".
 */
export const CATALOG_VERSION = 'catalog-6';

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
  `CREATE TABLE IF NOT EXISTS rule_losses (
     rule_uid VARCHAR, vendor VARCHAR, path VARCHAR, text VARCHAR, reason VARCHAR, "offset" INTEGER, detail VARCHAR)`,
];

/** What each table and its less obvious columns hold (COMMENT ON: `SELECT * FROM duckdb_columns()` shows them). */
export const CATALOG_COMMENTS: Readonly<Record<string, string>> = {
  files: 'one row per rule file cataloged: size, mtime and content hash decide whether a rebuild parses it again',
  rules: 'one row per rule (a failed file: one placeholder row with parse_status failed); uid = file#index',
  'rules.folder': 'first folder below the folder given to catalog build (sigma: rules, deprecated, unsupported; splunk: endpoint, cloud)',
  'rules.parse_status': 'parsed (every condition of the raw query is in the predicates) | partial (lost conditions in rule_losses, problems, or no predicates where a query was expected) | failed (file unreadable as rules)',
  'rules.model': 'the normalized rule (model Rule as JSON, fields canonicalized)',
  predicates: 'one row per (predicate, value) of each rule, fields on the canonical taxonomy',
  'predicates.tree_path': 'position in the boolean tree: child indexes from the root, "0.2.0"',
  'predicates.value': 'the value compared (for encoded values such as base64offset: the value as authored, see flags)',
  'predicates.field': 'canonical field: Sigma taxonomy name where Sigma has one, else ECS; null for keyword searches',
  'predicates.vendor_field': 'the field as written in the rule',
  'predicates.match_op': 'op with in folded into eq: the operator indicators and corpus reach compare',
  'predicates.value_norm': 'comparison key: lower-cased unless cased; wildcard values as authors write them',
  'predicates.negated': 'under an odd number of not',
  'predicates.exclusion': 'under a top-level not (reached from the root through and only; each stage of a sequence counts as a root)',
  rule_techniques: 'ATT&CK techniques per rule, upper-case; parent_id = the technique for sub-techniques',
  rule_events: 'event types per rule (Sigma logsource categories as the vocabulary)',
  parse_problems: 'problems met while reading rule files (and Splunk macros): file, position, reason, message',
  rule_losses: 'conditions of a rule\'s raw query that its predicate tree does not hold exactly (the rule is partial): text as written, reason, offset in the query',
  'rule_losses.reason': 'short category: subsearch, computed-comparison, unsupported-function, macro-missing, unknown, constant...',
};

/** Tables whose rows belong to one rule file (column naming the file). */
export const PER_FILE_TABLES: ReadonlyArray<readonly [string, string]> = [
  ['rules', 'path'],
  ['predicates', 'path'],
  ['rule_techniques', 'path'],
  ['rule_events', 'path'],
  ['parse_problems', 'file'],
  ['rule_losses', 'path'],
  ['files', 'path'],
];

export async function ensureCatalogSchema(db: Db): Promise<void> {
  for (const ddl of CATALOG_DDL) await db.conn.run(ddl);
  for (const [what, text] of Object.entries(CATALOG_COMMENTS)) {
    await db.conn.run(`COMMENT ON ${what.includes('.') ? 'COLUMN' : 'TABLE'} ${what} IS '${text.replace(/'/g, "''")}'`);
  }
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
