/**
 * Dispatch of events to rules: each rule is filed under the required values of its filters (one
 * Required per filter, see required-values.ts; a sequence under every stage's), or in `always` when
 * some filter has none. An event meets the rules filed under the values of its indexed fields, plus
 * `always`, in rule order. This is only a necessary condition: the rules still test the event.
 * Contains keys (literal pieces of wildcard, like and regex patterns) are found by one
 * case-insensitive Aho-Corasick pass per field value, shared by every rule filed under the field.
 *
 * The index files targets, not rules: a rule's alternatives without a second need are one target
 * (met: the rule is a candidate); alternatives sharing a second need (Required.also) are another,
 * and when it is met the second need is tested (second-need.ts): the rule is a candidate when the
 * event meets both.
 */
import { LiteralAutomaton, newMarks } from '../aho-corasick.js';
import type { Marks } from '../aho-corasick.js';
import type { Doc } from '../eql/values.js';
import { sharedFieldReader } from '../eql/values.js';
import type { Scalar, Value } from '../eql/values.js';
import type { Need, Required } from './required-values.js';
import { SecondNeeds } from './second-need.js';
import { valueKeys } from './required-values.js';
import { fileUnderLiteral } from './posting.js';

interface IndexedField {
  read: (d: Doc) => Value;
  byKey: Map<string, number[]>;
  /** Longest key: a longer value cannot match, and is not folded (script blocks, long command lines). */
  maxLength: number;
  /** Every target filed under the field (when reading it fails, their rules all test the event and report it). */
  all: number[];
  /** Targets filed under the field having a value (Required.exists). */
  present: number[];
  /** Per recent string value: the targets filed under its keys (values recur: providers, actions, names). */
  memo: Map<string, readonly number[]>;
}

/** Strings remembered per field, and the longest remembered (longer ones are rarely repeated). */
const MEMO_ENTRIES = 4096;
const MEMO_LENGTH = 256;
const NONE: readonly number[] = [];

/** A field whose values are searched for the literals rules are filed under. */
interface ScannedField {
  read: (d: Doc) => Value;
  /** Literal texts (folded) and their ids (global over every scanned field). */
  literals: Map<string, number>;
  automaton?: LiteralAutomaton;
  all: number[];
}

/**
 * The fields under one top-level key of the document ("process" for process.name, process.args...):
 * when the document has no such key, none of them has a value (see candidates).
 */
interface FieldGroup {
  top: string;
  fields: IndexedField[];
  scanned: ScannedField[];
}

export class RuleIndex {
  private readonly always: number[] = [];
  /** Per target: its rule, and its second need (-1: none, the target alone makes the rule a candidate). */
  private readonly targetRule: number[] = [];
  private readonly targetSecond: number[] = [];
  private readonly seconds = new SecondNeeds();
  /** The document candidates() is reading (second needs test it). */
  private doc: Doc = {};
  /** Per target: the stamp of the last event it was met by. */
  private targetStamps: Uint32Array = new Uint32Array(64);
  /** fields and scanned by top-level key, built at the first event (undefined: to build). */
  private groups?: FieldGroup[];
  private readonly fields = new Map<string, IndexedField>();
  private readonly scanned = new Map<string, ScannedField>();
  /** Per literal id: the targets filed under it. */
  private readonly literalRules: number[][] = [];
  private marks?: Marks;
  /** Per rule: the stamp of the last event it was collected for (dedupe without a Set per event). */
  private stamps: Uint32Array = new Uint32Array(64);
  private stamp = 0;
  private readonly keys: string[] = [];
  private out: number[] = [];

  /** Files rule `i` (added in increasing order) under its filters' required values; undefined: always. */
  add(i: number, required: Required[] | undefined): void {
    if (i >= this.stamps.length) {
      const s = new Uint32Array(Math.max(i + 1, this.stamps.length * 2));
      s.set(this.stamps);
      this.stamps = s;
    }
    if (!required) {
      this.always.push(i);
      return;
    }
    this.groups = undefined;
    let single: number | undefined;
    // Alternatives sharing one second need (one pickNeed) share one target.
    const paired = new Map<Need, number>();
    for (const r of required) {
      if (!r.also || r.also.length === 0) {
        this.file(r, (single ??= this.newTarget(i, -1)));
        continue;
      }
      let t = paired.get(r.also);
      if (t === undefined) {
        t = this.newTarget(i, this.seconds.add(r.also));
        paired.set(r.also, t);
      }
      this.file(r, t);
    }
  }

