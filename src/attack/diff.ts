/**
 * What one ATT&CK release changed against another (`detectory attack diff FROM TO`): techniques and
 * sub-techniques added, removed, revoked (with the replacement, revoked-by followed to the end),
 * deprecated, renamed, moved between tactics; detection strategies and analytics added, removed,
 * revoked, deprecated or changed (the top-level STIX fields that changed); and the catalog's rules
 * whose technique ids are revoked, deprecated or unknown in TO, with suggested ids.
 */
import type { Db } from '../store/db.js';
import { diffFields } from './hash.js';
import { releasesInOrder } from './history.js';
import { tableExists } from './schema.js';

export interface DiffRef {
  id: string;
  stix_id: string;
  name: string;
  is_subtechnique?: boolean;
}

export interface ObjectChanges {
  added: DiffRef[];
  removed: DiffRef[];
  revoked: Array<DiffRef & { replaced_by: DiffRef | null }>;
  deprecated: DiffRef[];
}

export interface TechniqueChanges extends ObjectChanges {
  renamed: Array<DiffRef & { from_name: string }>;
  moved: Array<DiffRef & { tactics_removed: string[]; tactics_added: string[] }>;
}

export interface StrategyChanges extends ObjectChanges {
  changed: Array<DiffRef & { fields_added: string[]; fields_removed: string[]; fields_changed: string[] }>;
}

export type RuleIdStatus = 'revoked' | 'deprecated' | 'unknown';

export interface RuleTechniqueIssue {
  technique_id: string;
  status: RuleIdStatus;
  /** The id's status in FROM ('active', 'revoked', 'deprecated' or 'unknown'). */
  status_in_from: string;
  name: string | null;
  replaced_by: DiffRef | null;
  suggested: Array<{ id: string; name: string; why: string }>;
  rules: Array<{ vendor: string; id: string; title: string }>;
}

export interface AttackDiff {
  from: string;
  to: string;
  techniques: TechniqueChanges;
  detection_strategies: StrategyChanges;
  analytics: StrategyChanges;
  /** Every STIX type (relationships aside): how many objects were added, removed, newly revoked, newly deprecated. */
  objects: Record<string, { added: number; removed: number; revoked: number; deprecated: number }>;
  rules: RuleTechniqueIssue[];
  counts: Record<string, number>;
}

export class UnknownReleaseError extends Error {}

interface Obj {
  stix: string;
  id: string;
  name: string;
  sub: boolean;
  revoked: boolean;
  deprecated: boolean;
  tactics: string[];
  hash: string;
  json: string;
}

const TYPES = { techniques: 'attack-pattern', detection_strategies: 'x-mitre-detection-strategy', analytics: 'x-mitre-analytic' } as const;
const MAX_REVOKE_CHAIN = 20;

async function objects(db: Db, release: string, type: string): Promise<Map<string, Obj>> {
  const r = (await db.conn.runAndReadAll(
    `SELECT stix_id, attack_id, name, is_subtechnique, revoked, deprecated, tactics, content_hash, json FROM attack_objects
     WHERE release = $1 AND type = $2`, [release, type])).getRowObjectsJson();
  return new Map(r.map((o) => [String(o.stix_id), {
    stix: String(o.stix_id), id: String(o.attack_id ?? ''), name: String(o.name ?? ''), sub: o.is_subtechnique === true,
    revoked: o.revoked === true, deprecated: o.deprecated === true,
    tactics: Array.isArray(o.tactics) ? o.tactics.map(String) : [], hash: String(o.content_hash ?? ''), json: String(o.json ?? '{}'),
  }]));
}

/** revoked-by of one release: source stix id -> target stix id. */
async function revokedBy(db: Db, release: string): Promise<Map<string, string>> {
  const r = (await db.conn.runAndReadAll(
    `SELECT source_ref, target_ref FROM attack_relationships WHERE release = $1 AND relationship_type = 'revoked-by'`, [release])).getRows();
  return new Map(r.map(([s, t]) => [String(s), String(t)]));
}

