import type { Aggregation, Detection, Rule, ValueExpr } from '../../model/index.js';
import { and, hasUnknown, ruleTree } from '../../model/index.js';
import { lowerQuery } from '../../formats/elastic/query.js';
import { parse as parseEsql } from '../../formats/esql/parser.js';
import type { SequenceInfo } from '../../formats/eql/lower.js';
import { canonicalize } from '../../taxonomy/pipeline.js';
import { printEqlQuery } from '../eql/query.js';
import { printEsqlAggregation, printEsqlCondition, printEsqlExtractions, printEsqlInlineStats, stageInputs, windowsOf } from '../esql/print.js';
import { printKql } from '../kql/print.js';
import { printLucene } from '../lucene/print.js';
import { toEcsTree } from './ecs-tree.js';
import { PrintError } from './print-error.js';

/**
 * Round trip of one Elastic rule: its canonical tree is written back in the rule's own language
 * (ECS fields, through the backends), the text is parsed and lowered again by our reader, and the
 * two canonical trees are compared: the same (field, operator, values, case, fieldref) leaves in the
 * same boolean structure, and/or nesting flattened. Unknown nodes are printed as their source text
 * (the same language) and compared by text. `exact` also requires the rule to have no losses.
 */
export interface RoundTrip {
  language: string;
  /** The tree came back the same. */
  same: boolean;
  /** same, and nothing was lost when the rule was read (no losses, no unknown node). */
  exact: boolean;
  /** The rule is marked partial (losses or an unknown node). */
  partial: boolean;
  printed?: string;
  reason?: string;
}

export function printInLanguage(language: string, ecs: Detection, rule: Rule): string {
  switch (language) {
    case 'eql':
      return printEqlQuery(ecs, rule.extra.sequence as SequenceInfo | undefined, { unknownText: true });
    case 'kuery':
      return printKql(ecs, { unknownText: true });
    case 'lucene':
      return printLucene(ecs, { unknownText: true });
    case 'esql':
      return [
        esqlPipeline(rule, esqlWheres(ecs, rule), printEsqlExtractions(ecs, rule.aggregations?.[0] ? stageInputs(rule.aggregations[0]) : [])),
        ...(rule.aggregations ?? []).flatMap((a) => printEsqlAggregation(a, { unknownText: true })),
      ].join('\n| ');
    default:
      throw new PrintError('language', `no printer for ${language}`);
  }
}

/** Commands after which rows are groups, not events. */
const AGGREGATIONS = new Set(['stats']);

/**
 * The printed condition as WHERE commands: one, or when it reads INLINE STATS aggregates, the
 * filters the aggregates are computed over (the first conjuncts of the rule's tree), the INLINE
 * STATS command, then the rest.
 */
function esqlWheres(ecs: Detection, rule: Rule): string[] {
  const opts = { unknownText: true };
  const ws = windowsOf(ecs);
  if (ws.length === 0) return [`where ${printEsqlCondition(ecs, opts)}`];
  const over = JSON.stringify(ws[0].over ? normalize(ws[0].over) : null);
  if (ws.some((w) => JSON.stringify(w.over ? normalize(w.over) : null) !== over)) throw new PrintError('inline stats', 'INLINE STATS aggregates over different filters');
  const raw = rule.detection;
  if (!raw || raw.kind !== 'and' || ecs.kind !== 'and' || raw.children.length !== ecs.children.length || rule.extra.filters === true) {
    throw new PrintError('inline stats', 'an INLINE STATS aggregate outside a conjunction of filters');
  }
  let k = 0;
  if (ws[0].over) {
    k = raw.children.findIndex((_, i) => JSON.stringify(normalize(and(raw.children.slice(0, i + 1)))) === over) + 1;
    if (k === 0) throw new PrintError('inline stats', 'the filters before INLINE STATS are not the first conjuncts');
  }
  const before = ecs.children.slice(0, k);
  const after = ecs.children.slice(k);
  return [
    ...(before.length ? [`where ${printEsqlCondition(and(before), opts)}`] : []),
    printEsqlInlineStats(ws),
    ...(after.length ? [`where ${printEsqlCondition(and(after), opts)}`] : []),
  ];
}

/** Commands whose computations the printed condition writes in place (EVAL) or prints itself (GROK, DISSECT). */
const COMPUTING = new Set(['eval', 'grok', 'dissect', 'rename']);

/**
 * The rule's ES|QL pipeline up to its first aggregation: its other commands (FROM, MV_EXPAND...)
 * as written, then the GROK / DISSECT commands the printed condition reads, then one WHERE with
 * the printed condition. EVALs are dropped: computed values are written out in the condition. A
 * partial rule keeps its EVAL, GROK and DISSECT commands (its unknown nodes, printed as their
 * text, may read names only they define).
 */
