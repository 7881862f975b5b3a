/**
 * Shape checks of what the rule cache reads back (rules, problems, the matcher plan): the file may
 * be damaged or written by someone else, so every value the engine will touch is checked for type
 * and range before use. A failed check throws CacheFormatError naming the first bad value.
 */
import { OPS, type Problem, type Rule } from '../../model/index.js';
import type { MatcherPlan } from '../matcher.js';
import type { LiteralPlan } from '../literals.js';
import { CacheFormatError } from './container.js';

/** Deepest detection tree accepted from a cache file (the Sigma parser bounds its own trees well below). */
const MAX_DEPTH = 10_000;

const bad = (what: string): never => {
  throw new CacheFormatError(`bad ${what}`);
};
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): boolean => v === undefined || isStr(v);
const strList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const intList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);
const isScalar = (v: unknown): boolean => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const OP_SET = new Set<string>(OPS);

export function checkProblems(v: unknown): Problem[] {
  if (!Array.isArray(v)) bad('problem list');
  for (const p of v as unknown[]) {
    if (!isObj(p) || !isStr(p.file) || !isStr(p.reason) || !isStr(p.message) || !optStr(p.where)
      || !(p.line === undefined || isInt(p.line)) || !(p.column === undefined || isInt(p.column))) bad('problem');
  }
  return v as Problem[];
}

/**
 * `computed`: tests of computed values are allowed (Elastic rules): the scan reads their kind only
 * (the Elastic runner refuses such a rule, or skips the node when listing fields), never their value.
 */
function checkDetection(root: unknown, computed = false): void {
  // Iterative: a hostile file cannot exhaust the stack here.
  const stack: unknown[] = [root];
  const depths: number[] = [0];
  while (stack.length) {
    const d = stack.pop();
    const depth = depths.pop()!;
    if (!isObj(d) || depth > MAX_DEPTH) bad('detection node');
    const n = d as Record<string, unknown>;
    switch (n.kind) {
      case 'pred': {
        const f = n.flags;
        if (!(n.field === null || isStr(n.field)) || !(n.authoredField === null || isStr(n.authoredField)) || !isStr(n.op) || !OP_SET.has(n.op)
          || !Array.isArray(n.values) || !n.values.every(isScalar) || !isObj(f)) bad('predicate');
        const fl = f as Record<string, unknown>;
        if (!optStr(fl.regexFlags) || !optStr(fl.timePart) || !optStr(fl.expanded) || !(fl.encodings === undefined || strList(fl.encodings))) bad('predicate flags');
        break;
      }
      case 'and':
      case 'or':
        if (!Array.isArray(n.children)) bad('detection children');
        for (const c of n.children as unknown[]) {
          stack.push(c);
          depths.push(depth + 1);
        }
        break;
      case 'not':
        stack.push(n.child);
        depths.push(depth + 1);
        break;
      case 'const':
        if (typeof n.value !== 'boolean') bad('constant');
        break;
      case 'unknown':
        if (!isStr(n.text) || !isStr(n.reason)) bad('unknown node');
        break;
      case 'computed':
        if (!computed) bad('detection kind');
        break;
      default:
        bad('detection kind');
    }
  }
}

function checkCorrelation(c: unknown): void {
  if (!isObj(c) || !isStr(c.type) || !strList(c.rules) || !strList(c.groupBy) || typeof c.timespanMs !== 'number'
    || typeof c.generate !== 'boolean' || !isObj(c.aliases) || !(c.condition === undefined || isObj(c.condition))) bad('correlation');
  for (const a of Object.values((c as { aliases: Record<string, unknown> }).aliases)) {
    if (!isObj(a) || !Object.values(a).every(isStr)) bad('correlation alias');
  }
}

export function checkRules(v: unknown): Rule[] {
  if (!Array.isArray(v)) bad('rule list');
  for (const r of v as unknown[]) {
    if (!isObj(r) || !isStr(r.id) || !isStr(r.title) || !isStr(r.path) || !isStr(r.type) || !optStr(r.level) || !strList(r.techniques)
      || !strList(r.tactics) || !strList(r.tags) || !isObj(r.logsource) || !isObj(r.extra)) bad('rule');
    const rule = r as Record<string, unknown>;
    const ls = rule.logsource as Record<string, unknown>;
    if (!optStr(ls.product) || !optStr(ls.category) || !optStr(ls.service) || !optStr(ls.definition)) bad('logsource');
    const extra = rule.extra as Record<string, unknown>;
    if (!optStr(extra.name) || !(extra.filterRules === undefined || strList(extra.filterRules)) || !(extra.filters === undefined || strList(extra.filters))) bad('rule extra');
    if (rule.detection !== undefined) checkDetection(rule.detection);
    if (rule.correlation !== undefined) checkCorrelation(rule.correlation);
    if (rule.type === 'correlation' && rule.correlation === undefined) bad('correlation rule');
    if (rule.type === 'filter' && (rule.detection === undefined || extra.filterRules === undefined)) bad('filter rule');
  }
  return v as Rule[];
}

