/**
 * A necessary condition of a detection, as literals: if the detection holds on an event, one of
 * the returned atoms holds too (its lower-cased column contains the literal). The hunt groups the
 * rules of a route by these literals and skips, with one RE2 alternation per column, the events
 * that contain none of a group's literals: most rules then never run on most events. Only plain
 * ASCII literals of MIN_LITERAL+ characters are kept (lower() in DuckDB and the engine's fold
 * agree on them); anything else (a negation, a number compare, a map or list field, a regex
 * without a required literal) gives null: no condition, the rule runs on every event of its route.
 */
import { ALTERNATION, chunks, reLiteral } from '../sql/shared.js';
import type { Detection, Predicate } from '../../model/index.js';
import { foldString } from '../../engine/case-fold.js';
import { compileGlob } from '../../engine/glob.js';
import { requiredLiterals } from '../../engine/regex-literals.js';
import { expandSeparators } from '../../taxonomy/separators.js';
import { loweredColumn, loweredSql } from '../../store/duckdb/promoted-fields.js';
import type { FieldSource } from './print.js';

/** Shorter literals are found in most events: no use as a filter. */
export const MIN_LITERAL = 3;

/** `column` (a lower-cased SQL expression) contains `literal` (lower case). */
export interface Atom {
  column: string;
  literal: string;
  /** The stored column `column` reads (the lower-cased column, else the field's own; all_values), when DuckDB's lowering is used. */
  reads?: string;
}

/** Up to this many literals of one column are tested one by one in a prefilter, more by one RE2 alternation. */
const FEW_LITERALS = 3;

/**
 * A prefilter's tests, whatever the dialect: per column, each of a few literals by `contains`, or
 * many by `matches` on their RE2 alternation (`a|b|c`, literals escaped), in chunks of ALTERNATION.
 */
export function prefilterTests(need: Atom[], contains: (column: string, literal: string) => string, matches: (column: string, alternation: string) => string): string[] {
  const byColumn = new Map<string, Set<string>>();
  for (const a of need) {
    let set = byColumn.get(a.column);
    if (!set) byColumn.set(a.column, (set = new Set()));
    set.add(a.literal);
  }
  const tests: string[] = [];
  for (const [column, set] of byColumn) {
    const lits = [...set];
    if (lits.length <= FEW_LITERALS) tests.push(...lits.map((l) => contains(column, l)));
    else for (const part of chunks(lits, ALTERNATION)) tests.push(matches(column, part.map(reLiteral).join('|')));
  }
  return tests;
}

const PLAIN = /^[\x20-\x7e]*$/;
/** Flags that leave the values plain literals of the field (encodings and expansions are already applied). */
const FLAGS = new Set(['cased', 'regexFlags', 'encodings', 'expanded']);

/**
 * Where the literals are looked for: the printer's field source, and how a promoted column is
 * lower-cased in the target's SQL (default DuckDB's, loweredSql).
 */
export type LiteralSource = Pick<FieldSource, 'allValues' | 'promoted'> & { lowered?: (column: string) => string };

/** How often an event passes a set of atoms (lower is better); default: by literal lengths. */
export type AtomCost = (atoms: Atom[]) => number;

export function necessaryLiterals(d: Detection, src: LiteralSource, isList: (field: string) => boolean, cost?: AtomCost, depth = 0): Atom[] | null {
  if (depth > 200) return null;
  switch (d.kind) {
    case 'pred':
      return predAtoms(d.flags.anySeparator ? expandSeparators(d) : d, src, isList);
    case 'const':
      // FALSE never holds: no event needs to pass.
      return d.value ? null : [];
    case 'or': {
      const out: Atom[] = [];
      for (const c of d.children) {
        const a = necessaryLiterals(c, src, isList, cost, depth + 1);
        if (a === null) return null;
        out.push(...a);
      }
      return dedupe(out);
    }
    case 'and': {
      // The child whose literals are rarest (longest shortest literal, then fewest).
      let best: Atom[] | null = null;
      for (const c of d.children) {
        const a = necessaryLiterals(c, src, isList, cost, depth + 1);
        if (a !== null && (best === null || (cost ? cost(a) < cost(best) : better(a, best)))) best = a;
      }
      return best;
    }
    default:
      return null;
  }
}

function better(a: Atom[], b: Atom[]): boolean {
  const ma = shortest(a);
  const mb = shortest(b);
  return ma !== mb ? ma > mb : a.length < b.length;
}

const shortest = (a: Atom[]): number => (a.length ? Math.min(...a.map((x) => x.literal.length)) : Infinity);

function dedupe(atoms: Atom[]): Atom[] {
  const seen = new Map<string, Atom>();
  for (const a of atoms) seen.set(`${a.column}\u0000${a.literal}`, a);
  return [...seen.values()];
}

function predAtoms(p: Predicate, src: LiteralSource, isList: (field: string) => boolean): Atom[] | null {
  if (Object.keys(p.flags).some((k) => !FLAGS.has(k) && p.flags[k as keyof typeof p.flags] !== undefined)) return null;
  if (!p.values.length || p.values.some((v) => v === null || String(v) === '')) return null;
  let column: string;
  let reads: string | undefined;
  if (p.field === null) {
    // Keyword search: the printer reads the folded, joined all-values column for these ops only.
    if (!src.allValues || !['eq', 'in', 'contains', 'starts_with', 'ends_with'].includes(p.op) || p.flags.cased) return null;
    column = reads = src.allValues;
  } else {
    const own = src.promoted?.(p.field);
    if (own === undefined || isList(p.field)) return null;
    column = (src.lowered ?? loweredSql)(own);
    if (!src.lowered) reads = loweredColumn(own) ?? own;
  }
  const literals: string[] = [];
  for (const v of p.values.map(String)) {
    switch (p.op) {
      case 'eq':
      case 'in':
      case 'contains':
      case 'starts_with':
      case 'ends_with':
        literals.push(v);
        break;
      case 'wildcard': {
        const pieces = compileGlob(v, true).pieces;
        literals.push(pieces.reduce((a, b) => (b.length > a.length ? b : a), ''));
        break;
      }
      case 'regex_match': {
        const req = requiredLiterals(v);
        if (!req) return null;
        literals.push(...req);
        break;
      }
      default:
        return null;
    }
  }
  const atoms: Atom[] = [];
  for (const l of literals) {
    const folded = foldString(l);
    if (folded.length < MIN_LITERAL || !PLAIN.test(folded) || folded !== l.toLowerCase()) return null;
    atoms.push(reads === undefined ? { column, literal: folded } : { column, literal: folded, reads });
  }
  return dedupe(atoms);
}
