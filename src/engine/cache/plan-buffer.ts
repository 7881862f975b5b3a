/**
 * The compiled rules as one buffer (a container, see container.ts): the rule set as JSON (Elastic
 * rules too: each thread's Elastic runner compiles them from here, with their EQL queries parsed:
 * see parsed-queries.ts), the matcher plan as JSON, and the automata tables as typed arrays that
 * threads share in place. Kept apart from rule-cache.ts
 * so that a scan worker loads only what restoring a plan needs (no rule parsers).
 */
import type { Problem } from '../../model/index.js';
import { type AutomatonData, AUTOMATON_ARRAYS } from '../automaton-data.js';
import { Matcher, type MatcherPlan } from '../matcher.js';
import type { RuleSet } from '../rule-files.js';
import { checkElasticRules, checkPlanJson, checkProblems, checkRules } from './check-shapes.js';
import { mark } from '../parallel/timeline.js';
import { CacheFormatError, decodeContainer, encodeContainer, jsonSection, type SectionValue } from './container.js';
import type { Rule } from '../../model/index.js';
import type { EqlQuery } from '../../formats/eql/ast.js';
import { rememberRuleQuery } from './parsed-queries.js';

export const PLAN_KIND = 'rule-plan';

export type StoredRules = Omit<RuleSet, 'problems'> & { problems: Problem[] };

/** `queries`: per Elastic rule, its parsed EQL query to store (null: none; see parsed-queries.ts). */
export function encodePlan(key: string, rules: StoredRules, plan: MatcherPlan, queries: Array<EqlQuery | null>): Uint8Array {
  const sections = new Map<string, SectionValue>();
  sections.set('rules', { json: rules });
  const { automata, also, ...lit } = plan.literals;
  sections.set('plan', { json: { ...plan, literals: { ...lit, automata: automata.map((a) => ({ patterns: a.patterns, states: a.states, k: a.k, dense: a.dense })) } } });
  sections.set('also', also);
  if (queries.length !== rules.elastic.length) throw new Error('one query (or null) per Elastic rule');
  sections.set('eql', { json: queries });
  automata.forEach((a, i) => {
    for (const name of AUTOMATON_ARRAYS) sections.set(`a${i}.${name}`, a[name]);
  });
  return encodeContainer(PLAN_KIND, key, sections);
}

/**
 * The rules and matcher of a plan buffer. `verified`: the buffer was checked in this process already
 * (a worker thread receiving it from the main thread): the checksum and shape checks are skipped.
 */
export function restorePlan(blob: Uint8Array, key: string, verified: boolean): { stored: StoredRules; matcher: Matcher } {
  const s = decodeContainer(blob, PLAN_KIND, key, verified);
  mark('plan decoded');
  const rulesJson = jsonSection(s, 'rules') as Record<string, unknown>;
  const planJson = verified ? (jsonSection(s, 'plan') as ReturnType<typeof checkPlanJson>) : checkPlanJson(jsonSection(s, 'plan'));
  if (!verified) {
    if (!rulesJson || typeof rulesJson !== 'object' || !Number.isInteger(rulesJson.files)) throw new CacheFormatError('bad rule set');
    for (const k of ['detections', 'correlations', 'filters']) checkRules(rulesJson[k]);
    checkElasticRules(rulesJson.elastic);
    checkProblems(rulesJson.problems);
  }
  mark('plan shapes checked');
  const stored = rulesJson as unknown as StoredRules;
  restoreQueries(stored.elastic, jsonSection(s, 'eql'));
  const metas = planJson.literals.automata;
  if (!Array.isArray(metas)) throw new CacheFormatError('bad automaton list');
  const automata: AutomatonData[] = metas.map((m: unknown, i: number) => {
    const d = { ...(m as object) } as Record<string, unknown>;
    for (const name of AUTOMATON_ARRAYS) d[name] = s.get(`a${i}.${name}`);
    return d as unknown as AutomatonData;
  });
  const also = s.get('also');
  if (!(also instanceof Int32Array)) throw new CacheFormatError('bad keyword links');
  const plan: MatcherPlan = { ...planJson, literals: { ...planJson.literals, automata, also } };
  try {
    return { stored, matcher: Matcher.fromPlan(stored.detections, plan, verified) };
  } catch (e) {
    throw new CacheFormatError((e as Error).message);
  }
}


/**
 * Gives the Elastic rules their stored queries: each tree holds the text it was parsed from, which
 * must be its rule's query. A plan without them, or an entry of another shape, leaves the rule's
 * query to be parsed.
 */
function restoreQueries(rules: Rule[], queries: unknown): void {
  if (!Array.isArray(queries) || queries.length !== rules.length) return;
  queries.forEach((q, i) => {
    if (q === null || typeof q !== 'object') return;
    const t = q as Partial<EqlQuery>;
    if (typeof t.body === 'object' && t.body !== null && Array.isArray(t.pipes) && t.source === rules[i].query) rememberRuleQuery(rules[i], t as EqlQuery);
  });
}
