import type { Problem, Rule, Vendor } from '../model/index.js';
import { canonicalize } from '../taxonomy/pipeline.js';
import type { ParseResult, Parsers } from './parsers.js';
import { fileRows, type FileRows } from './rows.js';

export interface ParsedFile {
  path: string;
  rows: FileRows;
  rules: number;
  problems: number;
}

export function safe<T>(f: () => T, file: string): { value: T } | { error: Problem } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: { file, reason: 'internal-error', message: e instanceof Error ? e.message : String(e) } };
  }
}

export function parserFor(p: Parsers, vendor: Vendor): ((path: string, macros: unknown) => ParseResult) | undefined {
  if (vendor === 'sigma') return p.sigma;
  if (vendor === 'elastic') return p.elastic;
  return p.splunk;
}

/** Macros of several folders: maps and arrays are merged, anything else: the last one wins. */
function mergeMacros(a: unknown, b: unknown): unknown {
  if (a instanceof Map && b instanceof Map) return new Map([...a, ...b]);
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  return b ?? a;
}

/** Loads the Splunk macros of the given folders (problems are those of the macro files). */
export function loadMacros(parsers: Parsers, dirs: readonly string[]): { macros: unknown; problems: Problem[] } {
  let macros: unknown;
  const problems: Problem[] = [];
  if (!parsers.loadSplunkMacros) return { macros, problems };
  for (const dir of dirs) {
    const r = safe(() => parsers.loadSplunkMacros!(dir), dir);
    if ('error' in r) problems.push(r.error);
    else {
      macros = mergeMacros(macros, r.value.macros);
      problems.push(...r.value.problems);
    }
  }
  return { macros, problems };
}

/** Parses one rule file, canonicalizes its rules and turns them into catalog rows. Never throws. */
export function parseFile(parsers: Parsers, vendor: Vendor, path: string, macros: unknown, folder = ''): ParsedFile {
  const parse = parserFor(parsers, vendor);
  const r = parse ? safe(() => parse(path, macros), path) : { error: { file: path, reason: 'parser-unavailable', message: `no ${vendor} parser` } };
  const result: ParseResult = 'error' in r ? { rules: [], problems: [r.error] } : r.value;
  const rules: Rule[] = [];
  const problems = [...result.problems];
  for (const rule of result.rules) {
    const c = safe(() => canonicalize(rule), path);
    if ('error' in c) {
      problems.push(c.error);
      rules.push(rule);
    } else rules.push(c.value);
  }
  return { path, rows: fileRows(vendor, path, rules, problems, folder), rules: rules.length, problems: problems.length };
}
