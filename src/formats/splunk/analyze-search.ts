/**
 * One detection's SPL: expand macros, parse the pipeline, lower it to a predicate tree, split the
 * event selector off, and say where each predicate came from. Problems carry offsets into the
 * authored query; the caller turns them into file positions.
 */
import { walkPredicates, type Detection, type Predicate } from '../../model/index.js';
import { expandMacros, lowerPipeline, parsePipeline, splitSelector, type MacroTable, type PredicateOrigin, type Stage } from '../spl/index.js';

export interface QueryProblem {
  /** Offset into the authored query. */
  offset: number;
  reason: string;
  message: string;
}

export interface PredicateOriginAt extends Omit<PredicateOrigin, 'offset'> {
  /** Path of the predicate in the rule's detection tree (walkPredicates paths). */
  path: string;
  /** Offset of the condition in the authored query (a macro call's offset for macro-made ones). */
  offset: number;
}

export interface AnalyzedSearch {
  detection?: Detection;
  /** Conditions on where events come from (index, source, sourcetype, eventtype). */
  selector?: Detection;
  problems: QueryProblem[];
  expandedQuery: string;
  datamodels: string[];
  macrosUsed: string[];
  missingMacros: string[];
  /** The `<detection>_filter` macro(s) the search ends with, and whether they were defined. */
  filterMacros: { name: string; defined: boolean }[];
  commands: string[];
  origins: PredicateOriginAt[];
  unlowered: { offset: number; command: string; what: string }[];
  /** The search has at least one filtering clause beyond a bare `*`. */
  hasFilterClause: boolean;
  parsed: boolean;
}

export function analyzeSearch(query: string, macros: MacroTable): AnalyzedSearch {
  const exp = expandMacros(query, macros);
  const at = (off: number): number => exp.originAt(off);
  const macroAt = (off: number): string | undefined => exp.macroAt(off);
  const problems: QueryProblem[] = exp.errors.map((e) => ({ offset: e.offset, reason: e.reason, message: e.message }));
  const isFilter = (n: string): boolean => /_filter$/.test(n);
  const out: AnalyzedSearch = {
    problems,
    expandedQuery: exp.text,
    datamodels: [],
    macrosUsed: [...new Set(exp.used.map((u) => u.name))],
    missingMacros: [...new Set(exp.missing.filter((m) => !isFilter(m.name)).map((m) => m.name))],
    filterMacros: [
      ...exp.used.filter((u) => isFilter(u.name)).map((u) => ({ name: u.name, defined: true })),
      ...exp.missing.filter((u) => isFilter(u.name)).map((u) => ({ name: u.name, defined: false })),
    ],
    commands: [],
    origins: [],
    unlowered: [],
    hasFilterClause: false,
    parsed: false,
  };
  const parsed = parsePipeline(exp.text);
  if (parsed.error || !parsed.pipeline) {
    const e = parsed.error!;
    const inMacro = macroAt(e.offset);
    problems.push({ offset: at(e.offset), reason: e.reason, message: `${e.message}${inMacro ? ` (in the expansion of macro \`${inMacro}\`)` : ''}` });
    out.hasFilterClause = true;
    return out;
  }
  out.parsed = true;
  const stages = parsed.pipeline.stages;
  out.commands = stages.map((s) => (s.kind === 'macro' ? `\`${s.name}\`` : s.command));
  out.hasFilterClause = stages.some(hasFilter);
  const low = lowerPipeline(parsed.pipeline, macroAt);
  out.datamodels = low.datamodels;
  out.unlowered = low.unlowered.map((u) => ({ offset: at(u.offset), command: u.command, what: u.what }));
  for (const u of low.unlowered) {
    const m = /^unexpanded macro `([^`]*)`/.exec(u.what);
    // `<detection>_filter` macros are `search *` by convention: a missing one hides nothing.
    if (m && !isFilter(m[1].trim())) problems.push({ offset: at(u.offset), reason: 'macro-missing', message: `macro \`${m[1]}\` is not defined: its conditions are missing from the predicates` });
  }
  if (low.detection) {
    const { selector, rest } = splitSelector(low.detection);
    if (selector) out.selector = selector;
    if (rest) out.detection = rest;
    if (out.detection) out.origins = originsByPath(out.detection, low.origins, at);
  }
  return out;
}

function hasFilter(s: Stage): boolean {
  switch (s.kind) {
    case 'search':
      return s.expr !== undefined && !(s.expr.kind === 'term' && s.expr.value.text === '*');
    case 'where':
    case 'regex':
      return true;
    case 'tstats':
      return s.where !== undefined;
    default:
      return false;
  }
}

function originsByPath(d: Detection, origins: Map<Predicate, PredicateOrigin>, at: (off: number) => number): PredicateOriginAt[] {
  const out: PredicateOriginAt[] = [];
  walkPredicates(d, (p, path) => {
    const o = origins.get(p);
    if (o) out.push({ ...o, path, offset: at(o.offset) });
  });
  return out;
}
