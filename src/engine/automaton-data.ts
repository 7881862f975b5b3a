/**
 * The tables of one literal automaton (see aho-corasick.ts), as plain typed arrays so that they can
 * be written to the rule cache and shared with worker threads. Tables read back from a file are
 * checked before use: every index a scan follows must stay in range and every chain must end, so a
 * damaged or forged file can give wrong marks at worst, never a crash or an endless loop.
 */

export interface AutomatonData {
  patterns: number;
  states: number;
  /** Character classes (class 0: a character no pattern has). */
  k: number;
  /** States 0..dense-1 have a full row in `delta`; the others only their edges and a failure link. */
  dense: number;
  ascii: Uint16Array;
  /** For code units >= 128: offset in `pool` of the block of 256 classes holding c (c >> 8). */
  blocks: Int32Array;
  pool: Uint16Array;
  /** dense * k targets, each state * 2 + (1 when that state ends a pattern). */
  delta: Int32Array;
  /** Edges of sparse state s: edgeStart[s - dense] .. edgeStart[s - dense + 1]. */
  edgeStart: Int32Array;
  edgeClass: Uint16Array;
  edgeTo: Int32Array;
  fail: Int32Array;
  /** First state on the output chain of a state (itself or a dictionary suffix), -1 if none. */
  out: Int32Array;
  /** Next state on an output chain, -1 at its end. */
  dict: Int32Array;
  /** Pattern id ending at a state, -1 if none. */
  pid: Int32Array;
  plen: Int32Array;
  /**
   * Per class, 1 when it is the class of some pattern's anchor character (one chosen per pattern):
   * a value with no character of such a class cannot hold any pattern (see LiteralAutomaton.scan).
   */
  gate: Uint16Array;
}

export const AUTOMATON_ARRAYS = ['ascii', 'blocks', 'pool', 'delta', 'edgeStart', 'edgeClass', 'edgeTo', 'fail', 'out', 'dict', 'pid', 'plen', 'gate'] as const;
export type AutomatonArray = (typeof AUTOMATON_ARRAYS)[number];

function bad(what: string): never {
  throw new Error(`automaton table ${what}`);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
}

/** Throws (with the first reason found) unless the tables are safe to scan with. */
export function checkAutomatonData(d: AutomatonData, patternCount: number): void {
  const { states: n, k, dense } = d;
  if (!isCount(n) || !isCount(k) || !isCount(dense) || !isCount(d.patterns) || n < 1 || k < 1 || dense < 1 || dense > n) bad('sizes out of range');
  const kinds: Record<AutomatonArray, [new (n: number) => ArrayBufferView, number]> = {
    ascii: [Uint16Array, 128], blocks: [Int32Array, 256], pool: [Uint16Array, -1], delta: [Int32Array, dense * k],
    edgeStart: [Int32Array, n - dense + 1], edgeClass: [Uint16Array, -1], edgeTo: [Int32Array, -1],
    fail: [Int32Array, n], out: [Int32Array, n], dict: [Int32Array, n], pid: [Int32Array, n], plen: [Int32Array, n],
    gate: [Uint16Array, k],
  };
  for (const name of AUTOMATON_ARRAYS) {
    const [type, len] = kinds[name];
    const a = d[name];
    if (!(a instanceof type) || (len >= 0 && a.length !== len)) bad(`${name} has the wrong type or length`);
  }
  const { ascii, blocks, pool, delta, edgeStart, edgeClass, edgeTo, out, dict, pid, plen } = d;
  if (pool.length < 256 || pool.length % 256 !== 0) bad('pool has the wrong length');
  if (!classesBelow(ascii, k)) bad('ascii class out of range');
  if (!classesBelow(pool, k)) bad('class out of range');
  if (!blocksValid(blocks, pool.length)) bad('block offset out of range');
  // Output links first: targets' flags are checked against them.
  if (!outputLinksValid(out, dict, pid, plen, patternCount)) bad('output link or pattern id out of range');
  // Targets are state * 2 + (1 when the state has an output).
  const flagged = outputFlags(out);
  if (!targetsValid(delta, 0, delta.length, flagged)) bad('row target out of range');
  if (edgeStart[0] !== 0 || edgeStart[n - dense] !== edgeClass.length || edgeTo.length !== edgeClass.length) bad('edge index out of range');
  if (!increasing(edgeStart)) bad('edge index not increasing');
  if (!classesBelow(edgeClass, k) || !targetsValid(edgeTo, 0, edgeTo.length, flagged)) bad('edge out of range');
  // Failure links of sparse states point to earlier states: every walk ends.
  if (!failLinksValid(d.fail, dense, n)) bad('failure link out of order');
}

// The loops below are small functions of their own: V8 optimises each soon (a cache is checked
// once per start, before the optimising compiler has seen one large function run long enough).

function classesBelow(a: Uint16Array, k: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] >= k) return false;
  return true;
}

function blocksValid(blocks: Int32Array, poolLength: number): boolean {
  for (let i = 0; i < blocks.length; i++) if (blocks[i] < 0 || blocks[i] % 256 !== 0 || blocks[i] >= poolLength) return false;
  return true;
}

function increasing(a: Int32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] < a[i - 1]) return false;
  return true;
}

function outputLinksValid(out: Int32Array, dict: Int32Array, pid: Int32Array, plen: Int32Array, patternCount: number): boolean {
  for (let s = 0; s < out.length; s++) {
    const o = out[s];
    const x = dict[s];
    const p = pid[s];
    if ((o !== -1 && (o < 0 || o > s || pid[o] < 0)) || (x !== -1 && (x < 0 || x >= s || pid[x] < 0)) || p < -1 || p >= patternCount || plen[s] < 0) return false;
  }
  return true;
}

/** Per target (state * 2 + flag), whether it is valid: 1 at 2s + (1 when state s has an output). */
function outputFlags(out: Int32Array): Uint8Array {
  const ok = new Uint8Array(out.length * 2);
  for (let s = 0; s < out.length; s++) ok[2 * s + (out[s] >= 0 ? 1 : 0)] = 1;
  return ok;
}

function targetsValid(a: Int32Array, from: number, to: number, ok: Uint8Array): boolean {
  const limit = ok.length;
  for (let i = from; i < to; i++) {
    const t = a[i];
    if (t < 0 || t >= limit || ok[t] === 0) return false;
  }
  return true;
}

function failLinksValid(fail: Int32Array, dense: number, n: number): boolean {
  for (let s = dense; s < n; s++) if (fail[s] < 0 || fail[s] >= s) return false;
  return true;
}
