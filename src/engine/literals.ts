/**
 * The literal patterns of all rules, one automaton per field (plus one for keyword searches over
 * all values). Identical (field, text) pairs across rules share one pattern id, so a literal that
 * a hundred rules test is searched once per event.
 */
import { LiteralAutomaton, type Marks, newMarks } from './aho-corasick.js';
import type { AutomatonData } from './automaton-data.js';

/** Pseudo-field of keyword (field-less) searches. */
export const KEYWORDS = '\u0000keywords';

/** Characters that get their own column in the main automaton of a field. */
const COMMON_CHARS = 100;

export class LiteralTable {
  /** Per field: the automata to run (usually one; see build()). */
  readonly automata = new Map<string, LiteralAutomaton[]>();
  private pending = new Map<string, Array<{ text: string; id: number }>>();
  /** Fields whose patterns are only ever compared to the whole value: a hash lookup replaces the automaton. */
  readonly exactOnly = new Map<string, Map<string, number>>();
  private needsScan = new Set<string>();
  private ids = new Map<string, Map<string, number>>();
  private next = 0;
  /** Length of each pattern's text, by id. */
  private lengths: number[] = [];
  marks: Marks = newMarks(0);
  /** Whether field automata also carry the keyword patterns (see build()). */
  keywordsInFieldAutomata = false;
  /** Restored from a plan: every literal the rules use already has its id. */
  private frozen = false;

  /**
   * Pattern id of a folded literal on a field (KEYWORDS for keyword searches). `exact`: the caller
   * only asks whether the pattern is the whole value.
   */
  id(field: string, folded: string, exact = false): number {
    if (this.frozen) {
      const known = this.ids.get(field)?.get(folded);
      if (known === undefined) throw new Error(`literal ${JSON.stringify(folded)} of field ${field} is not in the stored plan`);
      return known;
    }
    if (!exact || field === KEYWORDS) this.needsScan.add(field);
    let byText = this.ids.get(field);
    if (!byText) {
      byText = new Map();
      this.ids.set(field, byText);
      this.pending.set(field, []);
    }
    let id = byText.get(folded);
    if (id === undefined) {
      id = this.next++;
      this.lengths.push(folded.length);
      byText.set(folded, id);
      this.pending.get(field)!.push({ text: folded, id });
    }
    return id;
  }

  lengthOf(id: number): number {
    return this.lengths[id] ?? 0;
  }

  get patternCount(): number {
    return this.next;
  }

  /**
   * One automaton per field over its common characters, and a second one for the few patterns
   * with rare characters (encoded values: base64, UTF-16, exotic dashes). A single table over every
   * character would need a column per distinct character in every state.
   */
  build(): void {
    // Keyword patterns ride along in every field automaton, so a field scanned for its own patterns
    // is searched for keywords in the same pass; only the event's other fields need the keyword automaton.
    const keywords = this.pending.get(KEYWORDS) ?? [];
    const also = new Int32Array(this.next).fill(-1);
    // Per code unit: in how many of the field's patterns it occurs, the last pattern counted (a stamp
    // unique to each pattern of each field), and whether it is one of the field's common characters.
    // Reset after each field through the list of code units seen.
    const freq = new Int32Array(0x10000);
    const last = new Int32Array(0x10000).fill(-1);
    const common = new Uint8Array(0x10000);
    let stamp = 0;
    for (const [field, own] of this.pending) {
      let patterns = own;
      if (field !== KEYWORDS && keywords.length && this.needsScan.has(field)) {
        const byText = this.ids.get(field)!;
        patterns = [...own];
        for (const kw of keywords) {
          const existing = byText.get(kw.text);
          if (existing === undefined) patterns.push(kw);
          else also[existing] = kw.id;
        }
      }
      if (!this.needsScan.has(field)) {
        this.exactOnly.set(field, new Map(patterns.map((p) => [p.text, p.id])));
        this.automata.set(field, []);
        continue;
      }
      // In how many patterns each code unit occurs (counted once per pattern); `seen` in order of first occurrence.
      const seen: number[] = [];
      stamp = countCodeUnits(patterns, freq, last, stamp, seen);
      // The most frequent code units (ties in order of first occurrence: the sort is stable).
      const top = [...seen].sort((a, b) => freq[b] - freq[a]).slice(0, COMMON_CHARS);
      for (const c of top) common[c] = 1;
      const main = new LiteralAutomaton();
      const rare = new LiteralAutomaton();
      for (const p of patterns) (onlyCommon(p.text, common) ? main : rare).add(p.text, p.id);
      for (const c of seen) freq[c] = 0;
      for (const c of top) common[c] = 0;
      const list = [main, rare].filter((a) => a.size > 0);
      for (const a of list) a.build();
      this.automata.set(field, list);
    }
    this.pending.clear();
    this.marks = newMarks(this.next);
    this.marks.also = also;
    this.keywordsInFieldAutomata = keywords.length > 0;
  }

