/**
 * One detection's SPL: expand macros, parse the pipeline, lower it to a predicate tree, split the
 * event selector off, and say where each predicate came from. Problems carry offsets into the
 * authored query; the caller turns them into file positions.
 */
import { walkPredicates, type Detection, type Loss, type Predicate } from '../../model/index.js';
import { expandMacros, lowerPipeline, parsePipeline, splitSelector, type LowerOptions, type MacroTable, type PredicateOrigin, type Stage } from '../spl/index.js';

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
  unlowered: { offset: number; command: string; what: string; reason: string; text: string }[];
  /** Subsearches of command stages (join, append, map...), their text and their own predicate tree. */
  subsearches: { command: string; offset: number; text: string; inTree: boolean; detection?: Detection; error?: string }[];
  /** Conditions of the search that are not (exactly) in `detection`: unknown nodes and subsearches. */
  losses: Loss[];
  /** The search has at least one filtering clause beyond a bare `*`. */
  hasFilterClause: boolean;
  parsed: boolean;
}

export function analyzeSearch(query: string, macros: MacroTable, opts: LowerOptions = {}): AnalyzedSearch {
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
    subsearches: [],
    losses: [],
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
  const low = lowerPipeline(parsed.pipeline, macroAt, exp.text, 0, opts);
  out.datamodels = low.datamodels;
  out.unlowered = low.unlowered.map((u) => ({ offset: at(u.offset), command: u.command, what: u.what, reason: u.reason, text: u.text }));
  out.subsearches = low.subsearches.map((s) => ({
    command: s.command, offset: at(s.offset), text: s.text, inTree: s.inTree, ...(s.detection ? { detection: s.detection } : {}), ...(s.error ? { error: s.error } : {}),
  }));
  const fromMacro = (off: number): string => {
    const m = macroAt(off);
    return m ? ` (in the expansion of macro \`${m}\`)` : '';
  };
  // a loss quotes the authored query when the condition's both ends are authored text (macro calls
  // inside it stay calls), else the expanded text, and the detail names the macro
  const authored = (start: number, end: number, expanded: string): string =>
    end > start && !macroAt(start) && !macroAt(end - 1) && exp.text.slice(start, end) === expanded ? query.slice(at(start), at(end - 1) + 1) : expanded;
  for (const u of low.unlowered) {
    out.losses.push({ text: authored(u.offset, u.offset + u.text.length, u.text), reason: u.reason, offset: at(u.offset), detail: `${u.what}: kept as an unknown node${fromMacro(u.offset)}` });
  }
  for (const s of low.subsearches) {
    const n = s.detection ? countPredicates(s.detection) : 0;
    if (s.inTree) {
      out.losses.push({
        text: authored(s.offset, s.end, s.text), reason: 'join-subsearch', offset: at(s.offset),
        detail: `the inner join's subsearch conditions (${n} predicate(s)) are in the tree as an and-branch: they test the joined events; `
          + `the join itself (matching on its fields) is not modeled${fromMacro(s.offset)}`,
      });
      continue;
    }
    out.losses.push({
      text: authored(s.offset, s.end, s.text), reason: 'subsearch', offset: at(s.offset),
      detail: `the ${s.command} subsearch filters other events (${SUBSEARCH_ROLE[s.command] ?? 'combined with the results'}); `
        + `its conditions are not in the tree${n ? ` (${n} predicate(s) lowered apart in extra.subsearches)` : s.error ? ` (${s.error})` : ''}${fromMacro(s.offset)}`,
    });
  }
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

/** What a subsearch does to the main search's results, by command. */
const SUBSEARCH_ROLE: Readonly<Record<string, string>> = {
  join: 'joined to the results on the join fields',
  append: 'appended as more rows',
  appendcols: 'appended as more columns',
  appendpipe: 'run over the results and appended',
  map: 'run once per result row',
  union: 'merged with the results',
  multisearch: 'run beside the main search',
};

function countPredicates(d: Detection): number {
  let n = 0;
  walkPredicates(d, () => n++);
  return n;
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
