import type { Db } from '../store/db.js';
import type { ReachIndex } from './reach-index.js';

/** One predicate row as the in-memory queries need it (field and vendor_field as stored: null = keyword). */
export interface IndexedPredicate {
  field: string | null;
  vendor: string;
  vendorField: string | null;
  op: string;
  matchOp: string;
  value: string | null;
  negated: boolean;
  exclusion: boolean;
  /** Precomputed at load (requests then build no key strings): field or '(keyword)', and predicateKey of it, matchOp and value. */
  fieldOrKeyword: string;
  key: string | null;
  /**
   * Dense ids (PredicateIds) of what the guide counts per predicate, so that a request counts in
   * typed arrays instead of Sets of strings: the field, (field, vendor, vendor field), (field, shown
   * operator), (field, value) and the key (-1: no value).
   */
  fieldId: number;
  vendorFieldId: number;
  opId: number;
  sampleId: number;
  keyId: number;
}

/** The operator the guide shows for a predicate under a negation (negated-op.ts has the SQL form). */
export const shownOp = (op: string, negated: boolean): string => (!negated ? op : op === 'eq' ? 'ne' : op === 'ne' ? 'eq' : `not ${op}`);

/** Interned tuples: id -> parts, and the id of parts (built at load, read by requests). */
export class IdSpace<T extends readonly unknown[]> {
  readonly parts: T[] = [];
  private readonly ids = new Map<string, number>();
  id(key: string, parts: () => T): number {
    let i = this.ids.get(key);
    if (i === undefined) {
      i = this.parts.length;
      this.ids.set(key, i);
      this.parts.push(parts());
    }
    return i;
  }
  get size(): number {
    return this.parts.length;
  }
  /** Drops the lookup by key once loading is done (requests read `parts` only): its key strings are garbage then. */
  freeze(): void {
    this.ids.clear();
  }
}

/** The id spaces of IndexedPredicate's ids; events of rules likewise. */
export interface PredicateIds {
  fields: IdSpace<[string]>;
  vendorFields: IdSpace<[field: number, vendor: string, vendorField: string]>;
  ops: IdSpace<[field: number, op: string]>;
  samples: IdSpace<[field: number, value: string]>;
  keys: IdSpace<[field: string, matchOp: string, value: string]>;
  events: IdSpace<[string]>;
  /** Per key id: its corpus reach (rules testing it outside exclusions and negations). */
  keyReach: Int32Array;
}

/** A rule's listing columns; `rank` is its place in the guide's order (vendor, lower(title), path). */
export interface IndexedRule {
  uid: string;
  id: string;
  title: string;
  vendor: string;
  path: string;
  status: string | null;
  level: string | null;
  rank: number;
}

export const KEYWORD = '(keyword)';
export const predicateKey = (field: string, op: string, value: string): string => `${field}\u0000${op}\u0000${value}`;

/**
 * The catalog's predicates, rules, technique tags and event types in memory (the full catalog: 100 000
 * predicate rows, some tens of MB), loaded once by a long-running reader (the web server). The guide,
 * the technique's rule lists, the analyst view and the similar-rules ranking then aggregate in
 * JavaScript instead of scanning the predicates table per request; each gives the same answer as its
 * SQL form (test/catalog/predicate-index.test.ts compares them).
 */
export class PredicateIndex {
  private constructor(
    readonly rules: Map<string, IndexedRule>,
    readonly byRule: Map<string, IndexedPredicate[]>,
    /** technique id -> [rule uid, technique it is tagged with], under the tag and under its parent. */
    private readonly byTechnique: Map<string, Array<[string, string]>>,
    readonly events: Map<string, string[]>,
    /** predicateKey(coalesced field, match_op, value_norm) -> uids testing it outside exclusions. */
    readonly byKey: Map<string, string[]>,
    readonly reach: ReachIndex,
    readonly ids: PredicateIds,
    /** Per rule: the ids of its event types (PredicateIds.events). */
    readonly eventIds: Map<string, number[]>,
  ) {}

