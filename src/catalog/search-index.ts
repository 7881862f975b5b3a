import type { Db } from '../store/db.js';
import { cmp } from './predicate-index.js';
import { MAX_QUERY, SEARCH_LIMITS, type SearchResult } from './search.js';
import { tableExists } from './table-exists.js';
import { TextCorpus } from './text-corpus.js';

interface SRule { uid: string; id: string; vendor: string; title: string; level: string | null; lid: string; ltitle: string; ldesc: string; failed: boolean; vrank: number }
interface SObj { id: string; name: string; type: string; lid: string; lname: string | null; ldesc: string }
interface SInd { field: string; op: string; value: string; uids: string[] }

const VENDOR_RANK: Record<string, number> = { sigma: 0, elastic: 1 };
const RULE_MATCH = ['id', 'title', 'indicator', 'description'] as const;
const OBJ_MATCH = ['id', 'name', 'description'] as const;

/**
 * The search box's corpus in memory, loaded once by the web server: rules (id, title, description),
 * predicate values, fields, indicators and the newest release's ATT&CK objects, lower-cased at load.
 * search() gives the same answer as the SQL search() of search.ts (test/catalog/search-index.test.ts
 * compares them), without scanning the predicates table per request.
 */
export class SearchIndex {
  private readonly ruleById = new Map<string, SRule[]>();
  private readonly titles: TextCorpus;
  private readonly descriptions: TextCorpus;
  private readonly values: TextCorpus;
  private readonly fieldNames: TextCorpus;
  private readonly indicatorValues: TextCorpus;
  private readonly objectNames: TextCorpus;
  private readonly objectDescriptions: TextCorpus;

  private constructor(
    private readonly rules: SRule[],
    private readonly ruleByUid: Map<string, SRule>,
    /** rule uid -> distinct predicate values, lower-cased where the predicate is case-insensitive. */
    private readonly ruleValues: Array<[string, string[]]>,
    /** field -> rule uids using it (any predicate), lower-cased field alongside. */
    private readonly fields: Array<{ field: string; lfield: string; rules: number }>,
    /** (coalesced field, match_op, value_norm) of positive predicates outside exclusions, with their rules. */
    private readonly indicators: SInd[],
    private readonly objects: SObj[],
    /** rule uid -> techniques it counts for (its tags, and the parents of its sub-technique tags). */
    private readonly ruleTechniques: Map<string, string[]>,
    private readonly techniqueNames: Map<string, string>,
  ) {
    for (const r of rules) {
      const l = this.ruleById.get(r.lid);
      if (l) l.push(r); else this.ruleById.set(r.lid, [r]);
    }
    this.titles = new TextCorpus(rules.map((r) => r.ltitle));
    this.descriptions = new TextCorpus(rules.map((r) => r.ldesc));
    this.values = new TextCorpus(ruleValues.map((x) => x[1]));
    this.fieldNames = new TextCorpus(fields.map((f) => f.lfield));
    this.indicatorValues = new TextCorpus(indicators.map((i) => i.value));
    this.objectNames = new TextCorpus(objects.map((o) => o.lname ?? ''));
    this.objectDescriptions = new TextCorpus(objects.map((o) => o.ldesc));
  }

  static async load(db: Db): Promise<SearchIndex> {
    const all = async (sql: string) => (await db.conn.runAndReadAll(sql)).getRows();
    const rules: SRule[] = [];
    const ruleByUid = new Map<string, SRule>();
    for (const [uid, id, vendor, title, level, desc, status] of await all(`SELECT uid, id, vendor, title, level, coalesce(description, ''), parse_status FROM rules`)) {
      const r: SRule = {
        uid: String(uid), id: String(id), vendor: String(vendor), title: String(title), level: level === null ? null : String(level),
        lid: String(id).toLowerCase(), ltitle: String(title).toLowerCase(), ldesc: String(desc).toLowerCase(), failed: status === 'failed',
        vrank: VENDOR_RANK[String(vendor)] ?? 2,
      };
      rules.push(r);
      ruleByUid.set(r.uid, r);
    }
    const values = new Map<string, Set<string>>();
    const fieldRules = new Map<string, Set<string>>();
    const ind = new Map<string, SInd & { set: Set<string> }>();
    for (const [uid, field, matchOp, value, cased, negated, exclusion] of await all(
      `SELECT rule_uid, field, match_op, value_norm, cased, negated, exclusion FROM predicates`)) {
      const u = String(uid);
      if (field !== null) {
        let s = fieldRules.get(String(field));
        if (!s) fieldRules.set(String(field), (s = new Set()));
        s.add(u);
      }
      if (value === null) continue;
      const v = String(value);
      let vs = values.get(u);
      if (!vs) values.set(u, (vs = new Set()));
      vs.add(cased === true ? v.toLowerCase() : v);
      if (exclusion === true || negated === true) continue;
      const f = field === null ? '(keyword)' : String(field);
      const k = `${f}\u0000${String(matchOp)}\u0000${v}`;
      let e = ind.get(k);
      if (!e) ind.set(k, (e = { field: f, op: String(matchOp), value: v, uids: [], set: new Set() }));
      e.set.add(u);
    }
    const fields = [...fieldRules].map(([field, s]) => ({ field, lfield: field.toLowerCase(), rules: s.size }));
    const indicators = [...ind.values()].map((e) => ({ field: e.field, op: e.op, value: e.value, uids: [...e.set] }));

    const objects: SObj[] = [];
    const techniqueNames = new Map<string, string>();
    if (await tableExists(db, 'attack_objects')) {
      for (const [id, name, type, desc] of await all(`SELECT attack_id, name, type, coalesce(description, '') FROM attack_objects
          WHERE release = (SELECT release FROM attack_releases ORDER BY ordinal DESC LIMIT 1) AND attack_id IS NOT NULL AND attack_id <> ''
            AND type <> 'relationship' AND NOT coalesce(revoked, false)`)) {
        objects.push({ id: String(id), name: String(name), type: String(type), lid: String(id).toLowerCase(), lname: name === null ? null : String(name).toLowerCase(), ldesc: String(desc).toLowerCase() });
      }
      for (const [id, name] of await all(`SELECT attack_id, arg_max(o.name, rel.ordinal) FROM attack_objects o JOIN attack_releases rel USING (release)
          WHERE o.type = 'attack-pattern' AND o.attack_id IS NOT NULL GROUP BY attack_id`)) techniqueNames.set(String(id), String(name));
    }
    const ruleTechniques = new Map<string, string[]>();
    for (const [uid, tech, parent, sub] of await all(`SELECT rule_uid, technique_id, parent_id, is_subtechnique FROM rule_techniques`)) {
      let l = ruleTechniques.get(String(uid));
      if (!l) ruleTechniques.set(String(uid), (l = []));
      l.push(String(tech));
      if (sub === true) l.push(String(parent));
    }
    return new SearchIndex(rules, ruleByUid, [...values].map(([u, s]) => [u, [...s]]), fields, indicators, objects, ruleTechniques, techniqueNames);
  }

