/**
 * All rules compiled into one matcher. Rules are grouped by (channel, EventID); for each group
 * seen in the data a bucket is built once: the fields to scan, and for every literal pattern the
 * rules it can trigger. Per event: one automaton pass per scanned field, then only the triggered
 * rules (and the few that have no literal to key on) are evaluated.
 */
import { type Detection, type Rule, walkPredicates } from '../model/index.js';
import type { FlatEvent } from '../events/normalize.js';
import { type Compiled, compileDetection } from './compile.js';
import { KEYWORDS, LiteralTable, type LiteralPlan } from './literals.js';
import { ANY, planRule, type Variant } from './plan.js';
import type { Test } from './leaves.js';
import { foldString } from './case-fold.js';
import { type LiteralAutomaton, type Marks, replayHits } from './aho-corasick.js';

export interface CompiledVariant {
  /** Index of the rule in load order (alerts come out in this order). */
  ruleIndex: number;
  rule: Rule;
  /** Index of the rule in the list the matcher was given, and of this variant in its plan (planRule). */
  source: number;
  variant: number;
  channel: string;
  eventIds?: number[];
  /** The test; a variant restored from a plan compiles it when it is first a candidate (see ensureCompiled). */
  test: Test;
  compiled: boolean;
  triggers: number[] | null;
  scanFields: string[];
  /** The detection with this variant's field mapping (kept after compiling; see alertFields). */
  mapped?: Detection;
  /** What alerts show, computed at the first alert (see alertFields). */
  shown?: AlertFields;
}

export interface AlertFields {
  /** [field as the rule names it, field in the event] for the alert's `matched` object. */
  shownFields: Array<[string, string]>;
  /** Plain keyword values of the rule's positive keyword searches ([folded, as written]), to show which were found. */
  keywords: Array<[string, string]>;
}

/** The fields and keywords an alert of this variant shows (computed once, at its first alert). */
export function alertFields(v: CompiledVariant): AlertFields {
  if (!v.shown) {
    const mapped = v.mapped ?? variantOf(v).detection;
    v.shown = { shownFields: shownFields(v.rule.detection!, mapped), keywords: keywordValues(mapped) };
  }
  return v.shown;
}

function variantOf(c: CompiledVariant): Variant {
  const plan = planRule(c.rule);
  const v = 'variants' in plan ? plan.variants[c.variant] : undefined;
  if (!v) throw new Error(`rule ${c.rule.path}: its stored plan no longer fits it`);
  return v;
}

interface ScanEntry {
  field: string;
  /** Set when the field's patterns are only compared whole: a hash lookup. */
  exact?: Map<string, number>;
  automata: LiteralAutomaton[];
  /** The value seen last in this bucket and what it gave (see LastSeen). */
  last: LastSeen;
}

/**
 * The string value a field had in the previous event of the bucket, and what its scan found (per
 * automaton; the pattern id for an exact lookup): most values repeat from one event to the next
 * (provider, user, image, ...), and comparing with the previous value costs less than hashing it
 * for the automaton's memo. Replaying a scan sets the same marks in the same order.
 */
interface LastSeen {
  key: string | undefined;
  value: string | undefined;
  found: Array<readonly number[]>;
  id: number;
}

function lastSeen(): LastSeen {
  return { key: undefined, value: undefined, found: [], id: -1 };
}

interface Bucket {
  variants: CompiledVariant[];
  scan: ScanEntry[];
  /** Fields whose own automaton (scanned in this bucket) already searches the keyword patterns. */
  keywordCovered: Set<string>;
  /** The keyword scan's LastSeen per position in the event's key list. */
  keywordLast: LastSeen[];
  triggers: Map<number, number[]>;
  always: number[];
  stamp: Int32Array;
  candidates: number[];
  onFirst: (id: number) => void;
}

/** See Matcher.builder. */
export interface MatcherBuilder {
  /** The rules added so far, in order. */
  readonly rules: readonly Rule[];
  add(rule: Rule): void;
  /** The matcher of the rules added (no rule can be added after). */
  finish(): Matcher;
}

export interface Skipped {
  rule: Rule;
  reason: string;
  message: string;
}

export class Matcher {
  readonly literals: LiteralTable;
  readonly skipped: Skipped[] = [];
  readonly loaded: Rule[] = [];
  private variants: CompiledVariant[] = [];
  private byKey = new Map<string, CompiledVariant[]>();
  private buckets = new Map<string, Bucket>();
  /** channel as written in the event -> EventID -> bucket (avoids building a key per event). */
  private fastBuckets = new Map<string, Map<number, Bucket>>();
  private gen = 0;

