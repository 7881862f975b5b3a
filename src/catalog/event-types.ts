import type { Rule } from '../model/index.js';
import { ruleTree, walkPredicates } from '../model/index.js';
import { CIM_DATASET_EVENTS, CIM_FIELD_PREFIX_EVENTS, ELASTIC_EVENT_CATEGORIES, SPLUNK_DATA_SOURCE_EVENTS } from '../taxonomy/events.js';

const EQL_CATEGORY = /(?:^|[\s[(])([a-z_]+)\s+where\b/gi;
const DATAMODEL = /datamodel\s*[=:]\s*"?([A-Za-z_]+(?:\.[A-Za-z_]+)?)/g;
const DATAMODEL_FROM = /\bfrom\s+datamodel\s*[=:]?\s*"?([A-Za-z_]+(?:\.[A-Za-z_]+)?)/gi;

/** The event types a rule looks at (Sigma logsource categories as the vocabulary), for every vendor. */
export function ruleEventTypes(rule: Rule): string[] {
  const out = new Set<string>();
  if (rule.logsource.category) out.add(rule.logsource.category);
  if (rule.vendor === 'sigma') {
    if (!rule.logsource.category && rule.logsource.service) out.add(rule.logsource.service);
    return [...out];
  }
  if (out.size > 0) return [...out];
  const q = rule.query ?? '';
  if (rule.vendor === 'elastic') {
    if (rule.language === 'eql') {
      for (const m of q.matchAll(EQL_CATEGORY)) {
        const e = ELASTIC_EVENT_CATEGORIES[m[1].toLowerCase()];
        if (e) out.add(e);
      }
    }
    const tree = ruleTree(rule);
    if (tree) {
      walkPredicates(tree, (p, _path, negated) => {
        const f = (p.authoredField ?? p.field ?? '').replace(/^\?/, '');
        if (negated || f !== 'event.category') return;
        for (const v of p.values) {
          const e = typeof v === 'string' ? ELASTIC_EVENT_CATEGORIES[v.toLowerCase()] : undefined;
          if (e) out.add(e);
        }
      });
    }
    return [...out];
  }
  // splunk
  for (const re of [DATAMODEL, DATAMODEL_FROM]) {
    for (const m of q.matchAll(re)) {
      const e = CIM_DATASET_EVENTS[m[1]] ?? CIM_DATASET_EVENTS[m[1].split('.')[0]];
      if (e) out.add(e);
    }
  }
  if (out.size === 0 && rule.detection) {
    walkPredicates(rule.detection, (p) => {
      const f = p.authoredField ?? p.field ?? '';
      for (const [prefix, e] of Object.entries(CIM_FIELD_PREFIX_EVENTS)) if (f.startsWith(prefix)) out.add(e);
    });
  }
  if (out.size === 0) {
    for (const ds of dataSources(rule)) {
      const hit = SPLUNK_DATA_SOURCE_EVENTS.find(([name]) => name.toLowerCase() === ds.toLowerCase());
      if (hit) out.add(hit[1]);
    }
  }
  return [...out];
}

/** Splunk data_source names, wherever the parser kept them. */
function dataSources(rule: Rule): string[] {
  for (const k of ['data_source', 'dataSources', 'data_sources']) {
    const v = rule.extra[k];
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  }
  return [];
}
