/**
 * A case-insensitive multi-pattern automaton (Aho-Corasick) over UTF-16 code units. Code units are
 * mapped to classes (only the characters that occur in patterns are distinguished; upper and lower
 * case share a class). States are numbered breadth-first; the shallow ones (where a scan spends
 * nearly all its time) get a full transition row (a DFA), the deep ones, mostly single-pattern
 * chains, keep only their own edges and a failure link, so memory grows with the patterns' total
 * length rather than with length times classes. One pass over a field value finds every pattern of
 * every rule that reads that field.
 */
import { UNFOLD } from './case-fold.js';
import type { AutomatonData } from './automaton-data.js';
import { checkAutomatonData } from './automaton-data.js';

/** Per-event match marks, indexed by global pattern id. A mark equal to the event's generation is set. */
export interface Marks {
  gen: number;
  /** Pattern occurs somewhere in the value. */
  hit: Int32Array;
  /** Pattern occurs at the start of the value. */
  start: Int32Array;
  /** Pattern occurs at the end of the value. */
  end: Int32Array;
  /** Pattern is the whole value. */
  exact: Int32Array;
  /** A pattern whose hit is also the hit of another pattern id (a keyword with the same text), or -1. */
  also: Int32Array;
  /**
   * found[0..count): the ids marked hit for the first time in this generation, in the order found
   * (scans append; the caller reads them and sets count to 0). A list rather than a callback: every
   * user's callback at one call site in the scan loop made that call megamorphic, and V8 then
   * inlined none of them. A typed array with a count: an array emptied by `length = 0` drops its
   * backing store and allocates a new one at the next push. An id is appended at most once per
   * generation, so `size` entries are enough as long as every caller sets count to 0 when it starts
   * a generation (each does: the matcher per event, the Elastic index per value, second needs and
   * wildcard lists per scan).
   */
  found: Int32Array;
  count: number;
}

export function newMarks(size: number): Marks {
  return { gen: 0, hit: new Int32Array(size), start: new Int32Array(size), end: new Int32Array(size), exact: new Int32Array(size), also: new Int32Array(size).fill(-1), found: new Int32Array(size), count: 0 };
}

/** Shallow states with a full row: up to this depth, within the budget below. */
const DENSE_DEPTH = 4;
/** Most entries (states x classes) of the full rows of one automaton. */
const DENSE_BUDGET = 1 << 20;
/** Code units above ASCII are looked up in blocks of 256; blocks without pattern characters share block 0. */
const BLOCK = 256;

export class LiteralAutomaton {
  private patterns: Array<{ text: string; id: number }> = [];
  private built = false;
  /** The tables (never written once made: EMPTY is shared by every automaton not built yet). */
  private d: AutomatonData = EMPTY;

  /** `text` must already be folded (foldString). */
  add(text: string, id: number): void {
    if (this.built) throw new Error('automaton already built');
    if (text.length > 0) this.patterns.push({ text, id });
  }

  get size(): number {
    return this.built && !this.pendingBuild ? this.d.patterns : this.patterns.length;
  }

  get stateCount(): number {
    return this.tables().states;
  }

  /** Bytes held by the automaton's tables (for reports). */
  get tableBytes(): number {
    let n = 0;
    for (const v of Object.values(this.tables())) if (ArrayBuffer.isView(v)) n += v.byteLength;
    return n;
  }

  /** The tables, to store in a cache or hand to another thread. */
  get data(): AutomatonData {
    return this.tables();
  }

  /**
   * Patterns given, tables not built yet (see build()): they are built when first needed, so rules
   * compiled on a cold start are ready before the automata of fields no event has shown yet.
   */
  private pendingBuild = false;

  private tables(): AutomatonData {
    if (this.pendingBuild) {
      this.pendingBuild = false;
      this.d = buildTables(this.patterns);
      this.patterns = [];
    }
    return this.d;
  }

  /** An automaton from stored tables, checked first (they may come from a damaged or foreign file). */
  static fromData(d: AutomatonData, patternCount: number, trusted = false): LiteralAutomaton {
    if (!trusted) checkAutomatonData(d, patternCount);
    const a = new LiteralAutomaton();
    a.built = true;
    a.d = d;
    return a;
  }

  /** No more patterns: the tables are built on first use (a scan, or reading `data`). */
  build(): void {
    this.built = true;
    this.pendingBuild = true;
  }