const ref = (o: Obj, withSub = false): DiffRef => ({ id: o.id, stix_id: o.stix, name: o.name, ...(withSub ? { is_subtechnique: o.sub } : {}) });
const active = (o: Obj | undefined): o is Obj => !!o && !o.revoked && !o.deprecated;
const byId = (a: DiffRef, b: DiffRef): number => a.id.localeCompare(b.id, 'en', { numeric: true });

export async function attackDiff(db: Db, from: string, to: string): Promise<AttackDiff> {
  const releases = await releasesInOrder(db);
  for (const r of [from, to]) {
    if (!releases.includes(r)) throw new UnknownReleaseError(`ATT&CK release ${r} is not imported (imported: ${releases.join(', ') || 'none'})`);
  }
  const rb = await revokedBy(db, to);
  const tos = new Map<string, Map<string, Obj>>();
  const replacement = (stix: string): DiffRef | null => {
    let cur = stix;
    let last: Obj | undefined;
    for (let i = 0; i < MAX_REVOKE_CHAIN; i++) {
      const next = rb.get(cur);
      if (!next) break;
      last = [...tos.values()].map((m) => m.get(next)).find((o) => o);
      if (!last || !last.revoked) break;
      cur = next;
    }
    return last ? ref(last, true) : null;
  };

  const base = async (type: string, withSub: boolean) => {
    const a = await objects(db, from, type);
    const b = await objects(db, to, type);
    tos.set(type, b);
    const out: ObjectChanges = { added: [], removed: [], revoked: [], deprecated: [] };
    for (const o of b.values()) {
      const before = a.get(o.stix);
      if (!before && !o.revoked && !o.deprecated) out.added.push(ref(o, withSub));
      if (o.revoked && !before?.revoked) out.revoked.push({ ...ref(o, withSub), replaced_by: null });
      else if (o.deprecated && !o.revoked && !before?.deprecated) out.deprecated.push(ref(o, withSub));
    }
    for (const o of a.values()) if (!b.has(o.stix)) out.removed.push(ref(o, withSub));
    return { a, b, out };
  };

  const t = await base(TYPES.techniques, true);
  const techniques: TechniqueChanges = { ...t.out, renamed: [], moved: [] };
  for (const o of t.b.values()) {
    const before = t.a.get(o.stix);
    if (!active(o) || !before) continue;
    if (before.name !== o.name) techniques.renamed.push({ ...ref(o, true), from_name: before.name });
    const removed = before.tactics.filter((x) => !o.tactics.includes(x));
    const added = o.tactics.filter((x) => !before.tactics.includes(x));
    if (removed.length || added.length) techniques.moved.push({ ...ref(o, true), tactics_removed: removed, tactics_added: added });
  }

  const strategies = async (type: string): Promise<StrategyChanges> => {
    const s = await base(type, false);
    const out: StrategyChanges = { ...s.out, changed: [] };
    for (const o of s.b.values()) {
      const before = s.a.get(o.stix);
      if (!before || before.hash === o.hash || o.revoked) continue;
      const d = diffFields(JSON.parse(before.json) as Record<string, unknown>, JSON.parse(o.json) as Record<string, unknown>);
      out.changed.push({ ...ref(o), fields_added: d.added, fields_removed: d.removed, fields_changed: d.changed.filter((f) => f !== 'modified') });
    }
    return out;
  };
  const detection_strategies = await strategies(TYPES.detection_strategies);
  const analytics = await strategies(TYPES.analytics);

  for (const c of [techniques, detection_strategies, analytics]) {
    for (const r of c.revoked) r.replaced_by = replacement(r.stix_id);
    for (const list of Object.values(c) as DiffRef[][]) list.sort(byId);
  }
  const objectsByType: AttackDiff['objects'] = {};
  const types = (await db.conn.runAndReadAll(`SELECT DISTINCT type FROM attack_objects WHERE release IN ($1, $2) AND type <> 'relationship' ORDER BY type`, [from, to])).getRows();
  for (const [type] of types) {
    const c = (await base(String(type), false)).out;
    objectsByType[String(type)] = { added: c.added.length, removed: c.removed.length, revoked: c.revoked.length, deprecated: c.deprecated.length };
  }
  const rules = await ruleIssues(db, t.a, t.b, replacement);
  const counts: Record<string, number> = {};
  for (const [name, c] of Object.entries({ techniques, detection_strategies, analytics })) {
    for (const [k, list] of Object.entries(c)) counts[`${name}.${k}`] = (list as unknown[]).length;
  }
  counts['rules.technique_ids'] = rules.length;
  counts['rules.affected'] = new Set(rules.flatMap((r) => r.rules.map((x) => `${x.vendor}/${x.id}`))).size;
  return { from, to, techniques, detection_strategies, analytics, objects: objectsByType, rules, counts };
}

