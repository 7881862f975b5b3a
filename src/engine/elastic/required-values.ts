/**
 * Required equalities of a rule's filter: fields that must equal one of a few literal values for the
 * filter to hold (top-level AND conjuncts of `==`, `:` without wildcards, `in`, KQL/Lucene `eq`/`in`).
 * The rule index (rule-index.ts) files a rule under such values so an event meets only the rules
 * that can match it. Keys are case-folded text: a necessary condition for both the case-sensitive
 * and the case-insensitive comparisons of the evaluators (values.ts equals, compile-expr.ts `:`).
 */
import type { EventQuery, Expr } from '../../formats/eql/ast.js';
import type { Detection } from '../../model/index.js';
import { foldString } from '../case-fold.js';
import { foldCached } from '../eql/fold-cache.js';
import { compileGlob } from '../glob.js';
import { requiredLiterals } from '../regex-literals.js';
import { parseCidr } from '../../util/cidr.js';
import { toNumber } from '../eql/values.js';
import type { Scalar, Value } from '../eql/values.js';

export interface Required {
  /** Field path in the ECS document. */
  path: string[];
  /** Index keys (see literalKey / valueKeys); the field must give one of them. */
  keys: string[];
  /**
   * The keys are folded substrings (a wildcard pattern's literal piece, a regex's required literal):
   * the text of one of the field's values must contain one of them, compared case-insensitively.
   */
  contains?: true;
  /** No keys: the field must have a value (EQL `field != null`, KQL `field:*`). */
  exists?: true;
  /**
   * A second need of the same filter: this alternative counts only when one of these holds too
   * (their own `also` is left out). Rules that share a common first need (a category, a process
   * name) are then tested only on the events that also meet their second one.
   */
  also?: Need;
}

/**
 * Alternatives: the filter holds only if one of them does (one Required for a plain test, several
 * for an OR whose every branch has one).
 */
export type Need = Required[];

/**
 * A filter's tests as the class gate reads them: a need (holds when one alternative does), all of
 * several (an AND), or one of several (an OR). Tests that require nothing indexable are left out.
 */
export type Gate = { need: Need } | { all: Gate[] } | { any: Gate[] };

/** At most this many values per required test (a longer list is not worth indexing). */
const MAX_VALUES = 1024;

/**
 * The index key of a literal, or undefined when it cannot be keyed exactly: numbers key as their
 * canonical text, and a numeric string only when it is canonical (the evaluators compare a number
 * field with a numeric string by value: "04688" equals 4688).
 */
export function literalKey(v: Scalar): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  // A boolean equals a boolean, or a string whose lower-cased text is its name (values.ts equals).
  if (typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') return undefined;
  const n = toNumber(v);
  if (n !== null && String(n) !== v) return undefined;
  return foldString(v);
}

/**
 * The keys an event value gives (every element of an array; a numeric string also as its number),
 * leaving out strings longer than maxLength (no key that long exists, and foldString keeps
 * a string's length).
 */
export function valueKeys(v: Value, out: string[], maxLength = Infinity): void {
  if (v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) valueKeys(x, out, maxLength);
    return;
  }
  if (typeof v === 'number') out.push(String(v));
  else if (typeof v === 'string') {
    if (v.length > maxLength && (!mayBeNumber(v) || toNumber(v) === null)) return;
    out.push(foldCached(v));
    if (!mayBeNumber(v)) return;
    const n = toNumber(v);
    if (n !== null && String(n) !== v) out.push(String(n));
  } else if (typeof v === 'boolean') out.push(String(v));
}

/** False when the string cannot be a number (toNumber): it starts with a letter (not I of Infinity), \ or /. */
function mayBeNumber(v: string): boolean {
  const c = v.charCodeAt(0);
  return !((c >= 97 && c <= 122) || (c >= 65 && c <= 90 && c !== 73) || c === 92 || c === 47);
}

function keysOf(values: Scalar[]): string[] | undefined {
  if (values.length === 0 || values.length > MAX_VALUES) return undefined;
  const keys: string[] = [];
  for (const v of values) {
    const k = literalKey(v);
    if (k === undefined) return undefined;
    keys.push(k);
  }
  return keys;
}

/** Needs of an EQL event query (all hold when it matches): its category (when not `any`) and its condition's. */
export function eqlNeeds(q: EventQuery): Need[] {
  return needsOfGate(eqlGate(q));
}

/**
 * The needs that all hold when a gate does: an AND's conjuncts (nested ones flattened), an OR as
 * the best need of every branch together (anyOf; none when a branch has none), a test its need.
 */