  /**
   * Marks every pattern found in `text`; a pattern found for the first time in the current generation
   * is appended to m.found (to collect the rules it triggers). Field values repeat a lot across
   * events (paths, users, providers): what a short value holds is remembered (see ScanMemo) and
   * replayed instead of scanning it again.
   */
  scan(text: string, m: Marks): void {
    if (!this.mayHold(text)) return;
    if (text.length > MEMO_MAX_CHARS || text.length < MEMO_MIN_CHARS) {
      this.scanText(text, m, null);
      return;
    }
    const memo = (this.memo ??= new Map());
    const found = memo.get(text);
    if (found !== undefined) {
      replay(found, m);
      return;
    }
    const rec: number[] = [];
    this.scanText(text, m, rec);
    remember(memo, text, rec.length ? rec : NO_HITS);
  }

  private memo: Map<string, readonly number[]> | undefined;

  /** scan() without the memo (callers whose values rarely repeat, or who remember answers themselves). */
  scanUnmemoized(text: string, m: Marks): void {
    if (this.mayHold(text)) this.scanText(text, m, null);
  }

  /**
   * Scans like scan() and returns what was found as [id, flags] pairs (NO_HITS when nothing), so
   * that a caller who sees the same text again can replay it (replayHits) without scanning.
   */
  scanRecorded(text: string, m: Marks): readonly number[] {
    if (!this.mayHold(text)) return NO_HITS;
    const memoed = text.length <= MEMO_MAX_CHARS && text.length >= MEMO_MIN_CHARS;
    const memo = memoed ? (this.memo ??= new Map()) : undefined;
    const found = memo?.get(text);
    if (found !== undefined) {
      replay(found, m);
      return found;
    }
    const rec: number[] = [];
    this.scanText(text, m, rec);
    const hits = rec.length ? rec : NO_HITS;
    if (memo) remember(memo, text, hits);
    return hits;
  }

  /**
   * Whether `text` has a character of an anchor class (AutomatonData.gate): every occurrence of a
   * pattern has one, since the automaton matches a character to a pattern character only when
   * their classes are equal. Most event characters (GUIDs, times, numbers) are no pattern's anchor,
   * and this check costs a fraction of a scan step: values without one are not scanned.
   */
  private mayHold(text: string): boolean {
    const { ascii, blocks, pool, gate } = this.pendingBuild ? this.tables() : this.d;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (gate[ch < 128 ? ascii[ch] : pool[blocks[ch >> 8] + (ch & 255)]] !== 0) return true;
    }
    return false;
  }

  /** The scan itself; `rec` (when given) receives [id, flags] per pattern found, in order of first occurrence. */
  private scanText(text: string, m: Marks, rec: number[] | null): void {
    const { ascii, blocks, pool, delta, dense, k, edgeStart, edgeClass, edgeTo, fail, out, dict, pid, plen } = this.pendingBuild ? this.tables() : this.d;
    const gen = m.gen;
    const last = text.length - 1;
    let s = 0;
    for (let i = 0; i <= last; i++) {
      const ch = text.charCodeAt(i);
      const c = ch < 128 ? ascii[ch] : pool[blocks[ch >> 8] + (ch & 255)];
      // Targets are stored as state * 2 + (1 when the state ends a pattern).
      let t: number;
      if (s < dense) {
        t = delta[s * k + c];
      } else {
        for (;;) {
          const b = s - dense;
          t = -1;
          for (let e = edgeStart[b], end = edgeStart[b + 1]; e < end; e++) {
            if (edgeClass[e] === c) {
              t = edgeTo[e];
              break;
            }
          }
          if (t >= 0) break;
          s = fail[s];
          if (s < dense) {
            t = delta[s * k + c];
            break;
          }
        }
      }
      s = t >> 1;
      if ((t & 1) === 0) continue;
      let o = out[s];
      while (o >= 0) {
        const id = pid[o];
        if (m.hit[id] !== gen) {
          m.hit[id] = gen;
          m.found[m.count++] = id;
          const a = m.also[id];
          if (a >= 0 && m.hit[a] !== gen) {
            m.hit[a] = gen;
            m.found[m.count++] = a;
          }
        }
        let flags = 0;
        if (i - plen[o] + 1 === 0) {
          m.start[id] = gen;
          flags |= AT_START;
          if (i === last) {
            m.exact[id] = gen;
            flags |= WHOLE;
          }
        }
        if (i === last) {
          m.end[id] = gen;
          flags |= AT_END;
        }
        if (rec) note(rec, id, flags);
        o = dict[o];
      }
    }
  }
}

/** Values longer than this are always scanned (rarely repeated, and costly to hold); shorter than the minimum, scanning costs less than a lookup. */
const MEMO_MAX_CHARS = 256;
const MEMO_MIN_CHARS = 8;
/** Remembered values per automaton, and over all automata of a thread: a full memo starts over (all of them past the budget). */
const MEMO_MAX_ENTRIES = 4096;
const MEMO_BUDGET = 16384;
let memoEntries = 0;
const memos: Array<Map<string, readonly number[]>> = [];
const NO_HITS: readonly number[] = [];
const AT_START = 1;
const AT_END = 2;
const WHOLE = 4;