  static async load(db: Db): Promise<PredicateIndex> {
    const intern = new Map<string, string>();
    const s = (v: unknown): string => {
      const x = String(v);
      const hit = intern.get(x);
      if (hit !== undefined) return hit;
      intern.set(x, x);
      return x;
    };
    const sn = (v: unknown): string | null => (v === null || v === undefined ? null : s(v));

    const rules = new Map<string, IndexedRule>();
    const rr = await db.conn.runAndReadAll(`SELECT uid, id, title, vendor, path, status, level FROM rules
      ORDER BY CASE vendor WHEN 'sigma' THEN 0 WHEN 'elastic' THEN 1 ELSE 2 END, lower(title), path, doc_index`);
    let rank = 0;
    for (const [uid, id, title, vendor, path, status, level] of rr.getRows()) {
      const u = String(uid);
      rules.set(u, { uid: u, id: String(id), title: String(title), vendor: s(vendor), path: String(path), status: sn(status), level: sn(level), rank: rank++ });
    }

    const ids: PredicateIds = {
      fields: new IdSpace(), vendorFields: new IdSpace(), ops: new IdSpace(), samples: new IdSpace(), keys: new IdSpace(), events: new IdSpace(), keyReach: new Int32Array(0),
    };
    const byRule = new Map<string, IndexedPredicate[]>();
    const byKeySets = new Map<string, Set<string>>();
    const reachSets = new Map<string, Set<string>>();
    const pr = await db.conn.runAndReadAll(`SELECT rule_uid, field, vendor, vendor_field, op, match_op, value_norm, negated, exclusion FROM predicates`);
    for (const [uid, field, vendor, vf, op, matchOp, value, negated, exclusion] of pr.getRows()) {
      const u = rules.get(String(uid))?.uid ?? String(uid);
      const f = sn(field);
      const fk = f ?? KEYWORD;
      const v = sn(value);
      const key = v === null ? null : s(predicateKey(fk, String(matchOp), v));
      const fieldId = ids.fields.id(fk, () => [fk]);
      const vfk = sn(vf) ?? KEYWORD;
      const vendorText = s(vendor);
      const shown = shownOp(String(op), negated === true);
      const p: IndexedPredicate = {
        field: f, vendor: vendorText, vendorField: sn(vf), op: s(op), matchOp: s(matchOp), value: v,
        negated: negated === true, exclusion: exclusion === true,
        fieldOrKeyword: fk, key,
        fieldId,
        vendorFieldId: ids.vendorFields.id(predicateKey(fk, vendorText, vfk), () => [fieldId, vendorText, vfk]),
        opId: ids.ops.id(`${fk}\u0000${shown}`, () => [fieldId, s(shown)]),
        sampleId: v === null ? -1 : ids.samples.id(`${fk}\u0000${v}`, () => [fieldId, v]),
        keyId: key === null ? -1 : ids.keys.id(key, () => [fk, s(matchOp), v!]),
      };
      let list = byRule.get(u);
      if (!list) byRule.set(u, (list = []));
      list.push(p);
      if (p.key === null || p.exclusion) continue;
      const k = p.key;
      let set = byKeySets.get(k);
      if (!set) byKeySets.set(k, (set = new Set()));
      set.add(u);
      if (p.negated) continue;
      let rs = reachSets.get(k);
      if (!rs) reachSets.set(k, (rs = new Set()));
      rs.add(u);
    }
    const byKey = new Map<string, string[]>();
    for (const [k, set] of byKeySets) byKey.set(k, [...set]);
    const reachCounts = new Map<string, number>();
    for (const [k, set] of reachSets) reachCounts.set(k, set.size);
    const reach: ReachIndex = { get: (f, o, v) => reachCounts.get(predicateKey(f, o, v)) ?? 0, size: reachCounts.size };
    ids.keyReach = Int32Array.from(ids.keys.parts, ([f, o, v]) => reach.get(f, o, v));

    const byTechnique = new Map<string, Array<[string, string]>>();
    const add = (key: string, uid: string, tech: string): void => {
      let l = byTechnique.get(key);
      if (!l) byTechnique.set(key, (l = []));
      l.push([uid, tech]);
    };
    const tr = await db.conn.runAndReadAll(`SELECT rule_uid, technique_id, parent_id FROM rule_techniques`);
    for (const [uid, tech, parent] of tr.getRows()) {
      const u = rules.get(String(uid))?.uid ?? String(uid);
      const t = s(tech);
      add(t, u, t);
      if (parent !== null && String(parent) !== t) add(s(parent), u, t);
    }

    const events = new Map<string, string[]>();
    const eventIds = new Map<string, number[]>();
    const er = await db.conn.runAndReadAll(`SELECT DISTINCT rule_uid, event FROM rule_events WHERE event IS NOT NULL`);
    for (const [uid, ev] of er.getRows()) {
      const u = rules.get(String(uid))?.uid ?? String(uid);
      let l = events.get(u);
      if (!l) events.set(u, (l = []));
      const e = s(ev);
      l.push(e);
      let li = eventIds.get(u);
      if (!li) eventIds.set(u, (li = []));
      li.push(ids.events.id(e, () => [e]));
    }
    for (const space of [ids.fields, ids.vendorFields, ids.ops, ids.samples, ids.keys, ids.events]) space.freeze();
    return new PredicateIndex(rules, byRule, byTechnique, events, byKey, reach, ids, eventIds);
  }

