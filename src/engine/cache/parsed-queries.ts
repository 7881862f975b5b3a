/**
 * Each Elastic EQL rule's query, parsed once per thread: the runner compiles it from here, and the
 * rule cache stores it with the compiled rules (plan-buffer.ts) and gives it back on a warm
 * start. Parsing is most of an EQL rule's compile time on a warm start, in code the JIT has not
 * warmed yet (about 0.2 s for the Windows rules of elastic/detection-rules, on every thread of a
 * scan); reading the stored trees is a part of one JSON.parse.
 *
 * The trees are shared: nothing that reads them may change them (a rule-cache test runs the runner
 * on frozen trees). The parser is passed in, not imported, and the module stays out of the EQL
 * engine's folder: a Sigma-only scan and a scan worker restoring a plan load no EQL code
 * (test/cli/scan-modules.test.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Rule } from '../../model/index.js';
import type { EqlQuery } from '../../formats/eql/ast.js';
import type { ParseResult } from '../../formats/elastic/position.js';

export type EqlParser = (text: string) => ParseResult<EqlQuery>;

const parsed = new WeakMap<Rule, ParseResult<EqlQuery>>();

/** The rule's query (rule.query) parsed as EQL, remembered for the rule object. */
export function ruleQuery(rule: Rule, parse: EqlParser): ParseResult<EqlQuery> {
  let r = parsed.get(rule);
  if (!r) {
    r = parse(rule.query ?? '');
    parsed.set(rule, r);
  }
  return r;
}

/** Gives the rule its parsed query (one read from the rule cache, which stored what ruleQuery returned). */
export function rememberRuleQuery(rule: Rule, query: EqlQuery): void {
  parsed.set(rule, { ok: true, value: query });
}

/** Whether the rule's query is parsed already (or was given by the rule cache). */
export function hasRuleQuery(rule: Rule): boolean {
  return parsed.has(rule);
}

/**
 * The rule's parsed query as the rule cache stores it, or null: another language, a query that
 * does not parse (the runner reports why), or a tree that JSON would not give back exactly (the
 * runner then parses the text).
 */
export function storableQuery(rule: Rule, parse: EqlParser): EqlQuery | null {
  if (rule.language !== 'eql' || !rule.query?.trim()) return null;
  const r = ruleQuery(rule, parse);
  return r.ok && isDeepStrictEqual(JSON.parse(JSON.stringify(r.value)), r.value) ? r.value : null;
}
