/**
 * Runtime values of the EQL evaluator and the comparisons between them (Elasticsearch semantics).
 * A field may hold several values (an ECS array such as event.category): a test on it holds when it
 * holds for one of them; a function reads its first value. Missing fields are null.
 */
import { foldString } from '../case-fold.js';

export type Scalar = string | number | boolean | null;
export type Value = Scalar | Scalar[];
export type Doc = Record<string, unknown>;

/** Reads a dotted field from a document: flat keys ("a.b"), nested objects, or a mix of both. */
export function getField(doc: Doc, path: readonly string[]): Value {
  return fieldReader(path)(doc);
}

/** A reader of one field, compiled once (the common nested case walks without allocating). */
export function fieldReader(path: readonly string[]): (doc: Doc) => Value {
  const flatKey = path.join('.');
  const n = path.length;
  // joined[i][j]: path[i..j) joined with dots, built once (missing fields take the walk below).
  const joined = path.map((_, i) => path.map((_, j) => (j > i ? path.slice(i, j + 1).join('.') : '')));
  return (doc) => {
    let node: unknown = doc;
    // Where the nested walk stopped: a plain object without path[at] (walk() would come down the
    // same objects to it, so it resumes there), or -1 when it met an array or a scalar.
    let at = -1;
    let stop: unknown;
    for (let i = 0; i < n; i++) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) {
        node = undefined;
        break;
      }
      const next: unknown = (node as Doc)[path[i]];
      if (next === undefined) {
        if (i > 0) {
          at = i;
          stop = node;
        }
        node = undefined;
        break;
      }
      node = next;
    }
    if (node !== undefined && (node === null || typeof node !== 'object')) return node as Scalar;
    if (node === undefined && n > 1) {
      const flat = doc[flatKey];
      if (flat !== undefined) return normalize(flat);
      if (at > 0) return normalize(walk(stop, path, at, joined));
      return normalize(walk(doc, path, 0, joined));
    }
    return normalize(node);
  };
}

/**
 * The reader of `path` shared by every test that reads it, remembering its answer for the last
 * document: the rules a scan runs on one event (and the rule index) read the same few fields again
 * and again. Documents must not change once read (a scan's do not).
 */
export function sharedFieldReader(path: readonly string[]): (doc: Doc) => Value {
  const key = path.join('\u0001');
  let r = SHARED_READERS.get(key);
  if (r) return r;
  r = lastDocMemo(fieldReader(path));
  if (SHARED_READERS.size < MAX_SHARED_READERS) SHARED_READERS.set(key, r);
  return r;
}

/** `f` remembering its answer for the last document (events do not change once built). */
export function lastDocMemo(f: (doc: Doc) => Value): (doc: Doc) => Value {
  let lastDoc: Doc | undefined;
  let last: Value = null;
  return (doc) => {
    if (doc !== lastDoc) {
      last = f(doc);
      lastDoc = doc;
    }
    return last;
  };
}

const SHARED_READERS = new Map<string, (doc: Doc) => Value>();
const MAX_SHARED_READERS = 100_000;

function walk(node: unknown, path: readonly string[], i: number, joined: string[][]): unknown {
  if (i === path.length) return node;
  if (node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (const x of node) {
      const v = walk(x, path, i, joined);
      if (Array.isArray(v)) out.push(...v);
      else if (v !== undefined && v !== null) out.push(v);
    }
    return out.length ? out : undefined;
  }
  const o = node as Doc;
  const direct = o[path[i]];
  if (direct !== undefined) return walk(direct, path, i + 1, joined);
  // A partly flattened document: {"process": {"parent.name": ...}}.
  for (let j = path.length; j > i + 1; j--) {
    const v = o[joined[i][j - 1]];
    if (v !== undefined) return walk(v, path, j, joined);
  }
  return undefined;
}

function normalize(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) {
    // The common case, an array of plain values, is returned as it is (no copy).
    let plain = v.length > 0;
    for (const x of v) {
      const t = typeof x;
      if (x === null || (t !== 'string' && t !== 'number' && t !== 'boolean')) {
        plain = false;
        break;
      }
    }
    if (plain) return v.length === 1 ? (v[0] as Scalar) : (v as Scalar[]);
    const out: Scalar[] = [];
    for (const x of v) {
      const s = normalize(x);
      if (Array.isArray(s)) out.push(...s);
      else if (s !== null) out.push(s);
    }
    if (out.length === 0) return null;
    return out.length === 1 ? out[0] : out;
  }
  return null; // objects are not values
}

/** The first value of a (possibly multi-valued) field, as functions read it. */
export function first(v: Value): Scalar {
  return Array.isArray(v) ? (v.length ? v[0] : null) : v;
}

/** Does `test` hold for the value or one of its values? */
export function some(v: Value, test: (s: Scalar) => boolean): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (test(x)) return true;
    return false;
  }
  return test(v);
}

export function toNumber(s: Scalar): number | null {
  if (typeof s === 'number') return s;
  if (typeof s === 'string' && s.trim() !== '') {
    const n = Number(s);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

/** EQL's string form of a value (string(x), concat). */
export function toText(s: Scalar): string | null {
  if (s === null) return null;
  return String(s);
}

/**
 * Equality of two scalars. Strings compare case-sensitively unless `insensitive`; a number and a
 * numeric string compare as numbers, a boolean and "true"/"false" as booleans (a keyword field
 * queried with a number matches its text, a long field queried with a string its number).
 */
export function equals(a: Scalar, b: Scalar, insensitive: boolean): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === typeof b) {
    if (typeof a === 'string') return insensitive ? foldString(a) === foldString(b as string) : a === b;
    return a === b;
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    return x !== null && y !== null && x === y;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a).toLowerCase() === String(b).toLowerCase();
  return false;
}

/** Ordering of two non-null scalars: negative, zero, positive, or null when they do not compare. */
export function order(a: Scalar, b: Scalar): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== null && y !== null) return x - y;
    return null;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

/** EQL writes patterns without escapes: `*` and `?` are always wildcards, a backslash is literal. */
export function eqlPatternToGlob(p: string): string {
  return p.replace(/\\/g, '\\\\');
}

export function hasWildcard(p: string): boolean {
  return p.includes('*') || p.includes('?');
}

/** A stable text for a join key made of several values (type-aware: 1 and "1" differ). */
export function keyText(values: Scalar[]): string {
  return JSON.stringify(values);
}
