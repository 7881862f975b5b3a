import type { KnowledgeBase } from './kb.js';
import { ref, type ObjRef } from './show.js';

/** The relationships of one object, grouped by relationship type, direction and the other end's kind. */
export interface RelationshipGroup {
  relationship: string;
  direction: 'outgoing' | 'incoming';
  kind: string;
  items: ObjRef[];
}

const collator = new Intl.Collator('en', { numeric: true });

/** Every relationship of the object in the release (the seed's "relationship explorer"); revoked ones included and marked. */
export function relationshipsOf(kb: KnowledgeBase, stixId: string): RelationshipGroup[] {
  const groups = new Map<string, RelationshipGroup>();
  const add = (relationship: string, direction: RelationshipGroup['direction'], other: string): void => {
    const o = kb.get(other);
    if (!o) return;
    const k = `${relationship}\u0000${direction}\u0000${o.kind}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { relationship, direction, kind: o.kind, items: [] }));
    if (!g.items.some((x) => x.stix_id === o.stixId)) g.items.push(ref(o));
  };
  for (const r of kb.outgoing(stixId)) add(r.type, 'outgoing', r.target);
  for (const r of kb.incoming(stixId)) add(r.type, 'incoming', r.source);
  for (const g of groups.values()) g.items.sort((a, b) => collator.compare(a.id, b.id) || collator.compare(a.name, b.name));
  return [...groups.values()].sort((a, b) => a.relationship.localeCompare(b.relationship) || a.direction.localeCompare(b.direction) || a.kind.localeCompare(b.kind));
}