  private newTarget(rule: number, second: number): number {
    const t = this.targetRule.length;
    this.targetRule.push(rule);
    this.targetSecond.push(second);
    // Sized here, as targets are filed (not by candidates: a branch its compiled code would lack).
    if (this.targetStamps.length < this.targetRule.length) {
      const s = new Uint32Array(this.targetRule.length * 2);
      s.set(this.targetStamps);
      this.targetStamps = s;
    }
    return t;
  }

  /** Files target `i` under one Required (its `also` aside). */
  private file(r: Required, i: number): void {
    if (r.contains) {
      this.addScanned(i, r);
      return;
    }
    const name = JSON.stringify(r.path);
    let f = this.fields.get(name);
    if (!f) {
      f = { read: sharedFieldReader(r.path), byKey: new Map(), maxLength: 0, all: [], present: [], memo: new Map() };
      this.fields.set(name, f);
    }
    if (f.all[f.all.length - 1] !== i) f.all.push(i);
    if (r.exists && f.present[f.present.length - 1] !== i) f.present.push(i);
    for (const k of r.keys) {
      f.maxLength = Math.max(f.maxLength, k.length);
      const l = f.byKey.get(k);
      if (!l) f.byKey.set(k, [i]);
      else if (l[l.length - 1] !== i) l.push(i);
    }
  }

  private addScanned(i: number, r: Required): void {
    if (this.marks) throw new Error('rule index already in use');
    const name = JSON.stringify(r.path);
    let f = this.scanned.get(name);
    if (!f) {
      f = { read: sharedFieldReader(r.path), literals: new Map(), all: [] };
      this.scanned.set(name, f);
    }
    if (f.all[f.all.length - 1] !== i) f.all.push(i);
    for (const k of r.keys) fileUnderLiteral(f.literals, this.literalRules, k, i);
  }

  /** The automata, built on first use (every rule is filed by then). */
  private build(): Marks {
    for (const f of this.scanned.values()) {
      const a = new LiteralAutomaton();
      for (const [text, id] of f.literals) a.add(text, id);
      a.build();
      f.automaton = a;
    }
    this.marks = newMarks(Math.max(1, this.literalRules.length));
    return this.marks;
  }

  private buildGroups(): FieldGroup[] {
    const byTop = new Map<string, FieldGroup>();
    const group = (name: string): FieldGroup => {
      const top = (JSON.parse(name) as string[])[0];
      let g = byTop.get(top);
      if (!g) {
        g = { top, fields: [], scanned: [] };
        byTop.set(top, g);
      }
      return g;
    };
    for (const [name, f] of this.fields) group(name).fields.push(f);
    for (const [name, f] of this.scanned) group(name).scanned.push(f);
    return [...byTop.values()];
  }

  /**
   * The rules the document can concern, ascending: a new array, or the index's list of rules filed
   * under no value (never to be changed). `nested`: the caller knows the document has no dotted
   * top-level key (toEcs builds none), which is not looked for then.
   */
  candidates(doc: Doc, nested?: boolean): readonly number[] {
    if (this.fields.size === 0 && this.scanned.size === 0) return this.always;
    // A new list rather than the last one emptied: `length = 0` drops an array's storage anyway, and
    // the caller keeps this one without copying it.
    const out: number[] = [];
    this.out = out;
    if (++this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.targetStamps.fill(0);
      this.seconds.reset();
      this.stamp = 1;
    }
    const stamp = this.stamp;
    this.doc = doc;
    const groups = (this.groups ??= this.buildGroups());
    let marks: Marks | undefined;
    if (this.scanned.size) {
      marks = this.marks ?? this.build();
      if (++marks.gen === 0x7fffffff) {
        marks.hit.fill(0);
        marks.gen = 1;
      }
    }
    // Without dotted top-level keys ({"process.name": ...}), a field whose top-level key is missing
    // has no value (fieldReader finds none): its whole group is skipped without reading a field.
    const noDotted = nested === true || !hasDottedKey(doc);
    for (const g of groups) {
      if (noDotted && topMissing(doc, g.top)) continue;
      for (const f of g.fields) {
        let v: Value;
        try {
          v = f.read(doc);
        } catch {
          // A hostile document (a throwing getter): the rules reading the field meet the error themselves.
          this.collectRulesOf(f.all, stamp);
          continue;
        }
        if (v === null) continue;
        if (f.present.length) this.collectTargets(f.present, stamp);
        if (f.byKey.size === 0) continue;
        // valueKeys of an array is its elements' keys together: each element on its own.
        if (Array.isArray(v)) for (const x of v) this.collectKeyed(f, x, stamp);
        else this.collectKeyed(f, v, stamp);
      }
      for (const f of g.scanned) {
        try {
          this.scanValue(f, f.read(doc), marks!);
        } catch {
          this.collectRulesOf(f.all, stamp);
        }
      }
    }
    if (out.length === 0) return this.always;
    for (const i of this.always) out.push(i);
    sortSmall(out);
    return out;
  }

