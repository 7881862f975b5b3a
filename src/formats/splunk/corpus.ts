/**
 * A whole security_content checkout: macros/ loaded once, then every detections/**\/*.yml parsed.
 * Never throws; every file yields a rule or a problem.
 */
import { join } from 'node:path';
import type { Problem, Rule } from '../../model/index.js';
import { loadSplunkMacros, type LoadedMacros } from './macros.js';
import { parseSplunkFile } from './rule.js';
import { walkSplunkDetections } from './walk.js';

export interface SplunkCorpus {
  rules: Rule[];
  problems: Problem[];
  macros: LoadedMacros;
  files: number;
}

export function parseSplunkCorpus(root: string): SplunkCorpus {
  const macros = loadSplunkMacros(join(root, 'macros'));
  const problems: Problem[] = [...macros.problems];
  const files = walkSplunkDetections(join(root, 'detections'), problems);
  const rules: Rule[] = [];
  for (const f of files) {
    const r = parseSplunkFile(f, macros.macros);
    rules.push(...r.rules);
    problems.push(...r.problems);
  }
  return { rules, problems, macros, files: files.length };
}
