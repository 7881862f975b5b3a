/** Sigma correlation rules as SQL: one query per correlation returning its alerts (DuckDB, ClickHouse). */
export { correlationDuckdb, type CorrelationSql, type CorrelationSqlOptions } from './duckdb.js';
export { correlationAlert, CORRELATION_COLUMNS } from './alert-row.js';
export { planCorrelation, windowMode, type BaseWhere, type CorrelationPlan, type WindowMode } from './plan.js';
