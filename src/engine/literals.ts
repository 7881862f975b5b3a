/**
 * The literal patterns of all rules, one automaton per field (plus one for keyword searches over
 * all values). Identical (field, text) pairs across rules share one pattern id, so a literal that
 * a hundred rules test is searched once per event.
 */
import { LiteralAutomaton, type Marks, newMarks } from './aho-corasick.js';

/** Pseudo-field of keyword (field-less) searches. */
export const KEYWORDS = '\u0000keywords';

export class LiteralTable {
  readonly automata = new Map<string, LiteralAutomaton>();
  private ids = new Map<string, Map<string, number>>();
  private next = 0;
  marks: Marks = newMarks(0);

  /** Pattern id of a folded literal on a field (KEYWORDS for keyword searches). */
  id(field: string, folded: string): number {
    let byText = this.ids.get(field);
    if (!byText) {
      byText = new Map();
      this.ids.set(field, byText);
      this.automata.set(field, new LiteralAutomaton());
    }
    let id = byText.get(folded);
    if (id === undefined) {
      id = this.next++;
      byText.set(folded, id);
      this.automata.get(field)!.add(folded, id);
    }
    return id;
  }

  get patternCount(): number {
    return this.next;
  }

  build(): void {
    for (const a of this.automata.values()) a.build();
    this.marks = newMarks(this.next);
  }
}