  /** Plans and compiles every rule (see also Matcher.fromPlan, which skips this work). */
  constructor(private readonly rules: Rule[], literals?: LiteralTable) {
    this.literals = literals ?? new LiteralTable();
    if (literals) return;
    rules.forEach((rule, source) => this.compileRule(rule, source));
    this.literals.build();
  }

  /** Plans and compiles the rule at `source` in the matcher's list (in list order; see MatcherBuilder). */
  private compileRule(rule: Rule, source: number): void {
    const plan = planRule(rule);
    if ('skip' in plan) {
      this.skipped.push({ rule, reason: plan.skip, message: plan.message });
      return;
    }
    let compiled: CompiledVariant[];
    try {
      compiled = plan.variants.map((v, i) => this.compileVariant(v, this.loaded.length, source, i));
    } catch (e) {
      this.skipped.push({ rule, reason: 'compile-error', message: (e as Error).message });
      return;
    }
    this.loaded.push(rule);
    for (const c of compiled) this.addVariant(c);
  }

  /**
   * A matcher compiled rule by rule as the rules come (a cold start compiles the rules of the files
   * already parsed while other threads parse the rest): `add` the rules in their final order, then
   * `finish`. The result is the matcher `new Matcher(rules)` builds from the same list.
   */
  static builder(): MatcherBuilder {
    const rules: Rule[] = [];
    const m = new Matcher(rules, new LiteralTable());
    let done = false;
    return {
      rules,
      add(rule: Rule): void {
        if (done) throw new Error('matcher already built');
        rules.push(rule);
        m.compileRule(rule, rules.length - 1);
      },
      finish(): Matcher {
        if (!done) m.literals.build();
        done = true;
        return m;
      },
    };
  }

  /**
   * A matcher from a stored plan (the rule cache, or the main thread's plan sent to a worker):
   * no rule is compiled until an event needs it. `rules` must be the list the plan was made from.
   * Throws when the plan does not fit the rules (a damaged or foreign plan). `trusted`: the plan was
   * checked in this process already (a worker thread's copy), its tables are not checked again.
   */
  static fromPlan(rules: Rule[], plan: MatcherPlan, trusted = false): Matcher {
    const m = new Matcher(rules, LiteralTable.fromPlan(plan.literals, trusted));
    const n = plan.literals.patternCount;
    for (const [source, reason, message] of plan.skipped) m.skipped.push({ rule: ruleAt(rules, source), reason, message });
    for (const source of plan.loaded) m.loaded.push(ruleAt(rules, source));
    for (const [ruleIndex, source, variant, channel, eventIds, triggers, scanFields] of plan.variants) {
      if (!(ruleIndex >= 0 && ruleIndex < m.loaded.length) || m.loaded[ruleIndex] !== ruleAt(rules, source)) throw new Error('plan: variant of a rule not loaded');
      if (triggers && triggers.some((t) => !(t >= 0 && t < n))) throw new Error('plan: trigger out of range');
      m.addVariant({
        ruleIndex, rule: rules[source], source, variant, channel, eventIds: eventIds ?? undefined, triggers, scanFields,
        test: notCompiled, compiled: false,
      });
    }
    return m;
  }

  /** What fromPlan needs to rebuild this matcher without compiling (JSON-safe, plus typed arrays). */
  toPlan(): MatcherPlan {
    const index = new Map(this.rules.map((r, i) => [r, i]));
    return {
      literals: this.literals.toPlan(),
      loaded: this.loaded.map((r) => index.get(r)!),
      skipped: this.skipped.map((s) => [index.get(s.rule)!, s.reason, s.message]),
      variants: this.variants.map((v) => [v.ruleIndex, v.source, v.variant, v.channel, v.eventIds ?? null, v.triggers, v.scanFields]),
    };
  }

  private addVariant(c: CompiledVariant): void {
    this.variants.push(c);
    for (const id of c.eventIds ?? [undefined]) {
      const key = bucketKey(c.channel, id);
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      list.push(c);
    }
  }

  private compileVariant(v: Variant, ruleIndex: number, source: number, variant: number): CompiledVariant {
    const scanFields = new Set<string>();
    const c: Compiled = compileDetection(v.detection, { literals: this.literals, scanFields });
    return {
      ruleIndex,
      rule: v.rule,
      source,
      variant,
      channel: v.channel,
      eventIds: v.eventIds,
      test: c.test,
      compiled: true,
      triggers: c.triggers,
      scanFields: [...scanFields],
      mapped: v.detection,
    };
  }

