import { rulesForAnalytic, rulesForTechnique, type Catalog, type CatalogRule } from './catalog-join.js';
import { Citations, type Reference } from './citations.js';
import { logSourceRefs, mutableElements, dataComponentLogSources, strList, type Json } from './fields.js';
import type { AObj, ARel, KnowledgeBase } from './kb.js';
import { eventCategoryOf, eventIdsOf } from './log-source-map.js';
import type { Resolved } from './resolve.js';

/** A reference to another object, as shown in lists. */
export interface ObjRef {
  id: string;
  stix_id: string;
  name: string;
  type: string;
  deprecated?: true;
  revoked?: true;
}

export interface RelRef extends ObjRef {
  description: string;
}

export interface LogSource {
  name: string;
  channel: string;
  event_ids: number[];
  data_component: ObjRef | null;
  product: string | null;
  service: string | null;
  categories: string[];
}

export interface AnalyticDetail extends ObjRef {
  platforms: string[];
  description: string;
  log_sources: LogSource[];
  mutable_elements: Array<{ field: string; description: string }>;
}

/** A catalog rule as `attack show` lists it: the technique it was found by, and why it matched an analytic. */
export interface RuleRef extends Pick<CatalogRule, 'key' | 'id' | 'title' | 'vendor' | 'path' | 'status' | 'level'> {
  technique: string;
  matched?: string;
}

export interface RulesSection {
  catalog: 'built' | 'not built';
  total: number;
  by_vendor: Record<string, RuleRef[]>;
  note?: string;
}

/** What `attack show` reports (the --json shape); sections absent for kinds they don't apply to. */
export interface ShowReport {
  release: string;
  query: string;
  object: ObjRef & {
    kind: string; url: string; created: string; modified: string; version: string;
    platforms: string[]; is_subtechnique: boolean; aliases: string[];
  };
  resolved_from: ObjRef[];
  also_named: ObjRef[];
  description: string;
  detection?: string;
  tactics?: ObjRef[];
  parent?: ObjRef;
  subtechniques?: ObjRef[];
  detection_strategies?: Array<ObjRef & { analytics: AnalyticDetail[] }>;
  analytic?: AnalyticDetail;
  strategies?: ObjRef[];
  analytics?: ObjRef[];
  data_source?: ObjRef;
  data_components?: ObjRef[];
  log_sources?: LogSource[];
  mitigations?: RelRef[];
  procedures?: Array<RelRef & { kind: string }>;
  techniques?: RelRef[];
  software?: RelRef[];
  groups?: RelRef[];
  campaigns?: RelRef[];
  revoked_by?: ObjRef;
  references: Reference[];
  rules?: RulesSection;
}

export function ref(o: AObj): ObjRef {
  const r: ObjRef = { id: o.attackId, stix_id: o.stixId, name: o.name, type: o.type };
  if (o.deprecated) r.deprecated = true;
  if (o.revoked) r.revoked = true;
  return r;
}

const collator = new Intl.Collator('en', { numeric: true });
const byId = (a: ObjRef, b: ObjRef): number => collator.compare(a.id, b.id) || collator.compare(a.name, b.name);

function related(kb: KnowledgeBase, rels: ARel[], end: 'source' | 'target', kinds: string[], cites?: Citations): RelRef[] {
  const out: RelRef[] = [];
  const seen = new Set<string>();
  for (const r of rels) {
    const o = kb.get(r[end]);
    if (!o || !kinds.includes(o.kind) || seen.has(o.stixId)) continue;
    seen.add(o.stixId);
    cites?.addFrom(r.json);
    out.push({ ...ref(o), description: r.description });
  }
  return out.sort(byId);
}

export function analyticDetail(kb: KnowledgeBase, an: AObj): AnalyticDetail {
  return {
    ...ref(an),
    platforms: an.platforms,
    description: an.description,
    log_sources: logSourcesOf(kb, logSourceRefs(an.json).map((l) => ({ dc: l.dataComponentRef, name: l.name, channel: l.channel }))),
    mutable_elements: mutableElements(an.json),
  };
}

function logSourcesOf(kb: KnowledgeBase, list: Array<{ dc: string; name: string; channel: string }>): LogSource[] {
  return list.map((l) => {
    const dc = l.dc ? kb.get(l.dc) : undefined;
    const cat = eventCategoryOf(l.name, l.channel);
    return {
      name: l.name, channel: l.channel, event_ids: eventIdsOf(l.channel), data_component: dc ? ref(dc) : null,
      product: cat?.product ?? null, service: cat?.service ?? null, categories: cat?.categories ?? [],
    };
  });
}

