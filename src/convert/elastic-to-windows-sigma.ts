/**
 * An Elastic Windows rule made ready for the Sigma printer: raw Windows events, which a Sigma rule
 * reads, have no ECS classification, so its tests become the channels and event ids they select
 * (ecs-classification.ts); the logsource is the narrowest Windows category reading every kind of
 * event the rule can fire on (product windows alone when none does); and the reasons why the Sigma
 * rule may still select other events (fields raw events lack, values the integration rewrites,
 * fields named through a mapping no category applies) are returned for a `partial` conversion.
 */
import type { Detection, Rule } from '../model/index.js';
import { walkPredicates } from '../model/index.js';
import { canonicalize } from '../taxonomy/pipeline.js';
import { classificationAsSources, classifiedSources, coveringCategory } from './ecs-classification.js';
import { fieldMappingLosses, rawFieldLosses } from './raw-field-check.js';
import { sourceFieldNames } from './source-field-names.js';

export const ECS_ONLY = 'ecs-only';

/** undefined: not an Elastic rule for Windows (printed as it is). */
export function elasticForWindowsSigma(rule: Rule, tree: Detection): { rule: Rule; reasons: string[] } | undefined {
  if (rule.vendor !== 'elastic' || rule.logsource.product !== 'windows') return undefined;
  const sources = classifiedSources(tree);
  const category = coveringCategory(sources);
  const out: Rule = { ...rule, detection: classificationAsSources(tree).tree, logsource: category ? { product: 'windows', category } : { product: 'windows' } };
  const reasons = [...ecsOnly(out), ...rawFieldLosses(out), ...fieldMappingLosses(out, sources)];
  if (category) return { rule: out, reasons };
  // No category applies the field mapping of a source the rule reads (Security 4688): the tree, on
  // Sigma's field names already, names the fields of that source itself (read as Sigma, not again
  // through the taxonomy, which would take NewProcessName for Image).
  const named = sourceFieldNames(canonicalize(out).detection!, sources);
  return { rule: { ...out, vendor: 'sigma', detection: named }, reasons };
}

/**
 * A field still named in ECS after the taxonomy (process.args, user.id, code signatures...) is
 * computed by the integration or an agent: the raw Windows event has no such field.
 */
function ecsOnly(rule: Rule): string[] {
  const fields = new Set<string>();
  walkPredicates(canonicalize(rule).detection!, (p) => {
    if (p.field?.includes('.')) fields.add(p.field);
  });
  return fields.size ? [`${ECS_ONLY}: ${[...fields].sort().join(', ')}: raw Windows events, which a Sigma rule reads, have no such field (the integration computes it)`] : [];
}
