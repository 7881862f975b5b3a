import type { Problem, Rule } from '../../model/index.js';
import { ruleTree, walkPredicates } from '../../model/index.js';
import { walkFiles } from '../../util/walk-files.js';
import { parseElasticFile } from './load.js';

/** Rule types counted by the coverage target (predicates extracted for >= 97% of them). */
export const COVERAGE_TYPES: readonly string[] = ['eql', 'query', 'esql', 'new_terms', 'threshold'];

export interface CorpusStats {
  files: number;
  rules: Rule[];
  problems: Problem[];
  /** Per rule type: rules, and rules with at least one predicate. */
  byType: Record<string, { rules: number; withPredicates: number }>;
  /** Over COVERAGE_TYPES. */
  coverage: { rules: number; withPredicates: number; ratio: number };
  /** Rules of COVERAGE_TYPES without predicates, by reason (problem reason or no_predicates_reason). */
  failures: Record<string, number>;
  /** Files whose parse hit an internal error (a bug). */
  crashes: number;
}

/** Every *.toml below `dir` (sorted, symlinks not followed); unreadable folders go to `problems`. */
export function listTomlFiles(dir: string, problems: Problem[] = []): string[] {
  return walkFiles(dir, (name) => name.endsWith('.toml'), (file, message) => problems.push({ file, reason: 'read-error', message }));
}

export function countPredicates(r: Rule): number {
  let n = 0;
  const tree = ruleTree(r);
  if (tree) walkPredicates(tree, () => n++);
  return n;
}

/** Parses every rule file of a corpus folder and summarises the coverage. */
export function walkElasticCorpus(dir: string): CorpusStats {
  const rules: Rule[] = [];
  const problems: Problem[] = [];
  const files = listTomlFiles(dir, problems);
  const byType: CorpusStats['byType'] = {};
  const failures: Record<string, number> = {};
  for (const f of files) {
    const r = parseElasticFile(f);
    rules.push(...r.rules);
    problems.push(...r.problems);
    for (const rule of r.rules) {
      const t = (byType[rule.type] ??= { rules: 0, withPredicates: 0 });
      t.rules++;
      const has = countPredicates(rule) > 0;
      if (has) t.withPredicates++;
      else if (COVERAGE_TYPES.includes(rule.type)) {
        const why = r.problems.find((p) => p.reason !== 'missing-field')?.reason ?? String(rule.extra.no_predicates_reason ?? 'no predicates');
        failures[why] = (failures[why] ?? 0) + 1;
      }
    }
  }
  let total = 0;
  let withPredicates = 0;
  for (const t of COVERAGE_TYPES) {
    total += byType[t]?.rules ?? 0;
    withPredicates += byType[t]?.withPredicates ?? 0;
  }
  return {
    files: files.length,
    rules,
    problems,
    byType,
    coverage: { rules: total, withPredicates, ratio: total ? withPredicates / total : 1 },
    failures,
    crashes: problems.filter((p) => p.reason === 'internal-error').length,
  };
}
