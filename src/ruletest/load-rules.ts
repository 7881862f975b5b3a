/** The rules under test: every rule file named (tests files left out), indexed by id and by file. */
import { basename } from 'node:path';
import { formatProblem, type Problem, type Rule } from '../model/index.js';
import { parseSigmaFile } from '../formats/sigma/index.js';
import { assembleRuleSet, isElasticRuleFile, listRuleFiles, loadElasticRules, type RuleSet } from '../engine/rules.js';
import { ruleKeys, referencedRuleKeys } from '../engine/correlation.js';
import { collectFiles } from '../util/walk-files.js';
import { isTestsFile } from './discover/own-format.js';

export interface LoadedRules {
  set: RuleSet;
  byId: Map<string, Rule[]>;
  byFile: Map<string, Rule[]>;
  testsFiles: string[];
  /** Problem lines, and how many were unreadable paths. */
  problems: string[];
  unreadable: number;
}

export function loadRulesUnderTest(paths: string[]): LoadedRules {
  const problems: Problem[] = [];
  const files = listRuleFiles(paths, problems).filter((f) => !isTestsFile(basename(f)));
  // Tests files: in the folders named, and any named directly (unreadable paths were reported above).
  const testsFiles = collectFiles(paths, (n) => isTestsFile(n), () => {}).filter((f) => isTestsFile(basename(f)));
  const elastic = loadElasticRules(files.filter(isElasticRuleFile), problems);
  const sigma = files.filter((f) => !isElasticRuleFile(f)).map((f) => parseSigmaFile(f));
  const set = assembleRuleSet(sigma, problems, files.length, elastic);
  const byId = new Map<string, Rule[]>();
  const byFile = new Map<string, Rule[]>();
  for (const r of [...set.detections, ...set.correlations, ...set.elastic]) {
    byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
    byFile.set(r.path, [...(byFile.get(r.path) ?? []), r]);
  }
  return {
    set,
    byId,
    byFile,
    testsFiles,
    problems: problems.map(formatProblem),
    unreadable: problems.filter((p) => p.reason === 'unreadable').length,
  };
}

/** The rules the tests name, with the rules their correlations read (all engines run this set). */
export function rulesToRun(set: RuleSet, ids: ReadonlySet<string>): RuleSet {
  const correlations = set.correlations.filter((r) => ids.has(r.id));
  // Correlations may read correlations: follow the references until nothing new is added.
  for (let grew = true; grew;) {
    grew = false;
    const refs = referencedRuleKeys(correlations);
    for (const c of set.correlations) {
      if (!correlations.includes(c) && ruleKeys(c).some((k) => refs.has(k))) {
        correlations.push(c);
        grew = true;
      }
    }
  }
  const refs = referencedRuleKeys(correlations);
  return {
    ...set,
    detections: set.detections.filter((r) => ids.has(r.id) || ruleKeys(r).some((k) => refs.has(k))),
    correlations,
    elastic: set.elastic.filter((r) => ids.has(r.id)),
  };
}
