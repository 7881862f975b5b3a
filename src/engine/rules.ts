/**
 * Loads rule files (Sigma .yml/.yaml and Elastic .toml, files or folders) into the rules the engine
 * runs: detection rules with their Sigma filters applied, correlation rules and Elastic rules apart.
 * Every file that does not yield a rule is reported with its reason. (Listing and assembling, without
 * the parsers: rule-files.ts.)
 */
import type { Problem, Rule } from '../model/index.js';
import { parseSigmaFile, type Placeholders } from '../formats/sigma/index.js';
import { parseElasticFile } from '../formats/elastic/load.js';
import { assembleRuleSet, isElasticRuleFile, listRuleFiles, type RuleSet } from './rule-files.js';

export { applyFilters, assembleRuleSet, isElasticRuleFile, listRuleFiles, type RuleSet, TESTS_FILE } from './rule-files.js';

/** The Elastic rules of .toml files (parse problems into `problems`). */
export function loadElasticRules(files: string[], problems: Problem[]): Rule[] {
  const out: Rule[] = [];
  for (const f of files) {
    const e = parseElasticFile(f);
    out.push(...e.rules);
    problems.push(...e.problems);
  }
  return out;
}

export function loadRules(paths: string[], opts: { placeholders?: Placeholders } = {}): RuleSet {
  const problems: Problem[] = [];
  const files = listRuleFiles(paths, problems);
  const elastic = loadElasticRules(files.filter(isElasticRuleFile), problems);
  const sigma = files.filter((f) => !isElasticRuleFile(f)).map((f) => parseSigmaFile(f, { placeholders: opts.placeholders }));
  return assembleRuleSet(sigma, problems, files.length, elastic);
}

