/**
 * Rules of any vendor from files: .toml is Elastic; .yml/.yaml is Splunk when it has a `search:`
 * key at the top level, else Sigma. Problems come back as values.
 */
import { extname } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Problem, Rule } from '../model/index.js';
import { collectFiles } from '../util/walk-files.js';
import { parseSigmaFile } from '../formats/sigma/index.js';
import { parseElasticFile } from '../formats/elastic/index.js';
import { parseSplunkFile } from '../formats/splunk/index.js';

const EXTENSIONS = ['.yml', '.yaml', '.toml'];

export function readAnyRules(paths: string[]): { rules: Rule[]; problems: Problem[]; files: number } {
  const problems: Problem[] = [];
  const files = collectFiles(paths, (n) => EXTENSIONS.includes(extname(n).toLowerCase()),
    (file, message) => problems.push({ file, reason: 'unreadable', message }));
  const rules: Rule[] = [];
  for (const f of files) {
    const r = extname(f).toLowerCase() === '.toml' ? parseElasticFile(f) : isSplunk(f) ? parseSplunkFile(f) : parseSigmaFile(f);
    rules.push(...r.rules);
    problems.push(...r.problems);
  }
  return { rules, problems, files: files.length };
}

function isSplunk(file: string): boolean {
  try {
    return /^search:/m.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}
