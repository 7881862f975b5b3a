/**
 * Tests of the second needs of rule pairs (Required.also, see required-values.ts). The rule index
 * runs one only when the pair's first need is met: it finds what the index would find for these
 * alternatives (same keys, same case folding, same reading of arrays and numbers), without reading
 * or scanning their fields on the events no first need concerns (process.args, command lines).
 * Each distinct alternative is compiled once per index and answers once per event.
 */
import { LiteralAutomaton, newMarks } from '../aho-corasick.js';
import type { Marks } from '../aho-corasick.js';
import type { Doc, Scalar, Value } from '../eql/values.js';
import { sharedFieldReader } from '../eql/values.js';
import type { Need, Required } from './required-values.js';
import { valueKeys } from './required-values.js';

/** Short string values remembered per equality test (values recur: names, actions, categories). */
const MEMO_ENTRIES = 4096;
const MEMO_LENGTH = 256;

class AlternativeTest {
  private readonly read: (d: Doc) => Value;
  private readonly keys?: Set<string>;
  private readonly maxLength: number;
  private readonly automaton?: LiteralAutomaton;
  private readonly marks?: Marks;
  private readonly memo = new Map<string, boolean>();
  private readonly scratch: string[] = [];
  private found = false;
  private readonly onHit = (): void => {
    this.found = true;
  };
  /** The stamp of the event `result` answers. */
  stamp = 0;
  result = false;

  constructor(r: Required) {
    this.read = sharedFieldReader(r.path);
    this.maxLength = Math.max(0, ...r.keys.map((k) => k.length));
    if (r.exists) return;
    if (r.contains) {
      const a = new LiteralAutomaton();
      for (const k of r.keys) a.add(k, 0);
      a.build();
      this.automaton = a;
      this.marks = newMarks(1);
    } else this.keys = new Set(r.keys);
  }

  /** Does the document meet the alternative (a throwing field read throws)? Answered once per stamp. */
  test(doc: Doc, stamp: number): boolean {
    if (this.stamp !== stamp) {
      this.result = this.compute(this.read(doc));
      this.stamp = stamp;
    }
    return this.result;
  }

  private compute(v: Value): boolean {
    if (v === null) return false;
    if (!this.keys && !this.automaton) return true;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && this.one(x)) return true;
      return false;
    }
    return this.one(v);
  }

  private one(x: Scalar): boolean {
    if (this.automaton) {
      const m = this.marks!;
      if (++m.gen === 0x7fffffff) {
        m.hit.fill(0);
        m.gen = 1;
      }
      this.found = false;
      this.automaton.scan(typeof x === 'string' ? x : String(x), m, this.onHit);
      return this.found;
    }
    if (typeof x === 'string' && x.length <= MEMO_LENGTH) {
      let hit = this.memo.get(x);
      if (hit === undefined) {
        hit = this.keyed(x);
        if (this.memo.size >= MEMO_ENTRIES) this.memo.clear();
        this.memo.set(x, hit);
      }
      return hit;
    }
    return this.keyed(x);
  }

  private keyed(x: Scalar): boolean {
    const keys = this.scratch;
    keys.length = 0;
    valueKeys(x, keys, this.maxLength);
    for (const k of keys) if (this.keys!.has(k)) return true;
    return false;
  }
}

/** The second-need tests of one rule index. */
export class SecondNeeds {
  private readonly byText = new Map<string, AlternativeTest>();
  private readonly needs: AlternativeTest[][] = [];

  /** Compiles a second need (its alternatives' own `also` left out); returns its number. */
  add(need: Need): number {
    const tests = need.map((r) => {
      const text = JSON.stringify([r.path, r.keys, r.contains === true, r.exists === true]);
      let t = this.byText.get(text);
      if (!t) {
        t = new AlternativeTest(r);
        this.byText.set(text, t);
      }
      return t;
    });
    this.needs.push(tests);
    return this.needs.length - 1;
  }

  /** Does the document meet need `i`? A field that fails to read counts as met (the rule meets the error itself). */
  met(i: number, doc: Doc, stamp: number): boolean {
    for (const t of this.needs[i]) {
      try {
        if (t.test(doc, stamp)) return true;
      } catch {
        return true;
      }
    }
    return false;
  }

  /** Forgets every answer (the index's stamps start over). */
  reset(): void {
    for (const t of this.byText.values()) t.stamp = 0;
  }
}