/** Catalog rules whose technique ids are revoked, deprecated or unknown in TO. */
async function ruleIssues(db: Db, a: Map<string, Obj>, b: Map<string, Obj>, replacement: (stix: string) => DiffRef | null): Promise<RuleTechniqueIssue[]> {
  if (!(await tableExists(db, 'rule_techniques'))) return [];
  const index = (m: Map<string, Obj>): Map<string, Obj[]> => {
    const out = new Map<string, Obj[]>();
    for (const o of m.values()) {
      const k = o.id.toUpperCase();
      out.set(k, [...(out.get(k) ?? []), o]);
    }
    return out;
  };
  // an id named by several objects: the active one wins, then the revoked, then the deprecated
  const pick = (os: Obj[] | undefined): Obj | undefined => os && (os.find(active) ?? os.find((o) => o.revoked) ?? os[0]);
  const ia = index(a);
  const ib = index(b);
  const status = (o: Obj | undefined): string => (!o ? 'unknown' : o.revoked ? 'revoked' : o.deprecated ? 'deprecated' : 'active');
  const r = (await db.conn.runAndReadAll(
    `SELECT DISTINCT upper(t.technique_id) AS tid, r.vendor, r.id, r.title FROM rule_techniques t JOIN rules r ON r.uid = t.rule_uid
     ORDER BY tid, r.vendor, r.id`)).getRowObjectsJson();
  const out = new Map<string, RuleTechniqueIssue>();
  for (const row of r) {
    const tid = String(row.tid);
    let issue = out.get(tid);
    if (!issue) {
      const o = pick(ib.get(tid));
      const s = status(o);
      if (s === 'active') continue;
      const replaced = o?.revoked ? replacement(o.stix) : null;
      const suggested: RuleTechniqueIssue['suggested'] = [];
      if (replaced) suggested.push({ id: replaced.id, name: replaced.name, why: 'revoked by' });
      else if (tid.includes('.')) {
        const parent = pick(ib.get(tid.split('.')[0]));
        if (active(parent)) suggested.push({ id: parent.id, name: parent.name, why: 'parent technique' });
      }
      issue = {
        technique_id: tid, status: s as RuleIdStatus, status_in_from: status(pick(ia.get(tid))), name: o?.name ?? null,
        replaced_by: replaced, suggested, rules: [],
      };
      out.set(tid, issue);
    }
    issue.rules.push({ vendor: String(row.vendor), id: String(row.id), title: String(row.title) });
  }
  return [...out.values()].sort((x, y) => x.technique_id.localeCompare(y.technique_id, 'en', { numeric: true }));
}

/** Every technique id of one release with its status there and, for a revoked one, its replacement. */
export async function techniqueIdsOf(db: Db, release: string): Promise<Map<string, { status: 'active' | 'revoked' | 'deprecated'; name: string; replaced_by: DiffRef | null }>> {
  const objs = await objects(db, release, TYPES.techniques);
  const rb = await revokedBy(db, release);
  const out = new Map<string, { status: 'active' | 'revoked' | 'deprecated'; name: string; replaced_by: DiffRef | null }>();
  for (const o of objs.values()) {
    const k = o.id.toUpperCase();
    const prev = out.get(k);
    if (prev?.status === 'active') continue;
    let replaced: DiffRef | null = null;
    if (o.revoked) {
      let cur = o.stix;
      for (let i = 0; i < MAX_REVOKE_CHAIN; i++) {
        const next = objs.get(rb.get(cur) ?? '');
        if (!next) break;
        replaced = ref(next, true);
        if (!next.revoked) break;
        cur = next.stix;
      }
    }
    out.set(k, { status: o.revoked ? 'revoked' : o.deprecated ? 'deprecated' : 'active', name: o.name, replaced_by: replaced });
  }
  return out;
}