function remember(memo: Map<string, readonly number[]>, text: string, hits: readonly number[]): void {
  if (memoEntries >= MEMO_BUDGET) {
    for (const x of memos) x.clear();
    memoEntries = 0;
  } else if (memo.size >= MEMO_MAX_ENTRIES) {
    memoEntries -= memo.size;
    memo.clear();
  }
  if (memo.size === 0 && !memos.includes(memo)) memos.push(memo);
  memo.set(text, hits);
  memoEntries++;
}

/** Adds a found pattern's flags to the record of a scan ([id, flags] pairs, one per id). */
function note(rec: number[], id: number, flags: number): void {
  for (let j = 0; j < rec.length; j += 2) {
    if (rec[j] === id) {
      rec[j + 1] |= flags;
      return;
    }
  }
  rec.push(id, flags);
}

/** Sets the marks a scan of the remembered value set (same marks, the same ids appended to m.found in the same order). */
export function replayHits(rec: readonly number[], m: Marks): void {
  if (rec.length) replay(rec, m);
}

function replay(rec: readonly number[], m: Marks): void {
  const gen = m.gen;
  for (let j = 0; j < rec.length; j += 2) {
    const id = rec[j];
    const flags = rec[j + 1];
    if (m.hit[id] !== gen) {
      m.hit[id] = gen;
      m.found[m.count++] = id;
      const a = m.also[id];
      if (a >= 0 && m.hit[a] !== gen) {
        m.hit[a] = gen;
        m.found[m.count++] = a;
      }
    }
    if (flags & AT_START) m.start[id] = gen;
    if (flags & AT_END) m.end[id] = gen;
    if (flags & WHOLE) m.exact[id] = gen;
  }
}

function emptyData(): AutomatonData {
  const z = new Int32Array(1);
  return {
    patterns: 0, states: 1, k: 1, dense: 1,
    ascii: new Uint16Array(128), blocks: new Int32Array(BLOCK), pool: new Uint16Array(BLOCK),
    delta: new Int32Array(1), edgeStart: new Int32Array(1), edgeClass: new Uint16Array(0), edgeTo: new Int32Array(0),
    fail: z.slice(), out: new Int32Array(1).fill(-1), dict: new Int32Array(1).fill(-1), pid: new Int32Array(1).fill(-1), plen: z.slice(),
    gate: new Uint16Array(1),
  };
}

/** The tables of an automaton with no pattern, made once (an automaton restored from a plan replaces them at once). */
const EMPTY = emptyData();

/** Character classes: ASCII table, and for other code units a block index into a pool of blocks. */
function classTables(patterns: Array<{ text: string }>): { classOf: Map<number, number>; ascii: Uint16Array; blocks: Int32Array; pool: Uint16Array } {
  const classOf = new Map<number, number>();
  for (const p of patterns) {
    for (let i = 0; i < p.text.length; i++) {
      const c = p.text.charCodeAt(i);
      if (!classOf.has(c)) classOf.set(c, classOf.size + 1);
    }
  }
  const unfold = UNFOLD();
  const ascii = new Uint16Array(128);
  const blocks = new Int32Array(BLOCK);
  const blockList: Uint16Array[] = [new Uint16Array(BLOCK)];
  for (const [c, id] of classOf) {
    for (const x of unfold.get(c) ?? [c]) {
      if (x < 128) {
        ascii[x] = id;
        continue;
      }
      const hi = x >> 8;
      if (blocks[hi] === 0) {
        blocks[hi] = blockList.length * BLOCK;
        blockList.push(new Uint16Array(BLOCK));
      }
      blockList[blocks[hi] / BLOCK][x & 255] = id;
    }
  }
  const pool = new Uint16Array(blockList.length * BLOCK);
  blockList.forEach((b, i) => pool.set(b, i * BLOCK));
  return { classOf, ascii, blocks, pool };
}