  /** Compiles a variant restored from a plan (its literals already have their ids). */
  private ensureCompiled(c: CompiledVariant): void {
    if (c.compiled) return;
    c.compiled = true;
    const v = variantOf(c);
    c.mapped = v.detection;
    c.test = compileDetection(v.detection, { literals: this.literals, scanFields: new Set(), testOnly: true }).test;
  }

  /** Rules matching the event, in load order. */
  match(ev: FlatEvent): CompiledVariant[] {
    let byId = this.fastBuckets.get(ev.channel);
    if (!byId) this.fastBuckets.set(ev.channel, (byId = new Map()));
    let bucket = byId.get(ev.eventId);
    if (!bucket) byId.set(ev.eventId, (bucket = this.bucketFor(ev.channel.toLowerCase(), ev.eventId)));
    if (bucket.variants.length === 0) return NONE;
    const marks = this.literals.marks;
    marks.gen = ++this.gen;
    bucket.candidates.length = 0;
    const f = ev.fields;
    // Scans append the pattern ids they find first to marks.found; their rules are collected after.
    marks.count = 0;
    for (const entry of bucket.scan) {
      if (entry.field === KEYWORDS) {
        this.scanKeywords(bucket, entry.automata, ev);
        continue;
      }
      const v = f[entry.field];
      if (v === undefined || v === null) continue;
      const exact = entry.exact;
      if (typeof v === 'string') {
        const last = entry.last;
        if (exact) {
          if (v !== last.value) {
            last.value = v;
            last.id = exact.get(foldString(v)) ?? -1;
          }
          if (last.id >= 0) markExact(marks, last.id);
        } else scanLast(entry.automata, v, last, marks);
        continue;
      }
      if (exact) {
        for (const x of v) {
          const id = exact.get(foldString(x));
          if (id !== undefined) markExact(marks, id);
        }
        continue;
      }
      for (const ac of entry.automata) for (const x of v) ac.scan(x, marks);
    }
    const onFirst = bucket.onFirst;
    const found = marks.found;
    for (let k = 0, n = marks.count; k < n; k++) onFirst(found[k]);
    marks.count = 0;
    let out: CompiledVariant[] | undefined;
    const variants = bucket.variants;
    const always = bucket.always;
    for (let k = 0; k < always.length; k++) {
      const v = variants[always[k]];
      if (!v.compiled) this.ensureCompiled(v);
      if (v.test(f)) (out ??= []).push(v);
    }
    const cands = bucket.candidates;
    for (let k = 0; k < cands.length; k++) {
      const v = variants[cands[k]];
      if (!v.compiled) this.ensureCompiled(v);
      if (v.test(f)) (out ??= []).push(v);
    }
    if (!out) return NONE;
    if (out.length > 1) out.sort((a, b) => a.ruleIndex - b.ruleIndex);
    return out;
  }

  /** The keyword automata over every value of the event that no field automaton of the bucket already searched. */
  private scanKeywords(bucket: Bucket, automata: LiteralAutomaton[], ev: FlatEvent): void {
    const covered = bucket.keywordCovered;
    const keys = ev.keys;
    const f = ev.fields;
    const marks = this.literals.marks;
    const lasts = bucket.keywordLast;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      let last = lasts[j];
      if (last === undefined) lasts.push((last = lastSeen()));
      const v = f[k];
      if (typeof v === 'string') {
        // Same key at the same place as in the previous event: its coverage is known (value undefined when covered).
        if (k === last.key) {
          if (last.value === undefined) continue;
        } else {
          last.key = k;
          last.value = undefined;
          if (covered.has(k)) continue;
        }
        scanLast(automata, v, last, marks);
      } else if (v && !covered.has(k)) {
        for (const ac of automata) for (const x of v) ac.scan(x, marks);
      }
    }
  }

  private bucketFor(channel: string, eventId: number): Bucket {
    const key = bucketKey(channel, Number.isNaN(eventId) ? undefined : eventId);
    let b = this.buckets.get(key);
    if (b) return b;
    const variants = [
      ...(this.byKey.get(key) ?? []),
      ...(this.byKey.get(bucketKey(channel, undefined)) ?? []),
      ...(channel !== ANY ? (this.byKey.get(bucketKey(ANY, undefined)) ?? []) : []),
    ];
    const ids = Number.isNaN(eventId) ? [] : [eventId];
    for (const id of ids) if (channel !== ANY) variants.push(...(this.byKey.get(bucketKey(ANY, id)) ?? []));
    variants.sort((a, b2) => a.ruleIndex - b2.ruleIndex);
    const triggers = new Map<number, number[]>();
    const always: number[] = [];
    const scan = new Set<string>();
    variants.forEach((v, i) => {
      for (const s of v.scanFields) scan.add(s);
      if (v.triggers === null) always.push(i);
      else for (const t of v.triggers) {
        let l = triggers.get(t);
        if (!l) triggers.set(t, (l = []));
        l.push(i);
      }
    });
    const stamp = new Int32Array(variants.length);
    const candidates: number[] = [];
    const marks = (): Marks => this.literals.marks;
    b = {
      variants,
      scan: [...scan].map((field) => ({ field, exact: this.literals.exactOnly.get(field), automata: this.literals.automata.get(field) ?? [], last: lastSeen() })),
      keywordCovered: new Set(this.literals.keywordsInFieldAutomata && scan.has(KEYWORDS)
        ? [...scan].filter((f) => f !== KEYWORDS && !this.literals.exactOnly.has(f)) : []),
      keywordLast: [],
      triggers,
      always,
      stamp,
      candidates,
      onFirst(id: number) {
        const l = triggers.get(id);
        if (!l) return;
        const g = marks().gen;
        for (let k = 0; k < l.length; k++) {
          const i = l[k];
          if (stamp[i] !== g) {
            stamp[i] = g;
            candidates.push(i);
          }
        }
      },
    };
    this.buckets.set(key, b);
    return b;
  }

  /** Statistics for reports and benchmarks. */
  stats(): { rules: number; patterns: number; automata: number; states: number } {
    let states = 0;
    for (const list of this.literals.automata.values()) for (const a of list) states += a.stateCount;
    return { rules: this.loaded.length, patterns: this.literals.patternCount, automata: this.literals.automata.size, states };
  }
}

