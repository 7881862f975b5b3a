/**
 * Rule files and rule sets without their parsers: which files are rules (Sigma .yml/.yaml, Elastic
 * .toml), and the rule set of parsed files with Sigma filters applied. A scan from the rule cache
 * needs only this (the parsers, YAML and TOML libraries are loaded when a file must be parsed: rules.ts).
 */
import { extname } from 'node:path';
import { collectFiles } from '../util/walk-files.js';
import { type Detection, type Problem, type Rule, and, not } from '../model/index.js';
import type { ParseResult } from '../formats/sigma/index.js';
import { ruleKeys } from './correlation.js';

export interface RuleSet {
  detections: Rule[];
  correlations: Rule[];
  filters: Rule[];
  /** Elastic rules (.toml): run by the Elastic runner (engine/elastic) on ECS documents. */
  elastic: Rule[];
  problems: Problem[];
  files: number;
}

const RULE_EXTENSIONS = ['.yml', '.yaml', '.toml'];

export const isElasticRuleFile = (file: string): boolean => extname(file).toLowerCase() === '.toml';

/** `<rule>.tests.yml` beside a rule holds its tests (detectory test), not a rule. */
export const TESTS_FILE = /\.tests\.ya?ml$/i;

export function listRuleFiles(paths: string[], problems: Problem[]): string[] {
  return collectFiles(paths, (name) => RULE_EXTENSIONS.includes(extname(name).toLowerCase()) && !TESTS_FILE.test(name),
    (file, message) => problems.push({ file, reason: 'unreadable', message }));
}

/** The rule set of parsed files (in file order), after `problems` met while listing them. */
export function assembleRuleSet(results: ParseResult[], problems: Problem[], files: number, elastic: Rule[] = []): RuleSet {
  const all: Rule[] = [];
  for (const r of results) {
    all.push(...r.rules);
    problems.push(...r.problems);
  }
  const detections = all.filter((r) => r.type === 'detection');
  const correlations = all.filter((r) => r.type === 'correlation');
  const filters = all.filter((r) => r.type === 'filter');
  applyFilters(detections, filters, problems);
  return { detections, correlations, filters, elastic, problems, files };
}

/**
 * A Sigma filter adds `and not (filter)` to each rule it names (by id or name) whose logsource it
 * shares. A filter that names no loaded rule is reported.
 */
export function applyFilters(rules: Rule[], filters: Rule[], problems: Problem[]): void {
  const byRef = new Map<string, Rule[]>();
  for (const r of rules) {
    for (const key of ruleKeys(r)) {
      const l = byRef.get(key) ?? [];
      l.push(r);
      byRef.set(key, l);
    }
  }
  for (const f of filters) {
    const targets = (f.extra.filterRules as string[]).flatMap((ref) => byRef.get(ref) ?? []);
    const applied = targets.filter((r) => sameLogsource(r, f));
    if (applied.length === 0) {
      problems.push({ file: f.path, reason: 'filter-unused', message: `filter '${f.title}' names no loaded rule with its logsource` });
      continue;
    }
    for (const r of applied) {
      // One flat `and`: a rule named by thousands of filters must not become a tree thousands deep.
      const d = r.detection as Detection;
      r.detection = and([...(d.kind === 'and' ? d.children : [d]), not(f.detection as Detection)]);
      r.extra.filters = [...((r.extra.filters as string[]) ?? []), f.id];
    }
  }
}

function sameLogsource(r: Rule, f: Rule): boolean {
  const a = r.logsource;
  const b = f.logsource;
  return (!b.product || a.product === b.product) && (!b.category || a.category === b.category) && (!b.service || a.service === b.service);
}