/** Detection strategies that detect a technique, with their analytics. */
export function strategiesOf(kb: KnowledgeBase, technique: AObj): Array<ObjRef & { analytics: AnalyticDetail[] }> {
  return kb.incoming(technique.stixId, 'detects')
    .map((r) => kb.get(r.source))
    .filter((o): o is AObj => !!o && o.kind === 'detection-strategy')
    .map((det) => ({
      ...ref(det),
      analytics: strList(det.json, 'x_mitre_analytic_refs').map((id) => kb.get(id)).filter((o): o is AObj => !!o).map((an) => analyticDetail(kb, an)),
    }))
    .sort(byId);
}

/** Techniques an analytic serves: those its detection strategies detect. */
export function techniquesOfAnalytic(kb: KnowledgeBase, an: AObj): AObj[] {
  const out = new Map<string, AObj>();
  for (const det of kb.strategiesOfAnalytic.get(an.stixId) ?? []) {
    for (const r of kb.outgoing(det.stixId, 'detects')) {
      const t = kb.get(r.target);
      if (t) out.set(t.stixId, t);
    }
  }
  return [...out.values()];
}

/**
 * Analytics a catalog rule serves: analytics of the detection strategies of the rule's techniques (and
 * of their parents), whose log sources match the rule's events, the same test as rulesForAnalytic.
 */
export function analyticsForRule(kb: KnowledgeBase, cat: Catalog, rule: CatalogRule): AObj[] {
  const out = new Map<string, AObj>();
  const techniques = new Set<string>();
  for (const t of rule.techniques) {
    techniques.add(t);
    if (t.includes('.')) techniques.add(t.split('.')[0]);
  }
  for (const t of techniques) {
    const tech = kb.byId(t).find((o) => o.kind === 'technique' && !o.revoked);
    if (!tech) continue;
    for (const det of strategiesOf(kb, tech)) {
      for (const an of det.analytics) {
        if (out.has(an.stix_id)) continue;
        if (rulesForAnalytic(cat, [tech.attackId], an.log_sources).some((x) => x.rule.key === rule.key)) out.set(an.stix_id, kb.get(an.stix_id)!);
      }
    }
  }
  return [...out.values()];
}

function rulesSection(cat: Catalog, pairs: Array<{ rule: CatalogRule; via: string; matched?: string }>, note?: string): RulesSection {
  if (!cat.built) return { catalog: 'not built', total: 0, by_vendor: {}, note: 'catalog not built' };
  const by: Record<string, RuleRef[]> = {};
  for (const { rule, via, matched } of pairs) {
    const r: RuleRef = { key: rule.key, id: rule.id, title: rule.title, vendor: rule.vendor, path: rule.path, status: rule.status, level: rule.level, technique: via };
    if (matched) r.matched = matched;
    (by[rule.vendor || 'unknown'] ??= []).push(r);
  }
  const s: RulesSection = { catalog: 'built', total: pairs.length, by_vendor: by };
  if (note) s.note = note;
  return s;
}

