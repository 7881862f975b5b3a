/** ClickHouse backend: Sigma rules as SQL over detectory's ClickHouse event tables (store/clickhouse/schema.ts). */
export { printClickhouse, type ChPrintOptions } from './print.js';
export { chRuleQuery } from './rule-query.js';
export { chString, chMatch } from './literal.js';