  /**
   * Rules of technique `id` (tagged with it, or for a parent with one of its sub-techniques) in the
   * guide's order, each with the sub-techniques it counts through (sorted).
   */
  techniqueRules(id: string): Array<{ rule: IndexedRule; via: string[] }> {
    const via = new Map<string, Set<string>>();
    for (const [uid, tech] of this.byTechnique.get(id) ?? []) {
      let set = via.get(uid);
      if (!set) via.set(uid, (set = new Set()));
      if (tech !== id) set.add(tech);
    }
    const out: Array<{ rule: IndexedRule; via: string[] }> = [];
    for (const [uid, set] of via) {
      const rule = this.rules.get(uid);
      if (rule) out.push({ rule, via: [...set].sort(cmp) });
    }
    return out.sort((a, b) => a.rule.rank - b.rule.rank);
  }

  predicates(uid: string): readonly IndexedPredicate[] {
    return this.byRule.get(uid) ?? [];
  }
}

/** UTF-16 code-unit order: DuckDB sorts VARCHAR by UTF-8 bytes, the same order outside surrogate pairs. */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Counts distinct rules per id of one id space, the rules added one after the other (each once):
 * add(id) for every id of the current rule after next(); `touched` lists the ids counted, in first-seen order.
 */
export class RuleCounter {
  readonly counts: Int32Array;
  private readonly last: Int32Array;
  readonly touched: number[] = [];
  private rule = 0;
  constructor(size: number) {
    this.counts = new Int32Array(size);
    this.last = new Int32Array(size);
  }
  next(): void {
    this.rule++;
  }
  add(id: number): void {
    if (this.last[id] === this.rule) return;
    this.last[id] = this.rule;
    if (this.counts[id]++ === 0) this.touched.push(id);
  }
}

/** Counts distinct members per key: add(key, member), then entries as [key, count]. */
export class DistinctCounter {
  private readonly sets = new Map<string, Set<string>>();
  add(key: string, member: string): void {
    let s = this.sets.get(key);
    if (!s) this.sets.set(key, (s = new Set()));
    s.add(member);
  }
  *entries(): IterableIterator<[string, number]> {
    for (const [k, s] of this.sets) yield [k, s.size];
  }
  get size(): number {
    return this.sets.size;
  }
}
