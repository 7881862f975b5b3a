/**
 * Whether an Elastic rule's fields, read back as raw Windows event fields by the taxonomy, hold the
 * same values as the ECS fields the rule tests: not for the fields the Windows integration rewrites
 * (ecs-rewritten-fields.ts). Such a rule converts to Sigma `partial`, with this reason.
 */
import type { Rule } from '../model/index.js';
import { walkPredicates } from '../model/index.js';
import { canonicalize } from '../taxonomy/pipeline.js';
import { ECS_REWRITTEN_FIELDS } from './ecs-rewritten-fields.js';
import { WINDOWS_CATEGORIES } from '../taxonomy/logsource-windows.js';
import { WINDOWS_FIELD_MAPPINGS } from '../taxonomy/field-mapping-windows.js';
import type { EventSource } from './ecs-classification.js';

export const ECS_VALUE = 'ecs-value';

export function rawFieldLosses(rule: Rule): string[] {
  if (!rule.detection) return [];
  const out = new Set<string>();
  walkPredicates(canonicalize(rule).detection!, (p) => {
    const ecs = p.authoredField;
    if (p.field !== null && ecs && ecs !== p.field && ECS_REWRITTEN_FIELDS[ecs]) out.add(`${ecs} as ${p.field}: ${ECS_REWRITTEN_FIELDS[ecs]}`);
  });
  return out.size ? [`${ECS_VALUE}: ${[...out].join('; ')}`] : [];
}

export const FIELD_MAPPING = 'field-mapping';

/**
 * A kind of event whose Sigma fields are derived by the matcher through a field mapping (Security
 * 4688: User from SubjectDomainName and SubjectUserName) has them only under a category that reads
 * it (process_creation). When no category covers every kind of event the rule can fire on, a Sigma
 * rule cannot name them.
 */
export function fieldMappingLosses(rule: Rule, sources: EventSource[]): string[] {
  if (!rule.detection || rule.logsource.category) return [];
  const used = new Set<string>();
  walkPredicates(canonicalize(rule).detection!, (p) => {
    if (p.field !== null) used.add(p.field);
  });
  const out = new Set<string>();
  for (const srcs of Object.values(WINDOWS_CATEGORIES)) {
    for (const src of srcs) {
      if (!src.fieldMapping) continue;
      const reads = sources.some((s) => s.channel === src.channel.toLowerCase() && (!src.eventIds || src.eventIds.includes(s.id)));
      // Renames to raw fields are written into the tree (source-field-names.ts); derived ones cannot be.
      const renamed = Object.entries(WINDOWS_FIELD_MAPPINGS[src.fieldMapping].rename).filter(([f, to]) => used.has(f) && to.startsWith('__')).map(([f]) => f);
      if (reads && renamed.length) out.add(`${src.channel} ${src.eventIds?.join(',') ?? ''} gives ${renamed.join(', ')} only as a field the Sigma matcher derives under process_creation, and no Sigma category covers every kind of event the rule reads`);
    }
  }
  return out.size ? [`${FIELD_MAPPING}: ${[...out].join('; ')}`] : [];
}