function buildTables(patterns: Array<{ text: string; id: number }>): AutomatonData {
  const { classOf, ascii, blocks, pool } = classTables(patterns);
  const k = classOf.size + 1;
  // Trie with children as linked lists: first child, next sibling, class of the edge into a state.
  let total = 1;
  for (const p of patterns) total += p.text.length;
  const first = new Int32Array(total).fill(-1);
  const sibling = new Int32Array(total).fill(-1);
  const inClass = new Uint16Array(total);
  const ownPid = new Int32Array(total).fill(-1);
  const ownLen = new Int32Array(total);
  let n = 1;
  const child = (s: number, c: number): number => {
    for (let t = first[s]; t >= 0; t = sibling[t]) if (inClass[t] === c) return t;
    return -1;
  };
  for (const p of patterns) {
    let s = 0;
    for (let i = 0; i < p.text.length; i++) {
      const c = classOf.get(p.text.charCodeAt(i))!;
      let t = child(s, c);
      if (t < 0) {
        t = n++;
        inClass[t] = c;
        sibling[t] = first[s];
        first[s] = t;
      }
      s = t;
    }
    ownPid[s] = p.id;
    ownLen[s] = p.text.length;
  }
  // Breadth-first order: new number of each trie state (the root stays 0), and depths.
  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  let qe = 1;
  for (let qi = 0; qi < qe; qi++) {
    const s = order[qi];
    for (let t = first[s]; t >= 0; t = sibling[t]) {
      depth[t] = depth[s] + 1;
      order[qe++] = t;
    }
  }
  const renum = new Int32Array(n);
  for (let i = 0; i < n; i++) renum[order[i]] = i;
  let dense = 1;
  while (dense < n && depth[order[dense]] <= DENSE_DEPTH && (dense + 1) * k <= DENSE_BUDGET) dense++;
  // Failure links, output chains and full rows, in breadth-first order (new numbering from here on).
  const fail = new Int32Array(n);
  const out = new Int32Array(n).fill(-1);
  const dict = new Int32Array(n).fill(-1);
  const pid = new Int32Array(n).fill(-1);
  const plen = new Int32Array(n);
  const delta = new Int32Array(dense * k);
  let edges = 0;
  for (let i = 0; i < n; i++) {
    pid[i] = ownPid[order[i]];
    plen[i] = ownLen[order[i]];
    if (i >= dense) for (let t = first[order[i]]; t >= 0; t = sibling[t]) edges++;
  }
  // Full transition of state s (new number) on class c; only called for states already processed.
  const go = (s: number, c: number): number => {
    for (;;) {
      if (s < dense) return delta[s * k + c] >> 1;
      const t = child(order[s], c);
      if (t >= 0) return renum[t];
      s = fail[s];
    }
  };
  const enc = (t: number): number => t * 2 + (out[t] >= 0 ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const s = order[i];
    if (i > 0) {
      const p = fail[i];
      dict[i] = pid[p] >= 0 ? p : out[p];
      out[i] = pid[i] >= 0 ? i : dict[i];
    }
    // Children's failure links: the parent's failure state's transition on the edge's class.
    for (let t = first[s]; t >= 0; t = sibling[t]) fail[renum[t]] = i === 0 ? 0 : go(fail[i], inClass[t]);
    if (i < dense) {
      const row = i * k;
      if (i === 0) for (let c = 0; c < k; c++) delta[c] = 0;
      else delta.set(delta.subarray(fail[i] * k, fail[i] * k + k), row);
      // Rows hold encoded targets; children override the failure state's row.
      for (let t = first[s]; t >= 0; t = sibling[t]) delta[row + inClass[t]] = renum[t] * 2;
    }
  }
  // The output flag of each target is known only now: encode every row entry and edge.
  for (let i = 0; i < delta.length; i++) delta[i] = enc(delta[i] >> 1);
  const edgeStart = new Int32Array(n - dense + 1);
  const edgeClass = new Uint16Array(edges);
  const edgeTo = new Int32Array(edges);
  let e = 0;
  for (let i = dense; i < n; i++) {
    edgeStart[i - dense] = e;
    for (let t = first[order[i]]; t >= 0; t = sibling[t]) {
      edgeClass[e] = inClass[t];
      edgeTo[e++] = enc(renum[t]);
    }
  }
  edgeStart[n - dense] = e;
  return { patterns: patterns.length, states: n, k, dense, ascii, blocks, pool, delta, edgeStart, edgeClass, edgeTo, fail, out, dict, pid, plen, gate: gateOf(patterns, classOf, k) };
}

/**
 * Characters of event values from most to least frequent, roughly (GUIDs, timestamps, numbers,
 * paths, words); characters not listed count as rarer than all of them. Only speed depends on it.
 */
const FREQUENT = '0123456789-abcdef:.{}\\ tzsx/oinrlhmupwg_y,=vbkjq';

/** One anchor per pattern, its rarest character (see FREQUENT); the classes of the anchors are marked. */
function gateOf(patterns: Array<{ text: string }>, classOf: Map<number, number>, k: number): Uint16Array {
  const gate = new Uint16Array(k);
  for (const p of patterns) {
    let best = -1;
    let bestRank = -1;
    for (let i = 0; i < p.text.length; i++) {
      const c = p.text.charCodeAt(i);
      const at = FREQUENT.indexOf(String.fromCharCode(c));
      const rank = at < 0 ? FREQUENT.length : at;
      if (rank > bestRank) {
        best = c;
        bestRank = rank;
      }
    }
    if (best >= 0) gate[classOf.get(best)!] = 1;
  }
  return gate;
}
