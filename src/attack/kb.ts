import type { Db } from '../store/db.js';
import { strList, type Json } from './fields.js';
import { releasesInOrder } from './history.js';
import type { Kind } from './kinds.js';

/** One ATT&CK object of one release, as loaded from attack_objects. */
export interface AObj {
  stixId: string;
  attackId: string;
  type: string;
  kind: Kind;
  name: string;
  description: string;
  created: string;
  modified: string;
  version: string;
  deprecated: boolean;
  revoked: boolean;
  isSubtechnique: boolean;
  platforms: string[];
  tactics: string[];
  shortname: string;
  url: string;
  contentHash: string;
  json: Json;
}

export interface ARel {
  stixId: string;
  type: string;
  source: string;
  target: string;
  description: string;
  deprecated: boolean;
  revoked: boolean;
  json: Json;
}

/**
 * One release of the knowledge base in memory: objects by STIX id and by ATT&CK id, relationships by
 * source and target, and the embedded references (strategy -> analytics, analytic -> data components).
 * Loaded once per command; `attack show` and the vault export are pure functions over it.
 */
export class KnowledgeBase {
  readonly objects = new Map<string, AObj>();
  readonly byAttackId = new Map<string, AObj[]>();
  readonly out = new Map<string, ARel[]>();
  readonly in = new Map<string, ARel[]>();
  readonly tacticByShortname = new Map<string, AObj>();
  /** analytic stix id -> detection strategies that list it. */
  readonly strategiesOfAnalytic = new Map<string, AObj[]>();
  /** data component stix id -> analytics whose log sources reference it. */
  readonly analyticsOfComponent = new Map<string, AObj[]>();
  /** data source stix id -> its data components. */
  readonly componentsOfSource = new Map<string, AObj[]>();

  constructor(readonly release: string, readonly releases: string[]) {}

  get(stixId: string): AObj | undefined {
    return this.objects.get(stixId);
  }

  byId(attackId: string): AObj[] {
    return this.byAttackId.get(attackId.toUpperCase()) ?? [];
  }

  outgoing(stixId: string, type?: string): ARel[] {
    const r = this.out.get(stixId) ?? [];
    return type ? r.filter((x) => x.type === type) : r;
  }

  incoming(stixId: string, type?: string): ARel[] {
    const r = this.in.get(stixId) ?? [];
    return type ? r.filter((x) => x.type === type) : r;
  }

  add(o: AObj): void {
    this.objects.set(o.stixId, o);
    if (o.attackId) {
      const k = o.attackId.toUpperCase();
      const list = this.byAttackId.get(k);
      if (list) list.push(o); else this.byAttackId.set(k, [o]);
    }
    if (o.kind === 'tactic' && o.shortname && !(o.revoked || o.deprecated)) this.tacticByShortname.set(o.shortname, o);
  }

  addRel(r: ARel): void {
    push(this.out, r.source, r);
    push(this.in, r.target, r);
  }

  /** Builds the reverse maps of embedded references once every object is in. */
  index(): void {
    if (this.tacticByShortname.size === 0) {
      for (const o of this.objects.values()) if (o.kind === 'tactic' && o.shortname) this.tacticByShortname.set(o.shortname, o);
    }
    for (const o of this.objects.values()) {
      if (o.kind === 'detection-strategy') {
        for (const ref of strList(o.json, 'x_mitre_analytic_refs')) {
          const an = this.objects.get(ref);
          if (an) push(this.strategiesOfAnalytic, ref, o);
        }
      } else if (o.kind === 'analytic') {
        const seen = new Set<string>();
        for (const l of (o.json.x_mitre_log_source_references as Json[] | undefined) ?? []) {
          const dc = typeof l?.x_mitre_data_component_ref === 'string' ? l.x_mitre_data_component_ref : '';
          if (dc && !seen.has(dc)) {
            seen.add(dc);
            push(this.analyticsOfComponent, dc, o);
          }
        }
      } else if (o.kind === 'data-component') {
        const ds = typeof o.json.x_mitre_data_source_ref === 'string' ? o.json.x_mitre_data_source_ref : '';
        if (ds) push(this.componentsOfSource, ds, o);
      }
    }
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v); else m.set(k, [v]);
}

/** Thrown when the database holds no ATT&CK release (or not the one asked for). */
export class NoReleaseError extends Error {}

/** The newest release's knowledge base, or undefined when the database holds no ATT&CK release. */
export async function loadKnowledgeBaseIfAny(db: Db): Promise<KnowledgeBase | undefined> {
  try {
    return await loadKnowledgeBase(db);
  } catch (e) {
    if (e instanceof NoReleaseError) return undefined;
    throw e;
  }
}

/** Loads one release (default: the newest imported) into memory. */
export async function loadKnowledgeBase(db: Db, release?: string): Promise<KnowledgeBase> {
  let releases: string[];
  try {
    releases = await releasesInOrder(db);
  } catch {
    releases = [];
  }
  if (releases.length === 0) throw new NoReleaseError(`no ATT&CK release in ${db.path}; import one with: detectory catalog build --attack enterprise-attack-X.Y.json --db ${db.path}`);
  const rel = release ?? releases[releases.length - 1];
  if (!releases.includes(rel)) throw new NoReleaseError(`release ${rel} is not imported in ${db.path} (imported: ${releases.join(', ')})`);
  const kb = new KnowledgeBase(rel, releases);
  const reader = await db.conn.runAndReadAll(
    `SELECT stix_id, attack_id, type, kind, name, description, created, modified, version, deprecated, revoked,
            is_subtechnique, platforms, tactics, shortname, url, content_hash, json
     FROM attack_objects WHERE release = $1`, [rel]);
  for (const r of reader.getRows()) {
    const json = JSON.parse(String(r[17])) as Json;
    if (r[2] === 'relationship') {
      kb.addRel({
        stixId: String(r[0]), type: typeof json.relationship_type === 'string' ? json.relationship_type : '',
        source: typeof json.source_ref === 'string' ? json.source_ref : '', target: typeof json.target_ref === 'string' ? json.target_ref : '',
        description: String(r[5] ?? ''), deprecated: r[9] === true, revoked: r[10] === true, json,
      });
      continue;
    }
    kb.add({
      stixId: String(r[0]), attackId: String(r[1] ?? ''), type: String(r[2]), kind: String(r[3]) as Kind,
      name: String(r[4] ?? ''), description: String(r[5] ?? ''), created: String(r[6] ?? ''), modified: String(r[7] ?? ''),
      version: String(r[8] ?? ''), deprecated: r[9] === true, revoked: r[10] === true, isSubtechnique: r[11] === true,
      platforms: listOf(r[12]), tactics: listOf(r[13]), shortname: String(r[14] ?? ''), url: String(r[15] ?? ''),
      contentHash: String(r[16] ?? ''), json,
    });
  }
  kb.index();
  return kb;
}

function listOf(v: unknown): string[] {
  if (v && typeof v === 'object' && 'items' in v && Array.isArray((v as { items: unknown[] }).items)) {
    return (v as { items: unknown[] }).items.map(String);
  }
  return Array.isArray(v) ? v.map(String) : [];
}
