/**
 * Dispatch of events to rules: each rule is filed under the required values of its filters (one
 * Required per filter, see required-values.ts; a sequence under every stage's), or in `always` when
 * some filter has none. An event meets the rules filed under the values of its indexed fields, plus
 * `always`, in rule order. This is only a necessary condition: the rules still test the event.
 */
import type { Doc } from '../eql/values.js';
import { fieldReader } from '../eql/values.js';
import type { Value } from '../eql/values.js';
import type { Required } from './required-values.js';
import { valueKeys } from './required-values.js';

interface IndexedField {
  read: (d: Doc) => Value;
  byKey: Map<string, number[]>;
  /** Longest key: a longer value cannot match, and is not folded (script blocks, long command lines). */
  maxLength: number;
  /** Every rule filed under the field (when reading it fails, they all test the event and report it). */
  all: number[];
}

export class RuleIndex {
  private readonly always: number[] = [];
  private readonly fields = new Map<string, IndexedField>();
  /** Per rule: the stamp of the last event it was collected for (dedupe without a Set per event). */
  private stamps: Uint32Array = new Uint32Array(64);
  private stamp = 0;
  private readonly keys: string[] = [];
  private readonly out: number[] = [];

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
    for (const r of required) {
      const name = JSON.stringify(r.path);
      let f = this.fields.get(name);
      if (!f) {
        f = { read: fieldReader(r.path), byKey: new Map(), maxLength: 0, all: [] };
        this.fields.set(name, f);
      }
      if (f.all[f.all.length - 1] !== i) f.all.push(i);
      for (const k of r.keys) {
        f.maxLength = Math.max(f.maxLength, k.length);
        const l = f.byKey.get(k);
        if (!l) f.byKey.set(k, [i]);
        else if (l[l.length - 1] !== i) l.push(i);
      }
    }
  }

  /** The rules the document can concern, ascending. The array is reused: read it before the next call. */
  candidates(doc: Doc): readonly number[] {
    if (this.fields.size === 0) return this.always;
    const out = this.out;
    out.length = 0;
    if (++this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const keys = this.keys;
    for (const f of this.fields.values()) {
      keys.length = 0;
      try {
        valueKeys(f.read(doc), keys, f.maxLength);
      } catch {
        // A hostile document (a throwing getter): the rules reading the field meet the error themselves.
        this.collect(f.all, stamp);
        continue;
      }
      for (const k of keys) {
        const l = f.byKey.get(k);
        if (l) this.collect(l, stamp);
      }
    }
    if (out.length === 0) return this.always;
    for (const i of this.always) out.push(i);
    out.sort((a, b) => a - b);
    return out;
  }

  private collect(rules: number[], stamp: number): void {
    for (const i of rules) {
      if (this.stamps[i] === stamp) continue;
      this.stamps[i] = stamp;
      this.out.push(i);
    }
  }
}
