/**
 * One rule printed in one target language. What the target cannot say exactly is an error with
 * the reason (the rule is then not convertible); what the rule's reading lost makes it partial.
 */
import type { Rule } from '../model/index.js';
import { hasUnknown } from '../model/index.js';
import type { SequenceInfo } from '../formats/eql/lower.js';
import { ruleQuery } from '../backends/duckdb/rule-query.js';
import { chRuleQuery } from '../backends/clickhouse/rule-query.js';
import { toEcsTree } from '../backends/elastic/ecs-tree.js';
import { printEqlQuery } from '../backends/eql/query.js';
import { printKql } from '../backends/kql/print.js';
import { printRuleSpl } from '../backends/spl/print.js';

export const TARGETS = ['duckdb', 'clickhouse', 'sigma', 'eql', 'kql', 'spl'] as const;
export type Target = (typeof TARGETS)[number];

export const TARGET_EXTENSION: Record<Target, string> = { duckdb: 'sql', clickhouse: 'sql', sigma: 'yml', eql: 'eql', kql: 'kql', spl: 'spl' };

export type Conversion =
  | { status: 'converted' | 'partial'; text: string; reasons: string[] }
  | { status: 'not-convertible'; reasons: string[] };

export function convertRule(rule: Rule, target: Target): Conversion {
  if (rule.type === 'correlation') return { status: 'not-convertible', reasons: ['correlation rules are not converted yet'] };
  if (!rule.detection) return { status: 'not-convertible', reasons: ['the rule has no detection'] };
  if (hasUnknown(rule.detection)) return { status: 'not-convertible', reasons: ['the rule has conditions that could not be read (unknown nodes)'] };
  let text: string;
  try {
    text = print(rule, target);
  } catch (e) {
    const c = (e as { construct?: string }).construct;
    return { status: 'not-convertible', reasons: [`${c ? c + ': ' : ''}${(e as Error).message}`] };
  }
  const losses = (rule.losses ?? []).map((l) => `not in the model: ${l.text}: ${l.reason}`);
  return { status: losses.length ? 'partial' : 'converted', text, reasons: losses };
}

function print(rule: Rule, target: Target): string {
  switch (target) {
    case 'duckdb': {
      const q = ruleQuery(rule);
      if ('skip' in q) throw new Error(`${q.skip}: ${q.message}`);
      return `SELECT * FROM events WHERE ${q.where};`;
    }
    case 'clickhouse': {
      const q = chRuleQuery(rule);
      if ('skip' in q) throw new Error(`${q.skip}: ${q.message}`);
      return `SELECT * FROM events WHERE ${q.where};`;
    }
    case 'eql':
      return printEqlQuery(toEcsTree(rule.detection!), rule.extra.sequence as SequenceInfo | undefined);
    case 'kql':
      return printKql(toEcsTree(rule.detection!));
    case 'spl':
      return printRuleSpl(rule);
    case 'sigma':
      throw new Error(`target ${target} not implemented yet`);
  }
}