function needsOfGate(g: Gate | undefined, out: Need[] = []): Need[] {
  if (g === undefined) return out;
  if ('need' in g) out.push(g.need);
  else if ('all' in g) for (const p of g.all) needsOfGate(p, out);
  else {
    const need = anyOf(g.any.map((p) => needsOfGate(p)));
    if (need) out.push(need);
  }
  return out;
}

/** At most this deep into nested AND / OR (rule trees are untrusted). */
const MAX_DEPTH = 16;

/**
 * String, number and boolean literals (a number keys as its canonical text, which valueKeys also
 * gives for a numeric string: `process.parent.pid == 4` holds for 4 and "4" alike; a boolean as
 * "true"/"false", which valueKeys gives for a boolean and for a string spelling it). Null is left out.
 */
function literals(es: Expr[]): Scalar[] | undefined {
  const out: Scalar[] = [];
  for (const e of es) {
    if (e.type !== 'literal' || (typeof e.value !== 'string' && typeof e.value !== 'number' && typeof e.value !== 'boolean')) return undefined;
    out.push(e.value);
  }
  return out;
}

/** The need of a test that is no AND or OR (undefined: it requires nothing indexable). */
function eqlLeafNeed(e: Expr): Need | undefined {
  const inner = containsNeed(e);
  if (inner) return [inner];
  if (e.type === 'compare' && e.op === '!=' && e.left.type === 'field' && e.right.type === 'literal' && e.right.value === null) {
    // `field != null` holds exactly when the field has a value (compile-expr.ts: a null side equals only null).
    return [{ path: e.left.path, keys: [], exists: true }];
  }
  let values: Scalar[] | undefined;
  let field: Expr | undefined;
  if (e.type === 'compare' && e.op === '==' && e.left.type === 'field') {
    field = e.left;
    values = literals([e.right]);
  } else if (e.type === 'in' && !e.negated && e.left.type === 'field') {
    field = e.left;
    values = literals(e.values);
  } else if (e.type === 'match' && e.op === ':' && !e.negated && e.left.type === 'field') {
    field = e.left;
    values = literals(e.patterns);
    // Wildcards and CIDR ranges are not equalities; a value with a slash that is no range is one
    // (`process.args : "/autoclean"`), as compile-expr.ts tests it.
    if (values?.some((v) => typeof v !== 'string' || v.includes('*') || v.includes('?') || (v.includes('/') && parseCidr(v)))) values = undefined;
  }
  if (!field || field.type !== 'field' || !values) return undefined;
  const keys = keysOf(values);
  return keys ? [{ path: field.path, keys }] : undefined;
}

/**
 * The gate of an EQL event query: its AND / OR tree with each test's need (its category, when not
 * `any`, AND its condition), for the class gate (class-gate.ts), which can then rule out an OR whose
 * every branch fails on some decided field even when the branches' indexed needs are on others.
 * Undefined: nothing required.
 */
export function eqlGate(q: EventQuery): Gate | undefined {
  const parts: Gate[] = [];
  if (q.category.toLowerCase() !== 'any') parts.push({ need: [{ path: ['event', 'category'], keys: [foldString(q.category)] }] });
  const cond = eqlExprGate(q.condition, 0);
  if (cond) parts.push(cond);
  return allOf(parts);
}

function eqlExprGate(e: Expr, depth: number): Gate | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (e.type === 'and') return allOf(e.operands.map((o) => eqlExprGate(o, depth + 1)));
  if (e.type === 'or') return oneOf(e.operands.map((o) => eqlExprGate(o, depth + 1)));
  const need = eqlLeafNeed(e);
  return need ? { need } : undefined;
}

/** An AND's gate: its parts that require something (undefined: none does). */
export function allOf(parts: Array<Gate | undefined>): Gate | undefined {
  const kept = parts.filter((p): p is Gate => p !== undefined);
  return kept.length === 0 ? undefined : kept.length === 1 ? kept[0] : { all: kept };
}

/** An OR's gate: undefined when one branch requires nothing. */
export function oneOf(parts: Array<Gate | undefined>): Gate | undefined {
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  return parts.length === 1 ? parts[0] : { any: parts as Gate[] };
}

/** Shortest literal a contains key may have (a shorter one, like ".exe", is in nearly every value). */
const MIN_LITERAL = 5;

/** At most this many patterns per contains need (the automaton takes many; the rule lists grow). */
const MAX_PATTERNS = 1024;

/** Shortest literal of punctuation or with a rare character (below) that is indexed. */
const MIN_RARE_LITERAL = 3;

