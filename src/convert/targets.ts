/**
 * One rule printed in one target language. What the target cannot say exactly is an error with
 * the reason (the rule is then not convertible); what the rule's reading lost makes it partial.
 */
import type { Detection, Rule } from '../model/index.js';
import { and, hasUnknown, ruleTree } from '../model/index.js';
import { logsourceConditions } from './logsource-tree.js';
import type { SequenceInfo } from '../formats/eql/lower.js';
import { ruleQuery } from '../backends/duckdb/rule-query.js';
import { chRuleQuery } from '../backends/clickhouse/rule-query.js';
import { ecsNameOf, toEcsTree } from '../backends/elastic/ecs-tree.js';
import { lookupField } from '../taxonomy/pipeline.js';
import { walkPredicates } from '../model/index.js';
import { printEqlQuery } from '../backends/eql/query.js';
import { printKql } from '../backends/kql/print.js';
import { printRuleSpl, printSpl } from '../backends/spl/print.js';
import { canonicalTree } from './canonical-tree.js';
import { SplPrintError } from '../backends/spl/errors.js';
import { PrintError } from '../backends/elastic/print-error.js';
import { printSigmaRule, SigmaPrintError } from '../backends/sigma/index.js';
import { convertCorrelation } from './correlation.js';
import { windowsEcsTree } from './windows-ecs-tree.js';
import { elasticForWindowsSigma } from './elastic-to-windows-sigma.js';

export const TARGETS = ['duckdb', 'clickhouse', 'sigma', 'eql', 'kql', 'spl'] as const;
export type Target = (typeof TARGETS)[number];

export const TARGET_EXTENSION: Record<Target, string> = { duckdb: 'sql', clickhouse: 'sql', sigma: 'yml', eql: 'eql', kql: 'kql', spl: 'spl' };

export type Conversion =
  | { status: 'converted' | 'partial'; text: string; reasons: string[] }
  | { status: 'not-convertible'; reasons: string[] };

/** `context`: every rule read with this one (a correlation's SQL needs the rules it names). */
export function convertRule(rule: Rule, target: Target, context: { rules: Rule[] } = { rules: [] }): Conversion {
  if (rule.type === 'correlation') {
    if (target !== 'duckdb') return { status: 'not-convertible', reasons: [`correlation rules are not converted to ${target} yet`] };
    const c = convertCorrelation(rule, context.rules);
    return 'text' in c ? { status: 'converted', text: c.text, reasons: [] } : { status: 'not-convertible', reasons: [c.reason] };
  }
  // An EQL sequence or sample prints as one in EQL (its stages and structure); other targets say why not.
  const tree = rule.detection ?? (rule.sequence && target === 'eql' ? ruleTree(rule) : undefined);
  if (rule.sequence && !rule.detection && target !== 'eql') {
    return { status: 'not-convertible', reasons: [`sequence: an EQL ${rule.sequence.kind} has no ${target} form (only EQL says its order, keys and window)`] };
  }
  if (!tree) return { status: 'not-convertible', reasons: ['the rule has no detection'] };
  if (hasUnknown(tree)) return { status: 'not-convertible', reasons: ['the rule has conditions that could not be read (unknown nodes)'] };
  if (rule.aggregations?.length) return { status: 'not-convertible', reasons: ['the rule aggregates events (STATS ... BY): its group conditions have no form in the target'] };
  // A Windows Sigma rule reads raw event fields: on ECS documents, each where the integration keeps its value.
  const onEcs = target === 'eql' || target === 'kql' ? windowsEcsTree(rule) : undefined;
  if (onEcs && 'error' in onEcs) return { status: 'not-convertible', reasons: [onEcs.error] };
  // A Sigma rule's logsource becomes conditions in the query languages that have no log source of their own.
  const ls = onEcs ? {} : target === 'eql' || target === 'kql' || target === 'spl' ? logsourceConditions(rule, target === 'spl') : {};
  let printed: Rule = { ...rule, detection: ls.tree ? and([ls.tree, tree]) : tree };
  const forSigma = target === 'sigma' ? elasticForWindowsSigma(rule, tree) : undefined;
  if (forSigma) printed = forSigma.rule;
  let text: string;
  try {
    text = onEcs ? (target === 'eql' ? printEqlQuery(onEcs.tree, undefined) : printKql(onEcs.tree)) : print(printed, target);
  } catch (e) {
    return { status: 'not-convertible', reasons: [printFailure(e)] };
  }
  const losses = (rule.losses ?? []).map((l) => `not in the model: ${l.text}: ${l.reason}`);
  const collisions = onEcs ? [] : fieldCollisions(rule, target);
  const reasons = [...losses, ...(ls.note ? [ls.note] : []), ...aggregationNote(rule, target), ...(forSigma?.reasons ?? []), ...collisions];
  return { status: reasons.length ? 'partial' : 'converted', text, reasons };
}

