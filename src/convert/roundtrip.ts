/**
 * Conversion round trip of one rule to one text target: the rule is converted as `detectory convert`
 * does (convertRule), the text is read back by our own parser for that language, both trees are put
 * on canonical fields by the taxonomy (the read-back rule keeps the source rule's context: tags,
 * logsource, index patterns) and compared in normal form (equivalence.ts). An EQL sequence is also
 * compared by its structure (kind, keys, window, missing stages, runs, until).
 */
import type { Detection, Rule, Vendor } from '../model/index.js';
import { and, ruleTree } from '../model/index.js';
import { parseSigmaText } from '../formats/sigma/index.js';
import { lowerQuery } from '../formats/elastic/query.js';
import { analyzeSearch } from '../formats/splunk/analyze-search.js';
import { canonicalize } from '../taxonomy/pipeline.js';
import { convertRule } from './targets.js';
import { renameFields } from '../engine/plan.js';
import { logsourceConditions } from './logsource-tree.js';
import { normalForm } from './equivalence.js';
import { windowsEcsTree } from './windows-ecs-tree.js';
import { elasticForWindowsSigma } from './elastic-to-windows-sigma.js';

export const TEXT_TARGETS = ['sigma', 'eql', 'kql', 'spl'] as const;
export type TextTarget = (typeof TEXT_TARGETS)[number];

/**
 * `reported`: the text reads back different, and only where the conversion said so (a partial
 * conversion's field-name reason); `differs` is a change nobody reported.
 */
export type RoundTripStatus = 'equivalent' | 'reported' | 'differs' | 'not-convertible' | 'reparse-error';

export interface RoundTripResult {
  status: RoundTripStatus;
  /** Why it is not equivalent, as a short group name (counted in the table). */
  group?: string;
  /** One line of detail (a printer's message, the first difference...). */
  detail?: string;
  /** The source rule lost conditions when it was read (the conversion is `partial`). */
  partial: boolean;
  text?: string;
}

interface Reread {
  tree?: Detection;
  rule?: Rule;
  error?: string;
}

const TARGET_VENDOR: Record<TextTarget, Vendor> = { sigma: 'sigma', eql: 'elastic', kql: 'elastic', spl: 'splunk' };

export function roundTrip(rule: Rule, target: TextTarget): RoundTripResult {
  const partial = (rule.losses?.length ?? 0) > 0;
  const c = convertRule(rule, target);
  if (c.status === 'not-convertible') return { status: 'not-convertible', group: groupOf(c.reasons[0] ?? 'unknown'), detail: c.reasons[0], partial };
  const back = reread(c.text, target, rule);
  if (back.error || !back.tree) return { status: 'reparse-error', group: 'the output does not read back', detail: back.error, partial, text: c.text };
  const a = sourceTree(rule, target);
  const b = back.tree;
  // the query languages are compared in their targets' data, where a field with no value is absent
  const options = { nullIsAbsent: target !== 'sigma' };
  const na = normalForm(a, options);
  const nb = normalForm(b, options);
  const sa = JSON.stringify(na);
  const sb = JSON.stringify(nb);
  if (sa !== sb) {
    const renamed = reportedRenames(c.reasons);
    if (renamed.size && JSON.stringify(normalForm(renameFields(a, Object.fromEntries(renamed)), options)) === sb) {
      return { status: 'reported', group: 'a field the target names like another (convert reports it)', detail: c.reasons.find((r) => r.startsWith('field name:')), partial, text: c.text };
    }
    return { status: 'differs', group: differenceKind(na, nb), detail: firstDifference(sa, sb), partial, text: c.text };
  }
  if (target === 'eql' && rule.sequence) {
    const s1 = sequenceShape(rule);
    const s2 = back.rule ? sequenceShape(back.rule) : 'none';
    if (s1 !== s2) return { status: 'differs', group: 'sequence structure differs', detail: `${s1} <> ${s2}`, partial, text: c.text };
  }
  return { status: 'equivalent', partial, text: c.text };
}

/** The source's canonical tree as the target prints it (the SPL target also prints a Splunk rule's event selector). */
function sourceTree(rule: Rule, target: TextTarget): Detection {
  // Where the conversion rewrites the rule to keep its events (a Windows Sigma rule on the ECS
  // fields of each source, an Elastic rule's classification as channels and event ids), the
  // reference is the rewritten rule: the text must read back to it.
  const onEcs = target === 'eql' || target === 'kql' ? windowsEcsTree(rule) : undefined;
  if (onEcs && 'tree' in onEcs) return ruleTree(canonicalize({ ...rule, vendor: 'elastic', language: target, detection: onEcs.tree, extra: {}, losses: [] }))!;
  const forSigma = target === 'sigma' && rule.detection ? elasticForWindowsSigma(rule, rule.detection) : undefined;
  if (forSigma) return ruleTree(canonicalize(forSigma.rule))!;
  const canon = canonicalize(rule);
  const tree = ruleTree(canon)!;
  const selector = rule.extra.selector as Detection | undefined;
  if (target === 'spl' && selector) return and([selector, tree]);
  // a Sigma rule's logsource is written as conditions in the query languages (logsource-tree.ts)
  const ls = target === 'sigma' ? undefined : logsourceConditions(rule).tree;
  return ls ? and([ls, tree]) : tree;
}

