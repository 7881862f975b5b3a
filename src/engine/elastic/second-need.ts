/**
 * Tests of the second needs of rule pairs (Required.also, see required-values.ts). The rule index
 * runs one only when the pair's first need is met: it finds what the index would find for these
 * alternatives (same keys, same case folding, same reading of arrays and numbers), without reading
 * or scanning their fields on the events no first need concerns (process.args, command lines).
 * Each distinct alternative is compiled once per index; the alternatives on one field are answered
 * together, once per event (FieldAlternatives).
 */
import { LiteralAutomaton, newMarks } from '../aho-corasick.js';
import type { Marks } from '../aho-corasick.js';
import type { Doc, Scalar, Value } from '../eql/values.js';
import { sharedFieldReader } from '../eql/values.js';
import type { Need, Required } from './required-values.js';
import { valueKeys } from './required-values.js';
import { fileUnderLiteral } from './posting.js';

/** Short string values remembered per field (values recur: names, actions, categories, arguments). */
const MEMO_ENTRIES = 4096;
const MEMO_LENGTH = 256;
const NONE: readonly number[] = [];

/**
 * Every alternative on one field: the field is read once per event, and each of its values' keys
 * looked up and its text scanned once for all of them (rules on a process name pair it with many
 * tests of process.args or the command line: each test reading and scanning them again cost more
 * than the index itself). Alternatives meet exactly what they met one by one: equalities a key
 * of a value (valueKeys, as the index; the longest key bounds the values read, as each test's own
 * did: a longer value's key is longer than any of them), contains needs a literal in a value's text,
 * field-has-a-value needs any value.
 */
class FieldAlternatives {
  readonly read: (d: Doc) => Value;
  /** Folded key -> the equality alternatives keyed under it. */
  readonly byKey = new Map<string, number[]>();
  maxLength = 0;
  /** Field-has-a-value alternatives. */
  readonly exists: number[] = [];
  /** Contains literals (folded) -> literal id; per literal id, its alternatives. */
  readonly literals = new Map<string, number>();
  readonly literalAlternatives: number[][] = [];
  automaton?: LiteralAutomaton;
  marks?: Marks;
  /** Per short string value: the alternatives it meets. */
  readonly memo = new Map<string, readonly number[]>();
  /** The stamp of the event the field was last read for, and whether that read threw. */
  stamp = 0;
  threw = false;

  constructor(path: readonly string[]) {
    this.read = sharedFieldReader(path);
  }
}

/** The second-need tests of one rule index. */
export class SecondNeeds {
  private readonly byText = new Map<string, number>();
  private readonly needs: number[][] = [];
  private readonly fieldsByPath = new Map<string, FieldAlternatives>();
  /** Per alternative: its field. */
  private readonly altField: FieldAlternatives[] = [];
  /** Per alternative: the stamp of the last event that met it. */
  private altMet = new Uint32Array(64);
  private readonly scratch: string[] = [];

  /** Compiles a second need (its alternatives' own `also` left out); returns its number. */
  add(need: Need): number {
    this.needs.push(need.map((r) => this.alternative(r)));
    return this.needs.length - 1;
  }

  private alternative(r: Required): number {
    const text = JSON.stringify([r.path, r.keys, r.contains === true, r.exists === true]);
    let id = this.byText.get(text);
    if (id !== undefined) return id;
    id = this.altField.length;
    this.byText.set(text, id);
    const name = JSON.stringify(r.path);
    let f = this.fieldsByPath.get(name);
    if (!f) this.fieldsByPath.set(name, (f = new FieldAlternatives(r.path)));
    this.altField.push(f);
    if (id >= this.altMet.length) {
      const m = new Uint32Array(this.altMet.length * 2);
      m.set(this.altMet);
      this.altMet = m;
    }
    // Answers remembered before this alternative was added do not know it.
    f.memo.clear();
    f.stamp = 0;
    if (r.exists) {
      f.exists.push(id);
      return id;
    }
    for (const k of r.keys) f.maxLength = Math.max(f.maxLength, k.length);
    if (r.contains) {
      f.automaton = undefined;
      for (const k of r.keys) fileUnderLiteral(f.literals, f.literalAlternatives, k, id);
      return id;
    }
    for (const k of r.keys) {
      const l = f.byKey.get(k);
      if (!l) f.byKey.set(k, [id]);
      else if (l[l.length - 1] !== id) l.push(id);
    }
    return id;
  }

  /** Does the document meet need `i`? A field that fails to read counts as met (the rule meets the error itself). */
  met(i: number, doc: Doc, stamp: number): boolean {
    for (const a of this.needs[i]) {
      const f = this.altField[a];
      if (f.stamp !== stamp) this.readField(f, doc, stamp);
      if (f.threw || this.altMet[a] === stamp) return true;
    }
    return false;
  }

  /** Reads a field once for the event `stamp`: marks every alternative on it its values meet. */
  private readField(f: FieldAlternatives, doc: Doc, stamp: number): void {
    f.stamp = stamp;
    f.threw = false;
    let v: Value;
    try {
      v = f.read(doc);
    } catch {
      f.threw = true;
      return;
    }
    if (v === null) return;
    for (const a of f.exists) this.altMet[a] = stamp;
    if (f.byKey.size === 0 && f.literals.size === 0) return;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null) this.mark(this.valueMeets(f, x), stamp);
    } else this.mark(this.valueMeets(f, v), stamp);
  }

  private mark(alternatives: readonly number[], stamp: number): void {
    for (const a of alternatives) this.altMet[a] = stamp;
  }

  /** The alternatives one value meets (a short string's, remembered). */
  private valueMeets(f: FieldAlternatives, x: Scalar): readonly number[] {
    if (typeof x === 'string' && x.length <= MEMO_LENGTH) {
      let hit = f.memo.get(x);
      if (hit === undefined) {
        hit = this.compute(f, x);
        if (f.memo.size >= MEMO_ENTRIES) f.memo.clear();
        f.memo.set(x, hit);
      }
      return hit;
    }
    return this.compute(f, x);
  }

  private compute(f: FieldAlternatives, x: Scalar): readonly number[] {
    // A new list each time (it is remembered, or returned): no scratch list to empty and copy.
    const found: number[] = [];
    if (f.byKey.size) {
      const keys = this.scratch;
      keys.length = 0;
      valueKeys(x, keys, f.maxLength);
      for (const k of keys) {
        const l = f.byKey.get(k);
        if (l) for (const a of l) found.push(a);
      }
    }
    if (f.literals.size) {
      const a = f.automaton ?? this.buildAutomaton(f);
      const m = f.marks!;
      if (++m.gen === 0x7fffffff) {
        m.hit.fill(0);
        m.gen = 1;
      }
      m.count = 0;
      a.scan(typeof x === 'string' ? x : String(x), m);
      const targets = f.literalAlternatives;
      for (let i = 0; i < m.count; i++) for (const t of targets[m.found[i]]) found.push(t);
      m.count = 0;
    }
    return found.length ? found : NONE;
  }

  private buildAutomaton(f: FieldAlternatives): LiteralAutomaton {
    const a = new LiteralAutomaton();
    for (const [text, id] of f.literals) a.add(text, id);
    a.build();
    f.automaton = a;
    f.marks = newMarks(Math.max(1, f.literals.size));
    return a;
  }

  /** Forgets every answer (the index's stamps start over). */
  reset(): void {
    for (const f of this.fieldsByPath.values()) f.stamp = 0;
    this.altMet.fill(0);
  }
}
