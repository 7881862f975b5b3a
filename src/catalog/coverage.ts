import type { Catalog } from '../attack/catalog-join.js';
import { strList } from '../attack/fields.js';
import type { AObj, KnowledgeBase } from '../attack/kb.js';
import type { RuleFacet } from './rule-facets.js';

export interface CoverageFilters {
  vendor?: string;
  platform?: string;
  /** An event type of the catalog (process_creation, ps_script, ...): the rule's log source. */
  logsource?: string;
}

export interface CoverageCell {
  id: string;
  name: string;
  /** Distinct rules tagged with the technique or one of its sub-techniques. */
  rules: number;
  subtechniques: Array<{ id: string; name: string; rules: number }>;
}

export interface CoverageMatrix {
  release: string;
  filters: CoverageFilters;
  /** Rules passing the filters (with or without a technique). */
  rules: number;
  tactics: Array<{ id: string; shortname: string; name: string; techniques: CoverageCell[] }>;
  /** Technique ids named by the filtered rules that are no active technique of the release. */
  unmatched: Array<{ id: string; rules: number }>;
  /** Values the filters can take. */
  options: { vendors: string[]; platforms: string[]; logsources: string[] };
}

const collator = new Intl.Collator('en', { numeric: true });

/** Tactics in the order of the enterprise matrix (x_mitre_tactic_refs), else by id. */
function tacticsInOrder(kb: KnowledgeBase): AObj[] {
  const matrix = [...kb.objects.values()].find((o) => o.kind === 'matrix' && !o.revoked && !o.deprecated);
  const ordered = matrix ? strList(matrix.json, 'x_mitre_tactic_refs').map((id) => kb.get(id)).filter((t): t is AObj => !!t) : [];
  if (ordered.length > 0) return ordered;
  return [...kb.objects.values()].filter((o) => o.kind === 'tactic' && !o.revoked && !o.deprecated)
    .sort((a, b) => collator.compare(a.attackId, b.attackId));
}

/**
 * The tactic-by-technique matrix of one ATT&CK release with the number of catalog rules per technique,
 * counted like the guide (a sub-technique's rules count toward its parent), after filtering the rules.
 */
export function coverageMatrix(kb: KnowledgeBase, cat: Catalog, facets: Map<string, RuleFacet>, filters: CoverageFilters): CoverageMatrix {
  const byTech = new Map<string, Set<string>>();
  const vendors = new Set<string>();
  const platforms = new Set<string>();
  const logsources = new Set<string>();
  let total = 0;
  for (const r of cat.rules.values()) {
    const f = facets.get(r.key);
    vendors.add(r.vendor);
    if (f) platforms.add(f.platform);
    for (const c of r.categories) logsources.add(c);
    if (filters.vendor && r.vendor !== filters.vendor) continue;
    if (filters.platform && f?.platform !== filters.platform) continue;
    if (filters.logsource && !r.categories.includes(filters.logsource)) continue;
    total++;
    for (const t of r.techniques) {
      for (const id of t.includes('.') ? [t, t.split('.')[0]] : [t]) {
        let s = byTech.get(id);
        if (!s) byTech.set(id, (s = new Set()));
        s.add(r.key);
      }
    }
  }
  const active = (o: AObj): boolean => o.kind === 'technique' && !o.revoked && !o.deprecated;
  const known = new Set<string>();
  const tactics = tacticsInOrder(kb).map((tac) => {
    const techniques = [...kb.objects.values()]
      .filter((o) => active(o) && !o.isSubtechnique && o.tactics.includes(tac.shortname))
      .sort((a, b) => collator.compare(a.name, b.name))
      .map((t): CoverageCell => {
        known.add(t.attackId);
        const subtechniques = kb.incoming(t.stixId, 'subtechnique-of').map((r) => kb.get(r.source))
          .filter((s): s is AObj => !!s && active(s))
          .sort((a, b) => collator.compare(a.attackId, b.attackId))
          .map((s) => {
            known.add(s.attackId);
            return { id: s.attackId, name: s.name, rules: byTech.get(s.attackId)?.size ?? 0 };
          });
        return { id: t.attackId, name: t.name, rules: byTech.get(t.attackId)?.size ?? 0, subtechniques };
      });
    return { id: tac.attackId, shortname: tac.shortname, name: tac.name, techniques };
  });
  const unmatched = [...byTech].filter(([id]) => !known.has(id)).map(([id, s]) => ({ id, rules: s.size }))
    .sort((a, b) => b.rules - a.rules || collator.compare(a.id, b.id));
  const sorted = (s: Set<string>): string[] => [...s].sort(collator.compare);
  return {
    release: kb.release, filters, rules: total, tactics, unmatched,
    options: { vendors: sorted(vendors), platforms: sorted(platforms), logsources: sorted(logsources) },
  };
}
