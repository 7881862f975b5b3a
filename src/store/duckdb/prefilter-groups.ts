/**
 * The rules of one route in groups that each scan only the events holding one of their literals
 * (backends/duckdb/prefilter.ts). Each group is its own SELECT over the route: one RE2
 * alternation per column reads a value once for all of the group's literals, and the group's
 * detections run on the few events that pass. Rules without such literals, or whose literals are
 * in most events (estimated on a sample: literal-sample.ts), form one group that reads every event
 * of the route. Which group a rule lands in changes speed only, never alerts.
 */
import { prefilterTests, type Atom } from '../../backends/duckdb/prefilter.js';
import { sqlString } from '../../backends/duckdb/literal.js';

/**
 * Rules per group at most, and the share of events (estimated) a group's literals may pass. Each
 * filter costs an RE2 pass over its columns for every event of the route, so few large groups
 * did best: all Windows Sigma rules over 379k events, one thread, took 15.3 s of DuckDB CPU with
 * groups of 32 rules passing 10%, 12.5 s with 128 and 60%, 12.9 s with 128 and no pass bound.
 */
export const GROUP = 128;
const GROUP_PASS = 0.6;
/** A rule whose literals pass more than this share of events runs unfiltered. */
const OPEN_PASS = 0.3;

export interface Grouped<T> {
  items: T[];
  /** The group's filter; null: every event of the route. */
  need: Atom[] | null;
}

const atomKey = (a: Atom): string => `${a.column}\u0000${a.literal}`;
const key = (need: Atom[]): string => need.map(atomKey).sort().join('\u0001');

export function groupByLiterals<T extends { need: Atom[] | null }>(items: T[], freq: (a: Atom) => number = () => 0): Array<Grouped<T>> {
  const pass = (atoms: Iterable<Atom>): number => {
    let n = 0;
    for (const a of atoms) n += freq(a);
    return n;
  };
  const weak = (x: T): boolean => x.need === null || pass(x.need) > OPEN_PASS;
  const open = items.filter(weak);
  // An empty need: the detection never holds (e.g. FALSE), the rule reads nothing.
  const keyed = items.filter((x) => !weak(x) && x.need!.length > 0)
    .map((x) => ({ x, k: key(x.need!) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ x }) => x);
  const out: Array<Grouped<T>> = [];
  let group: T[] = [];
  let atoms = new Map<string, Atom>();
  for (const x of keyed) {
    const next = new Map(atoms);
    for (const a of x.need!) next.set(atomKey(a), a);
    if (group.length && (group.length >= GROUP || pass(next.values()) > GROUP_PASS)) {
      out.push({ items: group, need: [...atoms.values()] });
      group = [];
      atoms = new Map(x.need!.map((a) => [atomKey(a), a]));
    } else atoms = next;
    group.push(x);
  }
  if (group.length) out.push({ items: group, need: [...atoms.values()] });
  if (open.length) out.push({ items: open, need: null });
  return out;
}

/** The group's filter: some column holds one of its literals (both lower case). */
export function prefilterSql(need: Atom[]): string {
  const tests = prefilterTests(need, (column, l) => `contains(${column}, ${sqlString(l)})`,
    (column, alt) => `regexp_matches(${column}, ${sqlString(`(?:${alt})`)})`);
  return `coalesce(${tests.join(' OR ')}, FALSE)`;
}