const NONE: CompiledVariant[] = [];

const notCompiled: Test = () => {
  throw new Error('variant used before it was compiled');
};

function ruleAt(rules: Rule[], i: number): Rule {
  const r = rules[i];
  if (!r) throw new Error('plan: rule index out of range');
  return r;
}

/** A compiled matcher as plain data: literal tables, and per variant what buckets need (tests are rebuilt on use). */
export interface MatcherPlan {
  literals: LiteralPlan;
  /** Indices (in the matcher's rule list) of the loaded rules, in load order. */
  loaded: number[];
  skipped: Array<[number, string, string]>;
  /** [ruleIndex, source, variant, channel, eventIds, triggers, scanFields] */
  variants: Array<[number, number, number, string, number[] | null, number[] | null, string[]]>;
}

/** Scans a string value with each automaton, or replays the previous scans when it is the value scanned last. */
function scanLast(automata: LiteralAutomaton[], v: string, last: LastSeen, marks: Marks): void {
  const found = last.found;
  if (v === last.value && found.length === automata.length) {
    for (let a = 0; a < found.length; a++) replayHits(found[a], marks);
    return;
  }
  last.value = v;
  for (let a = 0; a < automata.length; a++) found[a] = automata[a].scanRecorded(v, marks);
  found.length = automata.length;
}

function markExact(m: Marks, id: number): void {
  if (m.hit[id] !== m.gen) {
    m.hit[id] = m.gen;
    m.found[m.count++] = id;
  }
  m.start[id] = m.end[id] = m.exact[id] = m.gen;
}

function bucketKey(channel: string, eventId: number | undefined): string {
  return `${channel}\u0000${eventId ?? ANY}`;
}

/** Literal values of positive keyword (field-less) searches: [folded, as written] (hunt lists the same: store/hunt-loop.ts). */
export function keywordValues(d: Detection): Array<[string, string]> {
  const out = new Map<string, string>();
  walkPredicates(d, (p, _path, negated) => {
    if (p.field !== null || negated || p.op === 'wildcard' || p.op === 'regex_match') return;
    for (const v of p.values) if (v !== null && String(v) !== '') out.set(foldString(String(v)), String(v));
  });
  return [...out.entries()];
}

/** Fields of the rule's positive tests, with the event field each reads in this variant. */
export function shownFields(original: Detection, mapped: Detection): Array<[string, string]> {
  const out = new Map<string, string>();
  const walk = (a: Detection, b: Detection, negated: boolean): void => {
    if (a.kind === 'pred' && b.kind === 'pred') {
      if (!negated && a.field !== null && b.field !== null && !out.has(a.field)) out.set(a.field, b.field);
    } else if ((a.kind === 'and' || a.kind === 'or') && (b.kind === 'and' || b.kind === 'or')) {
      a.children.forEach((c, i) => walk(c, b.children[i], negated));
    } else if (a.kind === 'not' && b.kind === 'not') {
      walk(a.child, b.child, !negated);
    }
  };
  walk(original, mapped, false);
  return [...out.entries()];
}
