/**
 * A case-insensitive multi-pattern automaton (Aho-Corasick compiled to a DFA) over UTF-16 code
 * units. Code units are mapped to classes (only the characters that occur in patterns are
 * distinguished; upper and lower case share a class), so the transition table stays small.
 * One pass over a field value finds every pattern of every rule that reads that field.
 */
import { UNFOLD } from './case-fold.js';

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
}

export function newMarks(size: number): Marks {
  return { gen: 0, hit: new Int32Array(size), start: new Int32Array(size), end: new Int32Array(size), exact: new Int32Array(size), also: new Int32Array(size).fill(-1) };
}

export class LiteralAutomaton {
  private patterns: Array<{ text: string; id: number }> = [];
  private built = false;
  private cls = new Uint16Array(0);
  /** Classes of ASCII code units: a 256-byte table that stays in cache (cls is 128 KiB). */
  private ascii = new Uint16Array(128);
  private k = 1;
  private delta = new Int32Array(0);
  /** First state on the output chain of a state (itself or a dictionary suffix), -1 if none. */
  private out = new Int32Array(0);
  private dict = new Int32Array(0);
  private pid = new Int32Array(0);
  private plen = new Int32Array(0);
  stateCount = 0;

  /** `text` must already be folded (foldString). */
  add(text: string, id: number): void {
    if (this.built) throw new Error('automaton already built');
    if (text.length > 0) this.patterns.push({ text, id });
  }

  get size(): number {
    return this.patterns.length;
  }

  build(): void {
    this.built = true;
    // Character classes: only characters that occur in patterns are told apart (class 0: any other).
    const classOf = new Map<number, number>();
    let total = 1;
    for (const p of this.patterns) {
      total += p.text.length;
      for (let i = 0; i < p.text.length; i++) {
        const c = p.text.charCodeAt(i);
        if (!classOf.has(c)) classOf.set(c, classOf.size + 1);
      }
    }
    const k = classOf.size + 1;
    this.k = k;
    const cls = new Uint16Array(65536);
    for (const [c, id] of classOf) for (const x of UNFOLD.get(c) ?? [c]) cls[x] = id;
    this.cls = cls;
    this.ascii = cls.slice(0, 128);
    // Trie, written straight into the transition table (0 = no edge yet; the root is never a target).
    let delta = new Int32Array(total * k);
    let n = 1;
    const ownPid: number[] = [-1];
    const ownLen: number[] = [0];
    for (const p of this.patterns) {
      let s = 0;
      for (let i = 0; i < p.text.length; i++) {
        const slot = s * k + cls[p.text.charCodeAt(i)];
        let next = delta[slot];
        if (next === 0) {
          next = n++;
          ownPid.push(-1);
          ownLen.push(0);
          delta[slot] = next;
        }
        s = next;
      }
      ownPid[s] = p.id;
      ownLen[s] = p.text.length;
    }
    delta = delta.slice(0, n * k);
    const isEdge = new Uint8Array(n * k);
    for (let i = 0; i < n * k; i++) if (delta[i] !== 0) isEdge[i] = 1;
    this.stateCount = n;
    const fail = new Int32Array(n);
    const out = new Int32Array(n).fill(-1);
    const dict = new Int32Array(n).fill(-1);
    // Breadth-first: fail links, output chains, then the missing transitions from the fail state.
    const queue = new Int32Array(n);
    let qe = 0;
    for (let c = 0; c < k; c++) {
      if (isEdge[c]) {
        fail[delta[c]] = 0;
        queue[qe++] = delta[c];
      }
    }
    for (let qi = 0; qi < qe; qi++) {
      const s = queue[qi];
      const f = fail[s];
      dict[s] = ownPid[f] >= 0 ? f : out[f];
      out[s] = ownPid[s] >= 0 ? s : dict[s];
      const base = s * k;
      const fbase = f * k;
      for (let c = 0; c < k; c++) {
        if (isEdge[base + c]) {
          const t = delta[base + c];
          fail[t] = delta[fbase + c];
          queue[qe++] = t;
        } else {
          delta[base + c] = delta[fbase + c];
        }
      }
    }
    // Pre-multiply targets into row offsets, negative when the target state ends a pattern: the
    // scan loop then needs no multiply and no output lookup on the (common) characters that hit nothing.
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i];
      delta[i] = out[t] >= 0 ? -(t * k) : t * k;
    }
    this.delta = delta;
    this.out = out;
    this.dict = dict;
    this.pid = Int32Array.from(ownPid);
    this.plen = Int32Array.from(ownLen);
  }

  /** Bytes held by the transition table (for reports). */
  get tableBytes(): number {
    return this.delta.byteLength;
  }

  /**
   * Marks every pattern found in `text`. `onFirst(id)` is called the first time a pattern is found
   * in the current generation (to collect the rules it triggers).
   */
  scan(text: string, m: Marks, onFirst: (id: number) => void): void {
    const { cls, ascii, delta, out, dict, pid, plen, k } = this;
    const gen = m.gen;
    const last = text.length - 1;
    let r = 0;
    for (let i = 0; i <= last; i++) {
      const c = text.charCodeAt(i);
      const t = delta[r + (c < 128 ? ascii[c] : cls[c])];
      if (t >= 0) {
        r = t;
        continue;
      }
      r = -t;
      let o = out[r / k];
      while (o >= 0) {
        const id = pid[o];
        const startPos = i - plen[o] + 1;
        if (m.hit[id] !== gen) {
          m.hit[id] = gen;
          onFirst(id);
          const a = m.also[id];
          if (a >= 0 && m.hit[a] !== gen) {
            m.hit[a] = gen;
            onFirst(a);
          }
        }
        if (startPos === 0) {
          m.start[id] = gen;
          if (i === last) m.exact[id] = gen;
        }
        if (i === last) m.end[id] = gen;
        o = dict[o];
      }
    }
  }
}
