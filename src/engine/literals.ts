/**
 * The literal patterns of all rules, one automaton per field (plus one for keyword searches over
 * all values). Identical (field, text) pairs across rules share one pattern id, so a literal that
 * a hundred rules test is searched once per event.
 */
import { LiteralAutomaton, type Marks, newMarks } from './aho-corasick.js';

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
  marks: Marks = newMarks(0);
  /** Whether field automata also carry the keyword patterns (see build()). */
  keywordsInFieldAutomata = false;

  /**
   * Pattern id of a folded literal on a field (KEYWORDS for keyword searches). `exact`: the caller
   * only asks whether the pattern is the whole value.
   */
  id(field: string, folded: string, exact = false): number {
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
      byText.set(folded, id);
      this.pending.get(field)!.push({ text: folded, id });
    }
    return id;
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
      const freq = new Map<number, number>();
      for (const p of patterns) for (const c of new Set(p.text)) freq.set(c.charCodeAt(0), (freq.get(c.charCodeAt(0)) ?? 0) + 1);
      const common = new Set([...freq.entries()].sort((a, b) => b[1] - a[1]).slice(0, COMMON_CHARS).map(([c]) => c));
      const main = new LiteralAutomaton();
      const rare = new LiteralAutomaton();
      for (const p of patterns) {
        let ok = true;
        for (let i = 0; i < p.text.length && ok; i++) ok = common.has(p.text.charCodeAt(i));
        (ok ? main : rare).add(p.text, p.id);
      }
      const list = [main, rare].filter((a) => a.size > 0);
      for (const a of list) a.build();
      this.automata.set(field, list);
    }
    this.pending.clear();
    this.marks = newMarks(this.next);
    this.marks.also = also;
    this.keywordsInFieldAutomata = keywords.length > 0;
  }
}