  /** The rules filed under the keys of one value (a short string's, remembered). */
  private collectKeyed(f: IndexedField, v: Scalar, stamp: number): void {
    if (typeof v === 'string' && v.length <= MEMO_LENGTH) {
      let rules = f.memo.get(v);
      if (rules === undefined) {
        rules = this.keyedRules(f, v);
        if (f.memo.size >= MEMO_ENTRIES) f.memo.clear();
        f.memo.set(v, rules);
      }
      if (rules.length) this.collectTargets(rules, stamp);
      return;
    }
    const rules = this.keyedRules(f, v);
    if (rules.length) this.collectTargets(rules, stamp);
  }

  private keyedRules(f: IndexedField, v: Scalar): readonly number[] {
    const keys = this.keys;
    keys.length = 0;
    valueKeys(v, keys, f.maxLength);
    let out: number[] | undefined;
    for (const k of keys) {
      const l = f.byKey.get(k);
      if (l) (out ??= []).push(...l);
    }
    return out ?? NONE;
  }

  /** Every value's text (numbers and booleans as the evaluators print them) through the field's automaton. */
  private scanValue(f: ScannedField, v: Value, marks: Marks): void {
    if (v === null) return;
    marks.count = 0;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null) f.automaton!.scan(typeof x === 'string' ? x : String(x), marks);
    } else f.automaton!.scan(typeof v === 'string' ? v : String(v), marks);
    // The targets of each literal found (second needs scan with marks of their own: `found` stays as it is).
    const found = marks.found;
    for (let i = 0, n = marks.count; i < n; i++) this.collectTargets(this.literalRules[found[i]], this.stamp);
    marks.count = 0;
  }

  /** Marks targets met; its rule is a candidate when the target has no second need, or the event meets it. */
  private collectTargets(targets: readonly number[], stamp: number): void {
    const ts = this.targetStamps;
    for (const t of targets) {
      if (ts[t] === stamp) continue;
      ts[t] = stamp;
      const second = this.targetSecond[t];
      if (second >= 0 && !this.seconds.met(second, this.doc, stamp)) continue;
      this.collectRule(this.targetRule[t], stamp);
    }
  }

  /** The rules of targets, met or not (a field that failed to read: they meet the error themselves). */
  private collectRulesOf(targets: readonly number[], stamp: number): void {
    for (const t of targets) this.collectRule(this.targetRule[t], stamp);
  }

  private collectRule(i: number, stamp: number): void {
    if (this.stamps[i] === stamp) return;
    this.stamps[i] = stamp;
    this.out.push(i);
  }
}

/** Has the document a top-level key with a dot (a flattened field)? */
function hasDottedKey(doc: Doc): boolean {
  try {
    for (const k in doc) if (k.includes('.')) return true;
    return false;
  } catch {
    return true;
  }
}

/** Is the top-level key absent (a throwing getter counts as present: its fields are read, and fail)? */
function topMissing(doc: Doc, top: string): boolean {
  try {
    return doc[top] === undefined;
  } catch {
    return false;
  }
}

/**
 * Sorts rule numbers ascending in place. An event meets a dozen rules: insertion sort allocates
 * nothing (Array.prototype.sort copies into a work array on every call), longer lists take sort.
 */
export function sortSmall(a: number[]): void {
  if (a.length > 32) {
    a.sort((x, y) => x - y);
    return;
  }
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