  /** Case-insensitive substring search; the same result as search(db, query) of search.ts. */
  search(query: string): SearchResult {
    const q = query.trim().slice(0, MAX_QUERY);
    const out: SearchResult = { query: q, attack: [], rules: [], fields: [], indicators: [] };
    if (q === '') return out;
    const lq = q.toLowerCase();

    const rank = new Map<SRule, number>();
    const hit = (r: SRule, n: number): void => {
      const old = rank.get(r);
      if (old === undefined || n < old) rank.set(r, n);
    };
    const ok = (r: SRule | undefined): r is SRule => r !== undefined && !r.failed;
    for (const r of this.ruleById.get(lq) ?? []) if (ok(r)) hit(r, 0);
    for (const i of this.titles.matches(lq)) if (ok(this.rules[i])) hit(this.rules[i], 1);
    for (const i of this.descriptions.matches(lq)) if (ok(this.rules[i])) hit(this.rules[i], 3);
    for (const i of this.values.matches(lq)) {
      const r = this.ruleByUid.get(this.ruleValues[i][0]);
      if (r) hit(r, 2);
    }
    out.rules = [...rank].sort(([a, ra], [b, rb]) => ra - rb || a.vrank - b.vrank || cmp(a.ltitle, b.ltitle) || cmp(a.uid, b.uid))
      .slice(0, SEARCH_LIMITS.rules)
      .map(([r, n]) => ({ uid: r.uid, id: r.id, vendor: r.vendor, title: r.title, level: r.level, match: RULE_MATCH[n] }));

    out.fields = this.fieldNames.matches(lq).map((i) => this.fields[i]).sort((a, b) => b.rules - a.rules || cmp(a.field, b.field))
      .slice(0, SEARCH_LIMITS.fields).map((f) => ({ field: f.field, rules: f.rules }));

    out.indicators = this.indicatorValues.matches(lq).map((i) => this.indicators[i])
      .sort((a, b) => b.uids.length - a.uids.length || cmp(a.field, b.field) || cmp(a.op, b.op) || cmp(a.value, b.value))
      .slice(0, SEARCH_LIMITS.indicators).map((i) => ({ field: i.field, op: i.op, value: i.value, rules: i.uids.length }));

    const objRank = new Map<SObj, number>();
    const objHit = (o: SObj, n: number): void => {
      const old = objRank.get(o);
      if (old === undefined || n < old) objRank.set(o, n);
    };
    for (const o of this.objects) if (o.lid === lq) objHit(o, 0);
    for (const i of this.objectNames.matches(lq)) if (this.objects[i].lname !== null) objHit(this.objects[i], 1);
    for (const i of this.objectDescriptions.matches(lq)) objHit(this.objects[i], 2);
    const objs = [...objRank];
    out.attack = objs.sort(([a, na], [b, nb]) => na - nb || cmp(a.id, b.id)).slice(0, SEARCH_LIMITS.attack)
      .map(([o, n]) => ({ id: o.id, name: o.name, type: o.type, match: OBJ_MATCH[n] }));

    // techniques (and their parents) of the matching rules, most rules first
    const seen = new Set(out.attack.map((a) => a.id));
    const techRules = new Map<string, Set<string>>();
    for (const r of out.rules) {
      for (const t of this.ruleTechniques.get(r.uid) ?? []) {
        let s = techRules.get(t);
        if (!s) techRules.set(t, (s = new Set()));
        s.add(r.uid);
      }
    }
    const techs = [...techRules].map(([id, s]) => ({ id, rules: s.size })).sort((a, b) => b.rules - a.rules || cmp(a.id, b.id))
      .slice(0, SEARCH_LIMITS.techniques);
    for (const t of techs) {
      if (seen.has(t.id)) continue;
      out.attack.push({ id: t.id, name: this.techniqueNames.get(t.id) ?? '', type: 'attack-pattern', match: 'rules', rules: t.rules });
    }
    return out;
  }
}
