/**
 * The three rule corpora of a shared folder, read as `convert` reads rules: Sigma strictly (rules*
 * folders), Elastic (rules and rules_building_block), Splunk detections with the corpus's macros.
 * Files that do not read are counted by vendor (they are not in the round-trip rates).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem, Rule, Vendor } from '../model/index.js';
import { parseSigmaFile } from '../formats/sigma/index.js';
import { walkElasticCorpus } from '../formats/elastic/index.js';
import { loadSplunkMacros, parseSplunkFile, walkSplunkDetections } from '../formats/splunk/index.js';
import { walkFiles } from '../util/walk-files.js';

export interface Corpus {
  vendor: Vendor;
  rules: Rule[];
  /** Files or documents that did not read (reason -> count). */
  unread: Record<string, number>;
}

export function sigmaRuleFolders(shared: string): string[] {
  const root = join(shared, 'corpora', 'sigma');
  return readdirSync(root).filter((d) => d.startsWith('rules')).sort().map((d) => join(root, d));
}

export function readCorpora(shared: string, vendors: readonly Vendor[] = ['sigma', 'elastic', 'splunk']): Corpus[] {
  const out: Corpus[] = [];
  const count = (unread: Record<string, number>, problems: Problem[]): void => {
    for (const p of problems) if (p.severity !== 'notice') unread[p.reason] = (unread[p.reason] ?? 0) + 1;
  };
  if (vendors.includes('sigma')) {
    const c: Corpus = { vendor: 'sigma', rules: [], unread: {} };
    for (const dir of sigmaRuleFolders(shared)) {
      for (const f of walkFiles(dir, (n) => /\.ya?ml$/i.test(n), () => undefined)) {
        const r = parseSigmaFile(f);
        c.rules.push(...r.rules);
        count(c.unread, r.problems);
      }
    }
    out.push(c);
  }
  if (vendors.includes('elastic')) {
    const c: Corpus = { vendor: 'elastic', rules: [], unread: {} };
    for (const d of ['rules', 'rules_building_block']) {
      const r = walkElasticCorpus(join(shared, 'corpora', 'elastic', d));
      c.rules.push(...r.rules);
      count(c.unread, r.problems);
    }
    out.push(c);
  }
  if (vendors.includes('splunk')) {
    const root = join(shared, 'corpora', 'splunk');
    const c: Corpus = { vendor: 'splunk', rules: [], unread: {} };
    const macros = existsSync(join(root, 'macros')) ? loadSplunkMacros(join(root, 'macros')).macros : new Map();
    for (const f of walkSplunkDetections(join(root, 'detections'))) {
      const r = parseSplunkFile(f, macros);
      c.rules.push(...r.rules);
    }
    out.push(c);
  }
  return out;
}
