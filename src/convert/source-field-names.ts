/**
 * A tree on Sigma field names for events of several sources, some of which name fields otherwise
 * (Security 4688: Image is NewProcessName), when no Sigma category applies those mappings: each
 * test of a renamed field becomes "(on that source and the test of its name there) or (elsewhere
 * and the test as written)". Exact, negated or not: an event is on the source or it is not.
 * Renames to fields the Sigma matcher derives ("__User") are not written (raw-field-check.ts says why).
 */
import type { Detection, Predicate } from '../model/index.js';
import { and, mapPredicates, not, or, pred } from '../model/index.js';
import { WINDOWS_CATEGORIES } from '../taxonomy/logsource-windows.js';
import { WINDOWS_FIELD_MAPPINGS } from '../taxonomy/field-mapping-windows.js';
import type { EventSource } from './ecs-classification.js';

interface Mapped {
  where: Detection;
  rename: Record<string, string>;
}

function mappedSources(sources: EventSource[]): Mapped[] {
  const out: Mapped[] = [];
  const seen = new Set<string>();
  for (const srcs of Object.values(WINDOWS_CATEGORIES)) {
    for (const src of srcs) {
      const key = `${src.channel}|${src.eventIds?.join(',') ?? ''}`;
      if (!src.fieldMapping || seen.has(key)) continue;
      seen.add(key);
      if (!sources.some((s) => s.channel === src.channel.toLowerCase() && (!src.eventIds || src.eventIds.includes(s.id)))) continue;
      const rename = Object.fromEntries(Object.entries(WINDOWS_FIELD_MAPPINGS[src.fieldMapping].rename).filter(([, to]) => !to.startsWith('__')));
      out.push({ where: and([pred('Channel', 'eq', [src.channel]), ...(src.eventIds ? [pred('EventID', 'eq', src.eventIds)] : [])]), rename });
    }
  }
  return out;
}

export function sourceFieldNames(d: Detection, sources: EventSource[]): Detection {
  const mapped = mappedSources(sources);
  if (!mapped.length) return d;
  return mapPredicates(d, (p) => renamed(p, mapped));
}

function renamed(p: Predicate, mapped: Mapped[]): Detection {
  if (p.field === null || p.flags.fieldref) return p;
  const hits = mapped.filter((m) => m.rename[p.field!]);
  if (!hits.length) return p;
  const on = hits.map((m) => and([m.where, { ...p, field: m.rename[p.field!], authoredField: m.rename[p.field!] }]));
  return or([...on, and([...hits.map((m) => not(m.where)), p])]);
}
