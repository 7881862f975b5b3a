/** Reads every *.yml / *.yaml file of one folder as a YAML mapping; bad files become Problems. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../../model/index.js';
import { lineColAt } from '../spl/index.js';
import { parseVendorYaml } from './vendor-yaml.js';
import { yamlData } from '../yaml-data.js';

export interface YamlFile {
  file: string;
  doc: Record<string, unknown>;
  /** A notice when the file needed the vendor's lenient YAML reading. */
  notice?: Problem;
}

export function parseYamlMapping(text: string, file: string): YamlFile | Problem {
  const read = parseVendorYaml(text);
  const d = read.doc;
  if (d.errors.length) {
    const e = d.errors[0];
    return { file, ...lineColAt(text, e.pos[0]), reason: 'yaml', message: e.message.split('\n')[0] };
  }
  const data = yamlData(d);
  if (!data.ok) return { file, ...lineColAt(text, data.offset), reason: 'yaml', message: data.message };
  const doc = data.data;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { file, line: 1, column: 1, reason: 'yaml', message: 'the file is not a YAML mapping' };
  const notice: Problem | undefined = read.lenient ? { file, line: 1, column: 1, reason: 'yaml-lenient', severity: 'notice', message: read.lenient } : undefined;
  return { file, doc: doc as Record<string, unknown>, ...(notice ? { notice } : {}) };
}

export function loadYamlFolder(dir: string): { files: YamlFile[]; problems: Problem[] } {
  const files: YamlFile[] = [];
  const problems: Problem[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (e) {
    problems.push({ file: dir, reason: 'unreadable', message: `cannot list the folder: ${(e as Error).message}` });
    return { files, problems };
  }
  for (const n of names) {
    const file = join(dir, n);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ file, reason: 'unreadable', message: (e as Error).message });
      continue;
    }
    const r = parseYamlMapping(text, file);
    if ('doc' in r) {
      files.push(r);
      if (r.notice) problems.push(r.notice);
    }
    else problems.push(r);
  }
  return { files, problems };
}
