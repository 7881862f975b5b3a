/**
 * A batch's literal prefilter on ClickHouse: some column holds one of the literals its rules need
 * (backends/duckdb/prefilter.ts: a necessary condition of each rule, read through lowerUTF8 as the
 * printer reads the values). 18.16 computes every argument of AND and OR on every row it reads, so
 * the rules' conditions run only on the rows that pass (a block left empty is not computed at all).
 * Measured on the sample logs: a 16-rule statement's server CPU 146 -> 87 ms.
 */
import { prefilterTests, type Atom } from '../../backends/duckdb/prefilter.js';
import { chMatch, chString } from '../../backends/clickhouse/literal.js';

export function chPrefilterSql(need: Atom[]): string {
  const tests = prefilterTests(need, (column, l) => `position(${column}, ${chString(l)}) > 0`, (column, alt) => chMatch(column, alt));
  return tests.length ? `ifNull(${tests.join(' OR ')}, 0)` : '0';
}
