/**
 * Loads security_content macros (macros/*.yml: name, definition, optional arguments) into a
 * macro table. A bad file is a Problem; the rest load.
 */
import type { Problem } from '../../model/index.js';
import { macroKey, type MacroDef, type MacroTable } from '../spl/index.js';
import { loadYamlFolder, type YamlFile } from './yaml-folder.js';

export interface LoadedMacros {
  macros: MacroTable;
  problems: Problem[];
}

export function loadSplunkMacros(dir: string): LoadedMacros {
  const macros: MacroTable = new Map();
  const { files, problems } = loadYamlFolder(dir);
  for (const f of files) {
    const r = macroOf(f);
    if ('reason' in r) {
      problems.push(r);
      continue;
    }
    const key = macroKey(r.name, r.args.length);
    if (macros.has(key)) problems.push({ file: f.file, reason: 'macro-duplicate', message: `macro ${key} is also defined in ${macros.get(key)?.file}` });
    else macros.set(key, r);
  }
  return { macros, problems };
}

export function macroOf({ file, doc: d }: YamlFile): MacroDef | Problem {
  if (typeof d.name !== 'string' || !d.name.trim()) return { file, reason: 'macro-invalid', message: 'macro without a name' };
  if (d.definition === undefined || d.definition === null) return { file, reason: 'macro-invalid', message: `macro ${d.name} has no definition` };
  const args = Array.isArray(d.arguments) ? d.arguments.map((a) => String(a)) : [];
  // A name written as "name(2)" declares its arity itself.
  const name = d.name.trim().replace(/\(\d+\)$/, '');
  return { name, args, definition: String(d.definition), file };
}
