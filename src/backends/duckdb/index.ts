/** DuckDB backend: Sigma rules as SQL over detectory's event store (see store/schema.ts). */
export { printDuckdb, VALUE_SEPARATOR, type SqlPrintOptions } from './print.js';
export { ruleQuery, type RuleQuery } from './rule-query.js';
export { SqlPrintError } from './errors.js';
