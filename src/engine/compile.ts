/**
 * A Detection tree to a test closure, plus what the matcher needs to skip it cheaply:
 * `triggers`, pattern ids at least one of which is found in any event the tree matches (null when
 * no such set exists: the rule is then evaluated on every event of its channel), and the fields
 * whose automata must run. Case-insensitive literal tests read the marks of the shared automata.
 */
import type { Detection, Predicate } from '../model/index.js';
import type { Fields } from '../events/normalize.js';
import { foldString } from './case-fold.js';
import { compileGlob } from './glob.js';
import { directTest, type Test } from './leaves.js';
import { KEYWORDS, type LiteralTable } from './literals.js';
import { requiredLiterals } from './regex-literals.js';
import { expandSeparators } from '../taxonomy/separators.js';

export interface Compiled {
  test: Test;
  triggers: number[] | null;
}

export interface CompileState {
  literals: LiteralTable;
  /** Fields whose automata this tree needs (KEYWORDS for keyword searches). */
  scanFields: Set<string>;
  /**
   * Only the test is wanted (a variant restored from a plan, whose triggers and scanned fields are
   * in the plan): the literals required by regexes and globs are not derived again.
   */
  testOnly?: boolean;
}

const LITERAL_OPS = new Set(['eq', 'in', 'contains', 'starts_with', 'ends_with']);

export function compileDetection(d: Detection, st: CompileState): Compiled {
  switch (d.kind) {
    case 'pred':
      // A basename of a cross-platform rule: its values with either path separator.
      return compilePredicate(d.flags.anySeparator ? expandSeparators(d) : d, st);
    case 'unknown':
      // The loader refuses rules with unknown conditions; reaching here is a programming error.
      throw new Error(`cannot compile an unknown condition: ${d.reason}: ${d.text}`);
    case 'computed':
      // Sigma has no computed values; a tree from another language with one is refused before this.
      throw new Error(`cannot compile a test of a computed value (${d.name ?? 'unnamed'})`);
    case 'const':
      return { test: d.value ? () => true : () => false, triggers: d.value ? null : [] };
    case 'not': {
      const c = compileDetection(d.child, st);
      const t = c.test;
      return { test: (f) => !t(f), triggers: null };
    }
    case 'and': {
      const cs = d.children.map((c) => compileDetection(c, st));
      const tests = cs.map((c) => c.test);
      // Any child's triggers are necessary for the whole: take the set least likely to be found.
      let best: number[] | null = null;
      let bestCost = Infinity;
      if (!st.testOnly) for (const c of cs) {
        if (!c.triggers) continue;
        const cost = triggerCost(c.triggers, st.literals);
        if (cost < bestCost) {
          best = c.triggers;
          bestCost = cost;
        }
      }
      const test: Test = tests.length === 2
        ? ((a, b) => (f: Fields) => a(f) && b(f))(tests[0], tests[1])
        : (f) => { for (let i = 0; i < tests.length; i++) if (!tests[i](f)) return false; return true; };
      return { test, triggers: best };
    }
    case 'or': {
      const cs = d.children.map((c) => compileDetection(c, st));
      const tests = cs.map((c) => c.test);
      const triggers = !st.testOnly && cs.every((c) => c.triggers) ? [...new Set(cs.flatMap((c) => c.triggers!))] : null;
      const test: Test = (f) => { for (let i = 0; i < tests.length; i++) if (tests[i](f)) return true; return false; };
      return { test, triggers };
    }
  }
}

function compilePredicate(p: Predicate, st: CompileState): Compiled {
  const shared = LITERAL_OPS.has(p.op) && !p.flags.cased && !p.flags.fieldref && !p.flags.timePart
    && p.values.length > 0 && p.values.every((v) => v !== null && String(v) !== '');
  if (shared) return sharedLiteral(p, st);
  const test = directTest(p);
  if (st.testOnly) return { test, triggers: null };
  // Regexes are prefiltered by the literals they require (a necessary condition).
  if (p.op === 'regex_match' && !p.flags.fieldref) {
    const field = p.field ?? KEYWORDS;
    const lits: string[] = [];
    for (const v of p.values) {
      const req = requiredLiterals(String(v));
      if (!req) return { test, triggers: null };
      lits.push(...req);
    }
    st.scanFields.add(field);
    return { test, triggers: [...new Set(lits.map((x) => st.literals.id(field, foldString(x))))] };
  }
  // Globs are prefiltered by their longest literal piece (a necessary condition).
  if (p.op === 'wildcard') {
    const field = p.field ?? KEYWORDS;
    const pieces = p.values.map((v) => longest(compileGlob(String(v), false).pieces));
    if (pieces.every((x) => x.length > 0)) {
      st.scanFields.add(field);
      return { test, triggers: [...new Set(pieces.map((x) => st.literals.id(field, x)))] };
    }
  }
  return { test, triggers: null };
}

/**
 * How likely a set of patterns is to be found in an event, roughly: a pattern of n characters
 * counts 2^-n (".exe" is everywhere, "\\edr-freeze" rarely), so that an `and` is keyed on its
 * rarest literals and its test runs on few events. Only speed depends on this choice.
 */
function triggerCost(ids: number[], literals: LiteralTable): number {
  let cost = 0;
  for (const id of ids) cost += 2 ** -Math.min(literals.lengthOf(id), 30);
  return cost;
}

function longest(pieces: string[]): string {
  return pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
}

function sharedLiteral(p: Predicate, st: CompileState): Compiled {
  const field = p.field ?? KEYWORDS;
  st.scanFields.add(field);
  // Keyword searches match anywhere in any value.
  const op = p.field === null ? 'contains' : p.op;
  const exact = op === 'eq' || op === 'in';
  const ids = p.values.map((v) => st.literals.id(field, foldString(String(v)), exact));
  const kind = op === 'contains' ? 'hit' : op === 'starts_with' ? 'start' : op === 'ends_with' ? 'end' : 'exact';
  return { test: markTest(st.literals, kind, ids), triggers: [...new Set(ids)] };
}

/**
 * Whether one of the patterns has the mark of this event. One function per kind of mark: closures
 * of one source share their feedback, and `marks[kind]` read with four different keys there was a
 * megamorphic lookup per leaf test.
 */
function markTest(lit: LiteralTable, kind: 'hit' | 'start' | 'end' | 'exact', ids: number[]): Test {
  if (ids.length === 1) {
    const id = ids[0];
    switch (kind) {
      case 'hit': return () => { const m = lit.marks; return m.hit[id] === m.gen; };
      case 'start': return () => { const m = lit.marks; return m.start[id] === m.gen; };
      case 'end': return () => { const m = lit.marks; return m.end[id] === m.gen; };
      case 'exact': return () => { const m = lit.marks; return m.exact[id] === m.gen; };
    }
  }
  const arr = Int32Array.from(ids);
  switch (kind) {
    case 'hit': return () => anyMarked(lit.marks.hit, arr, lit.marks.gen);
    case 'start': return () => anyMarked(lit.marks.start, arr, lit.marks.gen);
    case 'end': return () => anyMarked(lit.marks.end, arr, lit.marks.gen);
    case 'exact': return () => anyMarked(lit.marks.exact, arr, lit.marks.gen);
  }
}

function anyMarked(marks: Int32Array, ids: Int32Array, gen: number): boolean {
  for (let i = 0; i < ids.length; i++) if (marks[ids[i]] === gen) return true;
  return false;
}