function esqlPipeline(rule: Rule, wheres: string[], extractions: string[]): string {
  const query = rule.query ?? '';
  const partial = (rule.losses?.length ?? 0) > 0;
  const q = parseEsql(query);
  if (!q.ok) throw new PrintError('esql', `the rule's query does not parse: ${q.error.message}`);
  const cmds = q.value.commands;
  const end = cmds.findIndex((c) => AGGREGATIONS.has(c.name));
  const head = end < 0 ? cmds : cmds.slice(0, end);
  const out: string[] = [];
  for (const c of head) if (c.name !== 'where' && (partial || !COMPUTING.has(c.name))) out.push(query.slice(c.span.offset, c.span.end).trim());
  out.push(...(partial ? [] : extractions), ...wheres);
  return out.join('\n| ');
}

export function roundTripRule(authored: Rule): RoundTrip | undefined {
  // An EQL sequence is compared through its statistics tree (an `or` of the stages, as lower.ts reads
  // a printed sequence back); its structure (keys, maxspan) is printed from extra.sequence.
  const tree = ruleTree(authored);
  if (!tree) return undefined;
  const rule: Rule = { ...authored, detection: tree };
  if (!rule.detection) return undefined;
  const partial = (rule.losses?.length ?? 0) > 0 || hasUnknown(rule.detection);
  const base = { language: rule.language, partial };
  const whole = canonicalize(rule).detection!;
  // Kibana filters (query DSL, not the query language) were and-ed last: the round trip reads the query part.
  const filtered = rule.extra.filters === true && whole.kind === 'and' && whole.children.length === 2;
  const c1 = filtered ? whole.children[0] : whole;
  let printed: string;
  try {
    printed = printInLanguage(rule.language, toEcsTree(c1), rule);
  } catch (e) {
    if (e instanceof PrintError) return { ...base, same: false, exact: false, reason: `print: ${e.reason}: ${e.message}` };
    throw e;
  }
  const reread = lowerQuery(rule.language, printed);
  const lowered = { ...reread, detection: ruleTree(reread) };
  if (lowered.error || !lowered.detection) {
    return { ...base, same: false, exact: false, printed, reason: `reparse: ${lowered.error?.message ?? 'no detection'}` };
  }
  // The same rule (tags, index: the context of the crosswalk) with the re-read tree; an EQL
  // sequence's structure comes from the re-read query.
  const extra = lowered.extra.sequence ? { ...rule.extra, sequence: lowered.extra.sequence } : rule.extra;
  const again: Rule = { ...rule, detection: filtered && whole.kind === 'and' ? { kind: 'and', children: [lowered.detection, whole.children[1]] } : lowered.detection, extra };
  const full = canonicalize(again).detection!;
  const c2 = filtered && full.kind === 'and' ? full.children[0] : full;
  // the aggregation stages (ES|QL STATS) come back the same too
  const a = JSON.stringify([normalize(c1), normalizeAggregations(rule.aggregations)]);
  const b = JSON.stringify([normalize(c2), normalizeAggregations(lowered.aggregations)]);
  const same = a === b;
  return { ...base, same, exact: same && !partial, printed, ...(same ? {} : { reason: `differs: ${firstDifference(a, b)}` }) };
}

/** The comparison form: and/or flattened, leaves as [field, op, values, flags that change meaning]. */
export function normalize(d: Detection): unknown {
  switch (d.kind) {
    case 'and':
    case 'or': {
      const kids: unknown[] = [];
      for (const c of d.children) {
        if (c.kind === d.kind) kids.push(...(normalize(c) as unknown[]).slice(1));
        else kids.push(normalize(c));
      }
      return kids.length === 1 ? kids[0] : [d.kind, ...kids];
    }
    case 'not':
      return ['not', normalize(d.child)];
    case 'const':
      return d.value;
    case 'unknown':
      return ['unknown', d.text.replace(/\s+/g, ' ').trim()];
    case 'pred': {
      const f = d.flags;
      return [d.field, d.op, d.values, f.cased ?? null, f.fieldref ?? false, f.regexFlags ?? '', f.anySeparator ?? false];
    }
    // the value's computation leaf by leaf; the name is only a label
    case 'computed':
      return ['computed', normalizeValue(d.value), d.op, d.values, d.flags.cased ?? null, d.flags.regexFlags ?? ''];
  }
}

function normalizeAggregations(aggs: Aggregation[] | undefined): unknown {
  return (aggs ?? []).map((a) => ({
    by: a.by.map((n) => [n.name, normalizeValue(n.value)]),
    columns: a.columns.map((n) => [n.name, normalizeValue(n.value), n.where ? normalize(n.where) : null]),
    having: a.having ? normalize(a.having) : null,
  }));
}

function normalizeValue(v: ValueExpr): unknown {
  switch (v.kind) {
    case 'call':
      return [v.fn, ...v.args.map(normalizeValue)];
    case 'test':
      return ['test', normalize(v.detection)];
    case 'extract':
      return ['extract', v.command, normalizeValue(v.input), v.pattern, v.key];
    case 'window':
      return ['window', v.name, normalizeValue(v.value), v.by.map(normalizeValue), v.over ? normalize(v.over) : null, v.where ? normalize(v.where) : null];
    default:
      return v;
  }
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `${a.slice(Math.max(0, i - 60), i + 60)}  <>  ${b.slice(Math.max(0, i - 60), i + 60)}`;
}
