/**
 * SigmaHQ's regression layout: a folder per rule under regression_data/ with an info.yml naming the
 * rule (rule_metadata[0].id) and its tests (regression_tests_info: name, type, path, optional
 * match_count), next to the .evtx it names and the same events as .json. Without match_count the rule
 * must fire; with it, at least that many times, more being a note (SigmaHQ's own runner checks only
 * that the rule fires), or exactly that many with `strictCount`. Each case runs on the .evtx and, when present, on the
 * .json beside it (two cases: the same events through both readers).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { yamlData } from '../../formats/yaml-data.js';
import { walkFiles } from '../../util/walk-files.js';
import type { TestCase, TestProblem } from '../types.js';

/** An info.yml larger than this is not one (real ones are under 1 KiB). */
const MAX_INFO_BYTES = 64 << 10;

interface InfoTest {
  name?: unknown;
  type?: unknown;
  path?: unknown;
  match_count?: unknown;
}

/** Every info.yml under the folders (or named directly). */
export function findInfoFiles(dirs: string[], problems: TestProblem[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (e) {
      problems.push({ file: d, reason: 'unreadable', message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message });
      continue;
    }
    if (!isDir) {
      if (basename(d) === 'info.yml') out.push(d);
      continue;
    }
    out.push(...walkFiles(d, (n) => n === 'info.yml', (file, message) => problems.push({ file, reason: 'unreadable', message }), { skipHidden: true }));
  }
  return out;
}

/**
 * The data file an info.yml names: its path is relative to the SigmaHQ checkout's root, so it is
 * looked for next to info.yml first (where SigmaHQ keeps it), then under each parent folder.
 */
export function resolveDataPath(infoFile: string, path: string): string | undefined {
  const here = join(dirname(infoFile), basename(path));
  if (existsSync(here)) return here;
  let dir = dirname(infoFile);
  for (;;) {
    const p = join(dir, path);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function regressionCases(infoFile: string, problems: TestProblem[], strictCount = false): TestCase[] {
  const bad = (message: string): TestCase[] => {
    problems.push({ file: infoFile, reason: 'bad-test', message });
    return [];
  };
  let text: string;
  try {
    const size = statSync(infoFile).size;
    if (size > MAX_INFO_BYTES) return bad(`${size} bytes is larger than an info.yml can be (${MAX_INFO_BYTES})`);
    text = readFileSync(infoFile, 'utf8');
  } catch (e) {
    problems.push({ file: infoFile, reason: 'unreadable', message: (e as Error).message });
    return [];
  }
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return bad(`YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const data = yamlData(doc);
  if (!data.ok) return bad(data.message);
  const info = data.data as { rule_metadata?: unknown; regression_tests_info?: unknown } | null;
  if (!info || typeof info !== 'object') return bad('not a mapping');
  const meta = Array.isArray(info.rule_metadata) ? (info.rule_metadata[0] as { id?: unknown } | undefined) : undefined;
  if (!meta || typeof meta.id !== 'string' || meta.id === '') return bad('rule_metadata[0].id is missing: which rule the test is for');
  // No regression_tests_info (SigmaHQ comments it out for data our readers do not take): nothing to run.
  if (info.regression_tests_info === undefined || info.regression_tests_info === null) return [];
  if (!Array.isArray(info.regression_tests_info)) return bad('regression_tests_info is not a list');
  const out: TestCase[] = [];
  info.regression_tests_info.forEach((t: InfoTest, i) => {
    const where = `regression_tests_info[${i}]`;
    if (!t || typeof t !== 'object' || typeof t.path !== 'string') return void bad(`${where}: no path`);
    if (t.match_count !== undefined && !(Number.isSafeInteger(t.match_count) && (t.match_count as number) >= 0)) {
      return void bad(`${where}: match_count ${JSON.stringify(t.match_count)} is not a count`);
    }
    const name = typeof t.name === 'string' && t.name ? t.name : `test ${i + 1}`;
    const file = resolveDataPath(infoFile, t.path);
    if (!file) return void bad(`${where}: ${t.path} not found next to info.yml nor under its parent folders`);
    const expect = t.match_count === undefined ? { kind: 'fires' as const } : { kind: strictCount ? 'count' as const : 'recorded' as const, n: t.match_count as number };
    const ext = /\.[^./\\]+$/.exec(file)?.[0] ?? '';
    const variants = [file];
    if (ext.toLowerCase() === '.evtx') {
      const json = file.slice(0, -ext.length) + '.json';
      if (existsSync(json)) variants.push(json);
    }
    for (const v of variants) {
      out.push({
        ruleId: meta.id as string,
        definedIn: infoFile,
        name: variants.length > 1 ? `${name} (${v.slice(v.lastIndexOf('.') + 1)})` : name,
        source: 'sigma-regression',
        data: [{ path: v, label: v }],
        expect,
      });
    }
  });
  return out;
}
