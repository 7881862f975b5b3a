/**
 * A batch's literal prefilter on ClickHouse: some column holds one of the literals its rules need
 * (backends/duckdb/prefilter.ts: a necessary condition of each rule, read through lowerUTF8 as the
 * printer reads the values). 18.16 computes every argument of AND and OR on every row it reads, so
 * the rules' conditions run only on the rows that pass (a block left empty is not computed at all).
 * Measured on the sample logs: a 16-rule statement's server CPU 146 -> 87 ms.
 */
import type { Atom } from '../../backends/duckdb/prefilter.js';
import { chMatch, chString } from '../../backends/clickhouse/literal.js';
import { ALTERNATION, chunks, reLiteral } from '../../backends/sql/shared.js';

/** Up to this many literals of one column are tested by position() each, more by one RE2 alternation. */
const FEW = 3;

export function chPrefilterSql(need: Atom[]): string {
  const byColumn = new Map<string, Set<string>>();
  for (const a of need) {
    let set = byColumn.get(a.column);
    if (!set) byColumn.set(a.column, (set = new Set()));
    set.add(a.literal);
  }
  const tests: string[] = [];
  for (const [column, set] of byColumn) {
    const lits = [...set];
    if (lits.length <= FEW) tests.push(...lits.map((l) => `position(${column}, ${chString(l)}) > 0`));
    else for (const part of chunks(lits, ALTERNATION)) tests.push(chMatch(column, part.map(reLiteral).join('|')));
  }
  return tests.length ? `ifNull(${tests.join(' OR ')}, 0)` : '0';
}