/** At most the EQL analyzer's `with runs=N` (engine/eql/analyze.ts MAX_RUNS): the runner sizes lists by it. */
const MAX_STAGE_RUNS = 100;

function checkStage(st: unknown): void {
  if (!isObj(st) || typeof st.missing !== 'boolean' || !(st.runs === undefined || (isInt(st.runs) && st.runs >= 1 && st.runs <= MAX_STAGE_RUNS))) bad('sequence stage');
  checkDetection((st as Record<string, unknown>).detection, true);
}

const optStrList = (v: unknown): boolean => v === undefined || strList(v);
/** Settings of threshold and new_terms rules: their values are checked by the aggregations (engine/elastic/aggregate.ts), their types here. */
const checkThreshold = (th: unknown): boolean => th === undefined
  || (isObj(th) && optStrList(th.fields) && (th.cardinality === undefined || (Array.isArray(th.cardinality) && th.cardinality.every((c) => isObj(c) && optStr(c.field)))));
const checkNewTerms = (nt: unknown): boolean => nt === undefined || (isObj(nt) && optStrList(nt.fields) && optStr(nt.history_window_start));

/**
 * Elastic rules as a scan keeps them (cache/scan-rule.ts): what the Elastic runner reads (its query
 * text is parsed again, its trees walked, its settings read by the aggregations).
 */
export function checkElasticRules(v: unknown): Rule[] {
  if (!Array.isArray(v)) bad('Elastic rule list');
  for (const r of v as unknown[]) {
    if (!isObj(r) || r.vendor !== 'elastic' || !isStr(r.id) || !isStr(r.title) || !isStr(r.path) || !isStr(r.type) || !isStr(r.language) || !optStr(r.query)
      || !optStr(r.level) || !strList(r.techniques) || !strList(r.tactics) || !strList(r.tags) || !isObj(r.logsource) || !isObj(r.extra)) bad('Elastic rule');
    const rule = r as Record<string, unknown>;
    if (rule.detection !== undefined) checkDetection(rule.detection, true);
    if (rule.sequence !== undefined) {
      const s = rule.sequence;
      if (!isObj(s) || !Array.isArray(s.stages)) bad('sequence');
      for (const st of (s as { stages: unknown[] }).stages) checkStage(st);
      if ((s as Record<string, unknown>).until !== undefined) checkStage((s as Record<string, unknown>).until);
    }
    const extra = rule.extra as Record<string, unknown>;
    if (!optStrList(extra.index) || !optStr(extra.from) || !checkThreshold(extra.threshold) || !checkNewTerms(extra.new_terms)) bad('Elastic rule settings');
  }
  return v as Rule[];
}

function checkLiteralFields(v: unknown): LiteralPlan['fields'] {
  if (!Array.isArray(v)) bad('literal fields');
  for (const f of v as unknown[]) {
    if (!isObj(f) || !isStr(f.field) || typeof f.scan !== 'boolean' || !strList(f.texts) || !intList(f.ids) || !intList(f.automata)) bad('literal field');
  }
  return v as LiteralPlan['fields'];
}

/** The JSON part of a matcher plan (typed arrays are checked by LiteralTable.fromPlan). */
export function checkPlanJson(v: unknown): Omit<MatcherPlan, 'literals'> & { literals: Omit<LiteralPlan, 'automata' | 'also'> & { automata: unknown } } {
  if (!isObj(v) || !isObj(v.literals) || !intList(v.loaded) || !Array.isArray(v.skipped) || !Array.isArray(v.variants)) bad('plan');
  const p = v as Record<string, unknown> & { literals: Record<string, unknown> };
  if (!isInt(p.literals.patternCount) || typeof p.literals.keywordsInFieldAutomata !== 'boolean') bad('literal plan');
  checkLiteralFields(p.literals.fields);
  for (const s of p.skipped as unknown[]) if (!Array.isArray(s) || s.length !== 3 || !isInt(s[0]) || !isStr(s[1]) || !isStr(s[2])) bad('skipped rule');
  for (const x of p.variants as unknown[]) {
    if (!Array.isArray(x) || x.length !== 7 || !isInt(x[0]) || !isInt(x[1]) || !isInt(x[2]) || !isStr(x[3]) || !(x[4] === null || intList(x[4]))
      || !(x[5] === null || intList(x[5])) || !strList(x[6])) bad('plan variant');
  }
  return v as ReturnType<typeof checkPlanJson>;
}