/**
 * Rare enough to index: MIN_LITERAL characters, or fewer with one beyond ASCII (an RTLO mark), or
 * MIN_RARE_LITERAL with no letter, digit or space (`:\:` of an alternate data stream at a volume
 * root: "C:\:stream"; a short run of punctuation is seldom in a value) or with a character that
 * names, paths and command lines seldom hold (an underscore: `AA_v*.exe`). Short letter runs and
 * what every path holds (".exe", "c:\", "\\", "/c") stay unindexed: nearly every value has them.
 */
export const selective = (lit: string): boolean => lit.length >= MIN_LITERAL || (lit.length > 0 && /[^\x00-\x7f]/.test(lit))
  || (lit.length >= MIN_RARE_LITERAL && (/^[^a-z0-9\s]+$/i.test(lit) || /[_~$%@#!^&=+;,'"`|<>{}[\]]/.test(lit)));

/** A piece naming a directory ("\\windows\\"): ends with a path separator. */
const isDirectory = (p: string): boolean => /[\\/]$/.test(p);
/** A pattern's last piece naming something in a directory ("\\oci.dll": a separator, then a name, then the pattern's end). */
const isNamed = (p: string, last: boolean): boolean => last && /[\\/][^\\/]+$/.test(p);

/**
 * Is piece `p` a better key than `best`? A selective one beats one that is not; between selective
 * ones, the name a path pattern ends with beats a directory (`?:\\Windows\\*\\oci.dll`: most paths
 * are under ":\\windows\\", few end in "\\oci.dll"), else the longer. `last`: p ends the pattern.
 */
function betterPiece(p: string, last: boolean, best: string): boolean {
  if (selective(p) !== selective(best)) return selective(p);
  if (selective(p) && isDirectory(best) && isNamed(p, last)) return true;
  return p.length > best.length;
}

/** The best literal piece of each pattern (betterPiece), or undefined when one has no selective piece. */
function pieceKeys(pieces: string[][]): string[] | undefined {
  if (pieces.length === 0 || pieces.length > MAX_PATTERNS) return undefined;
  const keys = new Set<string>();
  for (const ps of pieces) {
    let best = '';
    for (const [i, p] of ps.entries()) if (betterPiece(p, i === ps.length - 1, best)) best = p;
    if (!selective(best)) return undefined;
    keys.add(foldString(best));
  }
  return [...keys];
}

/** EQL patterns have no escapes: `*` and `?` are wildcards, everything else is literal. */
const eqlPieces = (pattern: string): string[] => pattern.split(/[*?]/);

/**
 * A contains need of a wildcard `:` list, a like / like~ list or a regex / regex~ list on a field
 * (every pattern must give a literal; plain `:` values of a wildcard list count as their own text).
 * A value matching a pattern contains the pattern's literal pieces, in any case.
 */
function containsNeed(e: Expr): Required | undefined {
  if (e.type !== 'match' || e.negated || e.left.type !== 'field') return undefined;
  const pats: string[] = [];
  for (const p of e.patterns) {
    if (p.type !== 'literal' || typeof p.value !== 'string') return undefined;
    pats.push(p.value);
  }
  let pieces: string[][];
  if (e.op === 'regex') {
    pieces = [];
    for (const p of pats) {
      const lits = requiredLiterals(p);
      if (!lits) return undefined;
      pieces.push(...lits.map((l) => [l]));
    }
  } else {
    // `:` lists without a wildcard are equalities (eqlLeafNeed); a CIDR range is no text test.
    if (e.op === ':' && !pats.some((p) => p.includes('*') || p.includes('?'))) return undefined;
    if (e.op === ':' && pats.some((p) => !(p.includes('*') || p.includes('?')) && (p.includes('/') || toNumber(p) !== null))) return undefined;
    pieces = pats.map(eqlPieces);
  }
  const keys = pieceKeys(pieces);
  return keys ? { path: e.left.path, keys, contains: true } : undefined;
}

/** The need of an OR: the best need of every branch together; undefined when a branch has none. */
function anyOf(branches: Need[][]): Need | undefined {
  const out: Need = [];
  for (const b of branches) {
    const best = pickNeed(b);
    if (!best) return undefined;
    out.push(...best);
  }
  return out;
}

/** Required equalities of a KQL / Lucene rule's lowered tree (as detection-eval.ts evaluates it). */
export function detectionNeeds(d: Detection): Need[] {
  return needsOfGate(detectionGate(d));
}

/** The gate of a KQL / Lucene rule's lowered tree (see eqlGate). */
export function detectionGate(d: Detection, depth = 0): Gate | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (d.kind === 'and') return allOf(d.children.map((c) => detectionGate(c, depth + 1)));
  if (d.kind === 'or') return oneOf(d.children.map((c) => detectionGate(c, depth + 1)));
  const need = detectionLeafNeed(d);
  return need ? { need } : undefined;
}

/** The need of a node that is no AND or OR (a NOT requires nothing; undefined: nothing indexable). */
function detectionLeafNeed(n: Detection): Need | undefined {
  if (n.kind !== 'pred' || n.field === null) return undefined;
  const f = n.flags;
  if (f.fieldref || f.timePart || f.encodings?.length || f.anySeparator || n.values.includes(null)) return undefined;
  const path = n.field.replace(/^\?/, '').split('.');
  if (n.op === 'exists') {
    if (n.values[0] === false) return undefined; // no value required
    // As detection-eval.ts tests it: the field has a value.
    return [{ path, keys: [], exists: true }];
  }
  if (n.op === 'contains' || n.op === 'starts_with' || n.op === 'ends_with' || n.op === 'wildcard') {
    // As detection-eval.ts tests them: the value's text contains the needle (or a glob's pieces).
    const pieces = n.values.map((v) => (n.op === 'wildcard' ? compileGlob(String(v), true).pieces : [String(v)]));
    const keys = pieceKeys(pieces);
    return keys ? [{ path, keys, contains: true }] : undefined;
  }
  if (n.op !== 'eq' && n.op !== 'in') return undefined;
  // Booleans are keyed for EQL's equality only (detection-eval.ts compares them its own way).
  if (n.values.some((v) => typeof v === 'boolean')) return undefined;
  const keys = keysOf(n.values);
  return keys ? [{ path, keys }] : undefined;
}

/**
 * Preferred index fields, most selective first; a field not listed ranks after them, then contains
 * needs, the category and event.type (many rules share one), a field having a value, and
 * host.os.type last (every Windows event has it).
 */
const PREFERENCE = ['event.code', 'winlog.event_id', 'event.action', 'process.name', 'dll.name', 'file.name', 'process.parent.name', 'file.extension', 'registry.value', 'process.pe.original_file_name'];

function rank(r: Required): number {
  // After the equalities on named fields, before the category and OS tests most rules share.
  if (r.contains) return PREFERENCE.length + 1;
  // A field having a value: often most events of a kind (process.name), so after the category
  // (measured: before it, rules moved from a category or a literal to a commoner field).
  if (r.exists) return PREFERENCE.length + 3;
  const name = r.path.join('.');
  const i = PREFERENCE.indexOf(name);
  if (i >= 0) return i;
  if (name === 'host.os.type') return PREFERENCE.length + 4;
  if (name === 'event.category' || name === 'event.type') return PREFERENCE.length + 2;
  return PREFERENCE.length;
}

/** A need ranks as its worst alternative; fewer alternatives first. */
function needRank(n: Need): number {
  let worst = 0;
  for (const r of n) worst = Math.max(worst, rank(r));
  return worst * 1000 + n.length;
}

/** Is the need only about the category, event.type or the OS (tests most rules of a kind share)? */
function isCommon(n: Need): boolean {
  return n.every((r) => {
    const name = r.path.join('.');
    return name === 'event.category' || name === 'event.type' || name === 'host.os.type';
  });
}

const isOs = (n: Need): boolean => n.every((r) => r.path.join('.') === 'host.os.type');

/** The alternatives without their own second need (the index reads one level). */
const plain = (n: Need): Need => n.map((r) => (r.also ? { path: r.path, keys: r.keys, ...(r.contains ? { contains: true as const } : {}), ...(r.exists ? { exists: true as const } : {}) } : r));

/**
 * The need to index a filter under (undefined: none): the best one (needRank), each alternative
 * with the best of the other needs as its second need (`also`): a need on another field before the
 * category and event.type, never host.os.type (every Windows event has it). Alternatives that
 * already have one (the branches of an OR, each with its own pair) keep theirs unless the filter's
 * ranks before it (secondRank): both hold when the filter does, and the more selective one leaves
 * fewer events to test (`process.name : "cmd.exe" and process.args : "/c"`, a branch of a rule
 * whose filter also needs one of four parent names, is paired with the parent names).
 */
export function pickNeed(needs: Need[]): Need | undefined {
  let best: Need | undefined;
  for (const n of needs) if (!best || needRank(n) < needRank(best)) best = n;
  if (!best) return undefined;
  let second: Need | undefined;
  for (const n of needs) {
    if (n === best || isOs(n)) continue;
    if (!second || secondRank(n) < secondRank(second)) second = n;
  }
  if (!second) return best;
  const also = plain(second);
  const rank = secondRank(also);
  return best.map((r) => (r.also && secondRank(r.also) <= rank ? r : { ...r, also }));
}

/** Rank of a second need: a selective one first, then the category and event.type. */
const secondRank = (n: Need): number => (isCommon(n) ? 1_000_000 : 0) + needRank(n);