function reread(text: string, target: TextTarget, source: Rule): Reread {
  const context = (detection: Detection | undefined, extra: Record<string, unknown>, language: string, sequence?: Rule['sequence']): Rule => {
    const r: Rule = { ...source, vendor: TARGET_VENDOR[target], language, extra: { ...source.extra, ...extra }, losses: [] };
    delete r.detection;
    delete r.sequence;
    delete r.extra.sequence;
    if (extra.sequence) r.extra.sequence = extra.sequence;
    if (detection) r.detection = detection;
    if (sequence) r.sequence = sequence;
    return canonicalize(r);
  };
  switch (target) {
    case 'sigma': {
      const r = parseSigmaText(text, 'converted.yml');
      if (r.problems.length) return { error: r.problems.map((p) => `${p.reason}: ${p.message}`).join('; ') };
      if (r.rules.length !== 1 || !r.rules[0].detection) return { error: `${r.rules.length} rules read back` };
      return { tree: r.rules[0].detection, rule: r.rules[0] };
    }
    case 'eql':
    case 'kql': {
      const l = lowerQuery(target === 'eql' ? 'eql' : 'kuery', text);
      if (l.error) return { error: l.error.message };
      const r = context(l.detection, l.extra, target === 'eql' ? 'eql' : 'kuery', l.sequence);
      const tree = ruleTree(r);
      return tree ? { tree, rule: r } : { error: 'no condition read back' };
    }
    case 'spl': {
      const a = analyzeSearch(text, new Map());
      if (!a.parsed) return { error: a.problems.map((p) => `${p.reason}: ${p.message}`).join('; ') || 'does not parse' };
      const r = context(a.detection, {}, 'spl');
      const parts = [a.selector, r.detection].filter((x): x is Detection => x !== undefined);
      return parts.length ? { tree: and(parts) } : { error: 'no condition read back' };
    }
  }
}

/** The fields a conversion reported as read under another name (targets.ts fieldCollisions). */
function reportedRenames(reasons: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of reasons) {
    const m = /^field name: `(.+?)` is written `.+?`, which \S+ reads as (\S+?):/.exec(r);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

function sequenceShape(r: Rule): string {
  const s = r.sequence;
  if (!s) return 'none';
  const keys = (ks: { text: string; optional: boolean }[]): string[] => ks.map((k) => `${k.optional ? '?' : ''}${k.text}`);
  return JSON.stringify([s.kind, keys(s.by), s.maxspanMs ?? null, s.stages.map((st) => [keys(st.by), st.missing, st.runs ?? 1]), s.until ? keys(s.until.by) : null]);
}

/** The first words of a printer's reason (before the first ':'), the group it is counted in. */
function groupOf(reason: string): string {
  const head = reason.split(':')[0].trim();
  return head.length > 60 ? `${head.slice(0, 57)}...` : head;
}

type Shape = unknown;

function leaves(n: Shape, out: Array<unknown[]> = []): Array<unknown[]> {
  if (!Array.isArray(n)) return out;
  if (n[0] === 'and' || n[0] === 'or' || n[0] === 'not') n.slice(1).forEach((c) => leaves(c, out));
  else if (n[0] !== 'unknown') out.push(n);
  return out;
}

/** What kind of difference: the leaves' fields, then operators, values, flags; else the boolean structure. */
export function differenceKind(a: Shape, b: Shape): string {
  const la = leaves(a);
  const lb = leaves(b);
  const set = (xs: Array<unknown[]>, f: (l: unknown[]) => unknown): string => JSON.stringify([...new Set(xs.map((l) => JSON.stringify(f(l))))].sort());
  if (set(la, (l) => l[0]) !== set(lb, (l) => l[0])) return 'field names differ';
  if (set(la, (l) => [l[0], l[1]]) !== set(lb, (l) => [l[0], l[1]])) return 'operators differ';
  if (set(la, (l) => l.slice(0, 3)) !== set(lb, (l) => l.slice(0, 3))) return 'values differ';
  if (set(la, (l) => l) !== set(lb, (l) => l)) return 'case or flags differ';
  return 'boolean structure differs';
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `${a.slice(Math.max(0, i - 80), i + 80)}  <>  ${b.slice(Math.max(0, i - 80), i + 80)}`;
}