/**
 * A field of another vendor's rule printed under a name the target language gives another field:
 * a Zeek DNS log's `query` is written `query` in SPL, which Splunk's CIM names the DNS query of any
 * source (detectory's QueryName); a NetFlow `destination.port` is ECS's, which Elastic reads as
 * DestinationPort. The text tests the target's field of that name: the conversion says so.
 */
function fieldCollisions(rule: Rule, target: Target): string[] {
  if (target !== 'spl' && target !== 'eql' && target !== 'kql') return [];
  const vendor = target === 'spl' ? 'splunk' : 'elastic';
  if (rule.vendor === vendor || !rule.detection) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  walkPredicates(canonicalTree(rule), (p) => {
    if (p.field === null || seen.has(p.field)) return;
    seen.add(p.field);
    const printed = target === 'spl' ? p.field : ecsNameOf(p.field);
    const read = lookupField(vendor, printed).field;
    if (read !== p.field) out.push(`field name: \`${p.field}\` is written \`${printed}\`, which ${target === 'spl' ? 'Splunk' : 'Elastic'} reads as ${read}: the text tests the target's field of that name`);
  });
  return out;
}

/** An Elastic threshold or new_terms rule alerts on an aggregation of what its query selects: only the query is converted. */
function aggregationNote(rule: Rule, target: Target): string[] {
  if (rule.vendor !== 'elastic' || (rule.type !== 'threshold' && rule.type !== 'new_terms')) return [];
  if (target === 'duckdb' || target === 'clickhouse') return [];
  return [`${rule.type}: the rule alerts on an aggregation of the events its query selects; only the query is converted`];
}

/** Why a printer refused a rule, in one line: `reason: detail`. */
function printFailure(e: unknown): string {
  if (e instanceof PrintError || e instanceof SigmaPrintError) return `${e.reason}: ${e.message}`;
  if (e instanceof SplPrintError) return `${e.reason}: ${e.condition}`;
  const c = (e as { construct?: string }).construct;
  return `${c ? c + ': ' : ''}${(e as Error).message}`;
}

/**
 * ECS fields: an Elastic rule's own (as authored), any other rule's canonical fields mapped to ECS;
 * on a Windows rule, an event-data field with no ECS name is read where Winlogbeat keeps it,
 * winlog.event_data.<name> (the taxonomy reads that prefix back to the same field).
 */
function ecsTree(rule: Rule): Detection {
  if (rule.vendor === 'elastic') return toEcsTree(rule.detection!);
  const ecs = toEcsTree(canonicalTree(rule));
  return rule.logsource.product === 'windows' ? mapFields(ecs, (f) => (/^[A-Za-z][A-Za-z0-9_]*$/.test(f) ? `winlog.event_data.${f}` : f)) : ecs;
}

function mapFields(d: Detection, f: (field: string) => string): Detection {
  switch (d.kind) {
    case 'pred':
      return d.field === null ? d : { ...d, field: f(d.field), authoredField: f(d.field), ...(d.flags.fieldref ? { values: d.values.map((v) => (typeof v === 'string' ? f(v) : v)) } : {}) };
    case 'and':
    case 'or':
      return { kind: d.kind, children: d.children.map((c) => mapFields(c, f)) };
    case 'not':
      return { kind: 'not', child: mapFields(d.child, f) };
    default:
      return d;
  }
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
      return printEqlQuery(ecsTree(rule), rule.extra.sequence as SequenceInfo | undefined);
    case 'kql':
      return printKql(ecsTree(rule));
    case 'spl':
      // a Splunk rule prints its own fields and event selector; others their canonical fields
      // (Sigma's names: the raw Windows event fields, which the Splunk taxonomy reads back)
      return rule.vendor === 'splunk' ? printRuleSpl(rule) : printSpl(canonicalTree(rule), { fieldName: (p) => p.field });
    case 'sigma':
      return printSigmaRule(rule);
  }
}