  /** The built table as plain data (see LiteralTable.fromPlan). */
  toPlan(): LiteralPlan {
    const data: AutomatonData[] = [];
    const fields: LiteralPlan['fields'] = [];
    for (const [field, byText] of this.ids) {
      const automata = (this.automata.get(field) ?? []).map((a) => data.push(a.data) - 1);
      fields.push({ field, scan: this.needsScan.has(field), texts: [...byText.keys()], ids: [...byText.values()], automata });
    }
    return { patternCount: this.next, keywordsInFieldAutomata: this.keywordsInFieldAutomata, fields, automata: data, also: this.marks.also };
  }

  /** A built table from its plain data, checked (it may come from a file). Throws on a bad plan. */
  static fromPlan(p: LiteralPlan, trusted = false): LiteralTable {
    const t = new LiteralTable();
    const n = p.patternCount;
    if (!Number.isInteger(n) || n < 0 || !(p.also instanceof Int32Array) || p.also.length !== n) throw new Error('literal plan: bad pattern count');
    if (!trusted) for (let i = 0; i < n; i++) if (p.also[i] < -1 || p.also[i] >= n) throw new Error('literal plan: bad keyword link');
    const automata = p.automata.map((d) => LiteralAutomaton.fromData(d, n, trusted));
    for (const f of p.fields) {
      if (f.texts.length !== f.ids.length || t.ids.has(f.field)) throw new Error(`literal plan: bad field ${f.field}`);
      const byText = new Map<string, number>();
      f.texts.forEach((text, i) => {
        const id = f.ids[i];
        if (!Number.isInteger(id) || id < 0 || id >= n) throw new Error('literal plan: pattern id out of range');
        byText.set(text, id);
        t.lengths[id] = text.length;
      });
      t.ids.set(f.field, byText);
      if (f.scan) t.needsScan.add(f.field);
      else t.exactOnly.set(f.field, byText);
      t.automata.set(f.field, f.automata.map((i) => {
        const a = automata[i];
        if (!a) throw new Error('literal plan: automaton index out of range');
        return a;
      }));
    }
    t.next = n;
    t.marks = newMarks(n);
    t.marks.also = p.also;
    t.keywordsInFieldAutomata = p.keywordsInFieldAutomata === true;
    t.frozen = true;
    return t;
  }
}

// The loops of build() over every pattern's characters, as functions of their own: build() runs once
// per table, and V8 optimises a small function called per field sooner than one long loop inside it.

/** Counts, per code unit, the patterns it occurs in (once per pattern); returns the next stamp. */
function countCodeUnits(patterns: Array<{ text: string }>, freq: Int32Array, last: Int32Array, stamp: number, seen: number[]): number {
  for (const p of patterns) {
    const n = stamp++;
    const text = p.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (last[c] === n) continue;
      last[c] = n;
      if (freq[c]++ === 0) seen.push(c);
    }
  }
  return stamp;
}

function onlyCommon(text: string, common: Uint8Array): boolean {
  for (let i = 0; i < text.length; i++) if (common[text.charCodeAt(i)] !== 1) return false;
  return true;
}

/** A built LiteralTable as plain data (for the rule cache and worker threads). */
export interface LiteralPlan {
  patternCount: number;
  keywordsInFieldAutomata: boolean;
  fields: Array<{ field: string; scan: boolean; texts: string[]; ids: number[]; automata: number[] }>;
  automata: AutomatonData[];
  also: Int32Array;
}
