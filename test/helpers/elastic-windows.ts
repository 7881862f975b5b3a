/** The Windows Elastic rules of ../shared/corpora/elastic that the scan's tests run. */
import { join, relative, sep } from 'node:path';
import { listTomlFiles } from '../../src/formats/elastic/corpus.js';
import { parseElasticFile } from '../../src/formats/elastic/load.js';
import type { Rule } from '../../src/model/index.js';

const TYPES = new Set(['eql', 'query', 'threshold', 'new_terms']);

/**
 * The Windows rules of the four types: every rule under rules/windows, and the rules elsewhere
 * (cross-platform, integrations, building blocks...; not _deprecated) tagged "OS: Windows". A file of
 * rules/windows that does not parse is listed in `unparsed`.
 */
export function windowsElasticRules(shared: string): { rules: Rule[]; unparsed: string[] } {
  const root = join(shared, 'corpora', 'elastic');
  const rules: Rule[] = [];
  const unparsed: string[] = [];
  const files = [...listTomlFiles(join(root, 'rules')), ...listTomlFiles(join(root, 'rules_building_block'))];
  for (const f of files) {
    const rel = relative(root, f).split(sep);
    if (rel[1] === '_deprecated') continue;
    const parsed = parseElasticFile(f).rules;
    if (parsed.length === 0 && rel[1] === 'windows') unparsed.push(f);
    for (const r of parsed) {
      if (!TYPES.has(r.type ?? '')) continue;
      if (rel[1] !== 'windows' && !r.tags.some((t) => /^os:\s*windows$/i.test(t))) continue;
      rules.push(r);
    }
  }
  return { rules, unparsed };
}
