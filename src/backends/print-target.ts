/**
 * One rule's predicate tree printed in a target query language, or the reason it cannot be: the
 * printers of src/backends (EQL, KQL, Lucene, ES|QL on ECS fields; SPL on the rule's own fields; a
 * whole Sigma rule on the taxonomy's fields).
 */
import type { SequenceInfo } from '../formats/eql/lower.js';
import type { Rule } from '../model/index.js';
import { toEcsTree } from './elastic/ecs-tree.js';
import { PrintError } from './elastic/print-error.js';
import { printEqlQuery } from './eql/query.js';
import { printEsqlCondition } from './esql/print.js';
import { printKql } from './kql/print.js';
import { printLucene } from './lucene/print.js';
import { printRuleSpl, printSpl, SplPrintError } from './spl/index.js';
import { printSigmaRule, SigmaPrintError } from './sigma/index.js';

export const PRINT_TARGETS = ['eql', 'kql', 'lucene', 'esql', 'spl', 'sigma'] as const;
export type PrintTarget = (typeof PRINT_TARGETS)[number];

export type Printed = { ok: true; target: PrintTarget; text: string } | { ok: false; target: PrintTarget; reason: string };

export function printRuleAs(rule: Rule, target: PrintTarget): Printed {
  if (!rule.detection) return { ok: false, target, reason: `the rule has no predicate tree (${rule.correlation ? 'a correlation rule' : `type ${rule.type}`})` };
  try {
    return { ok: true, target, text: printTree(rule, target) };
  } catch (e) {
    if (e instanceof PrintError || e instanceof SigmaPrintError) return { ok: false, target, reason: `${e.reason}: ${e.message}` };
    if (e instanceof SplPrintError) return { ok: false, target, reason: `${e.condition}: ${e.reason}` };
    throw e;
  }
}

function printTree(rule: Rule, target: PrintTarget): string {
  const d = rule.detection!;
  switch (target) {
    case 'eql':
      // an EQL rule's own sequence structure is kept; other rules print as one event query
      return printEqlQuery(toEcsTree(d), rule.language === 'eql' ? rule.extra.sequence as SequenceInfo | undefined : undefined);
    case 'kql':
      return printKql(toEcsTree(d));
    case 'lucene':
      return printLucene(toEcsTree(d));
    case 'esql':
      return `FROM logs-* | WHERE ${printEsqlCondition(toEcsTree(d))}`;
    case 'spl':
      return rule.vendor === 'splunk' ? printRuleSpl(rule) : printSpl(d);
    case 'sigma':
      return printSigmaRule(rule);
  }
}