/** Builds the report for one resolved object. Pure: reads only the knowledge base and catalog given. */
export function buildShow(kb: KnowledgeBase, cat: Catalog, res: Resolved, query: string): ShowReport {
  const o = res.obj;
  const cites = new Citations();
  cites.addFrom(o.json);
  const rep: ShowReport = {
    release: kb.release,
    query,
    object: {
      ...ref(o), kind: o.kind, url: o.url, created: o.created, modified: o.modified, version: o.version,
      platforms: o.platforms, is_subtechnique: o.isSubtechnique, aliases: strList(o.json, 'aliases').filter((a) => a !== o.name),
    },
    resolved_from: res.revokedChain.map(ref),
    also_named: res.alsoNamed.map(ref),
    description: o.description,
    references: [],
  };
  const detection = typeof o.json.x_mitre_detection === 'string' ? o.json.x_mitre_detection.trim() : '';
  if (detection) rep.detection = detection;
  const revokedBy = kb.outgoing(o.stixId, 'revoked-by').map((r) => kb.get(r.target)).find((x): x is AObj => !!x);
  if (revokedBy) rep.revoked_by = ref(revokedBy);

  switch (o.kind) {
    case 'technique': {
      rep.tactics = o.tactics.map((s) => kb.tacticByShortname.get(s)).filter((t): t is AObj => !!t).map(ref);
      const parent = kb.outgoing(o.stixId, 'subtechnique-of').map((r) => kb.get(r.target)).find((x): x is AObj => !!x);
      if (parent) rep.parent = ref(parent);
      rep.subtechniques = kb.incoming(o.stixId, 'subtechnique-of').map((r) => kb.get(r.source)).filter((x): x is AObj => !!x).map(ref).sort(byId);
      rep.detection_strategies = strategiesOf(kb, o);
      rep.data_components = kb.incoming(o.stixId, 'detects').map((r) => kb.get(r.source))
        .filter((x): x is AObj => !!x && x.kind === 'data-component').map(ref).sort(byId);
      rep.mitigations = related(kb, kb.incoming(o.stixId, 'mitigates'), 'source', ['mitigation'], cites);
      rep.procedures = related(kb, kb.incoming(o.stixId, 'uses'), 'source', ['group', 'software', 'campaign'], cites)
        .map((p) => ({ ...p, kind: kb.get(p.stix_id)!.kind }));
      rep.rules = rulesSection(cat, o.attackId ? rulesForTechnique(cat, o.attackId) : []);
      break;
    }
    case 'analytic': {
      rep.analytic = analyticDetail(kb, o);
      rep.strategies = (kb.strategiesOfAnalytic.get(o.stixId) ?? []).map(ref).sort(byId);
      const techs = techniquesOfAnalytic(kb, o);
      rep.techniques = techs.map((t) => ({ ...ref(t), description: '' })).sort(byId);
      const pairs = rulesForAnalytic(cat, techs.map((t) => t.attackId).filter(Boolean), rep.analytic.log_sources);
      rep.rules = rulesSection(cat, pairs, cat.built && !cat.hasEvents ? 'the catalog records no event categories: matched by technique only' : undefined);
      break;
    }
    case 'detection-strategy': {
      rep.techniques = related(kb, kb.outgoing(o.stixId, 'detects'), 'target', ['technique'], cites);
      const ans = strList(o.json, 'x_mitre_analytic_refs').map((id) => kb.get(id)).filter((x): x is AObj => !!x);
      rep.analytics = ans.map(ref);
      break;
    }
    case 'tactic': {
      const techs = [...kb.objects.values()].filter((t) => t.kind === 'technique' && !t.revoked && !t.deprecated && t.tactics.includes(o.shortname));
      rep.techniques = techs.map((t) => ({ ...ref(t), description: '' })).sort(byId);
      break;
    }
    case 'mitigation':
      rep.techniques = related(kb, kb.outgoing(o.stixId, 'mitigates'), 'target', ['technique'], cites);
      break;
    case 'group':
      rep.techniques = related(kb, kb.outgoing(o.stixId, 'uses'), 'target', ['technique'], cites);
      rep.software = related(kb, kb.outgoing(o.stixId, 'uses'), 'target', ['software'], cites);
      rep.campaigns = related(kb, kb.incoming(o.stixId, 'attributed-to'), 'source', ['campaign'], cites);
      break;
    case 'software':
      rep.techniques = related(kb, kb.outgoing(o.stixId, 'uses'), 'target', ['technique'], cites);
      rep.groups = related(kb, kb.incoming(o.stixId, 'uses'), 'source', ['group'], cites);
      rep.campaigns = related(kb, kb.incoming(o.stixId, 'uses'), 'source', ['campaign'], cites);
      break;
    case 'campaign':
      rep.techniques = related(kb, kb.outgoing(o.stixId, 'uses'), 'target', ['technique'], cites);
      rep.software = related(kb, kb.outgoing(o.stixId, 'uses'), 'target', ['software'], cites);
      rep.groups = related(kb, kb.outgoing(o.stixId, 'attributed-to'), 'target', ['group'], cites);
      break;
    case 'data-component': {
      const ds = typeof o.json.x_mitre_data_source_ref === 'string' ? kb.get(o.json.x_mitre_data_source_ref) : undefined;
      if (ds) rep.data_source = ref(ds);
      rep.log_sources = logSourcesOf(kb, dataComponentLogSources(o.json).map((l) => ({ dc: '', ...l })));
      rep.analytics = (kb.analyticsOfComponent.get(o.stixId) ?? []).map(ref).sort(byId);
      rep.techniques = related(kb, kb.outgoing(o.stixId, 'detects'), 'target', ['technique'], cites);
      break;
    }
    case 'data-source':
      rep.data_components = (kb.componentsOfSource.get(o.stixId) ?? []).map(ref).sort(byId);
      break;
    default:
      break;
  }
  const texts = [rep.description, rep.detection ?? '', rep.analytic?.description ?? ''];
  for (const list of [rep.mitigations, rep.procedures, rep.techniques, rep.software, rep.groups, rep.campaigns]) for (const r of list ?? []) texts.push(r.description);
  cites.orderBy(texts);
  rep.references = cites.list;
  return rep;
}

export type { Json };
