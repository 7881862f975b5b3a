/**
 * detectory's own rule tests: `<rule>.tests.yml` (or .tests.yaml) next to the rule file
 * `<rule>.yml|.yaml|.toml`. Format (README, "Rule tests"):
 *
 *   rule: <id>            # optional when the rule file beside it holds one rule
 *   tests:
 *     - name: fires on the download
 *       match: true       # every event of the case raises the rule (false: none does)
 *       events: [...]     # inline events (see inline-events.ts)
 *     - name: sample log
 *       data: logs/x.evtx # event file(s), relative to the tests file
 *       match_count: 2    # exactly this many alerts of the rule
 *
 * A case has `match` or `match_count` (one of them), and `events` or `data` (or both).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { yamlData } from '../../formats/yaml-data.js';
import type { Rule } from '../../model/index.js';
import type { DataFile, Expectation, TestCase, TestProblem } from '../types.js';
import { inlineEventDocument } from './inline-events.js';
import { TESTS_FILE } from '../../engine/rules.js';

/** A tests file larger than this is refused (inline events are meant to be a few). */
export const MAX_TESTS_FILE_BYTES = 4 << 20;
const RULE_EXTENSIONS = ['.yml', '.yaml', '.toml'];

export const isTestsFile = (name: string): boolean => TESTS_FILE.test(name);

/** The rule file a tests file sits next to (same stem), if any. */
export function ruleFileFor(testsFile: string): string | undefined {
  const stem = testsFile.replace(TESTS_FILE, '');
  return RULE_EXTENSIONS.map((e) => stem + e).find((f) => existsSync(f));
}

export interface OwnFormatContext {
  /** Rules loaded from a file (by its path as listed). */
  rulesIn(file: string): Rule[];
  /** Where inline events are written (one .jsonl per case). */
  tempDir: string;
  problems: TestProblem[];
}

let written = 0;

export function ownFormatCases(testsFile: string, ctx: OwnFormatContext): TestCase[] {
  const bad = (message: string): TestCase[] => {
    ctx.problems.push({ file: testsFile, reason: 'bad-test', message });
    return [];
  };
  let text: string;
  try {
    const size = statSync(testsFile).size;
    if (size > MAX_TESTS_FILE_BYTES) return bad(`${size} bytes is larger than a tests file can be (${MAX_TESTS_FILE_BYTES})`);
    text = readFileSync(testsFile, 'utf8');
  } catch (e) {
    ctx.problems.push({ file: testsFile, reason: 'unreadable', message: (e as Error).message });
    return [];
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) return bad(`YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const data = yamlData(doc);
  if (!data.ok) return bad(data.message);
  const top = data.data as { rule?: unknown; tests?: unknown } | null;
  if (!top || typeof top !== 'object' || Array.isArray(top)) return bad('not a mapping with `tests`');
  let ruleId: string;
  if (top.rule !== undefined) {
    if (typeof top.rule !== 'string' || top.rule === '') return bad('`rule` is not a rule id');
    ruleId = top.rule;
  } else {
    const ruleFile = ruleFileFor(testsFile);
    if (!ruleFile) return bad(`no rule file next to it (${basename(testsFile).replace(TESTS_FILE, '')}.yml/.yaml/.toml) and no \`rule:\` id`);
    const rules = ctx.rulesIn(ruleFile);
    if (rules.length !== 1) {
      return bad(rules.length === 0 ? `${ruleFile} yields no rule (see its problems)` : `${ruleFile} holds ${rules.length} rules: say which with \`rule: <id>\``);
    }
    ruleId = rules[0].id;
  }
  if (!Array.isArray(top.tests) || top.tests.length === 0) return bad('`tests` is not a non-empty list');
  const out: TestCase[] = [];
  const names = new Set<string>();
  top.tests.forEach((t: unknown, i: number) => {
    const where = `tests[${i}]`;
    if (!t || typeof t !== 'object' || Array.isArray(t)) return void bad(`${where}: not a mapping`);
    const c = t as Record<string, unknown>;
    const name = typeof c.name === 'string' && c.name !== '' ? c.name : `case ${i + 1}`;
    if (names.has(name)) return void bad(`${where}: a second case named '${name}'`);
    names.add(name);
    const expect = expectation(c);
    if (typeof expect === 'string') return void bad(`${where} (${name}): ${expect}`);
    const files: DataFile[] = [];
    if (c.data !== undefined) {
      const list = typeof c.data === 'string' ? [c.data] : c.data;
      if (!Array.isArray(list) || list.length === 0 || list.some((d) => typeof d !== 'string' || d === '')) return void bad(`${where} (${name}): \`data\` is not a file or a list of files`);
      for (const d of list as string[]) {
        const p = resolve(dirname(testsFile), d);
        if (!existsSync(p)) return void bad(`${where} (${name}): data ${d} not found`);
        files.push({ path: p, label: p });
      }
    }
    if (c.events !== undefined) {
      if (!Array.isArray(c.events) || c.events.length === 0) return void bad(`${where} (${name}): \`events\` is not a non-empty list`);
      const lines: string[] = [];
      for (const [k, e] of c.events.entries()) {
        const d = inlineEventDocument(e, k + 1);
        if (typeof d === 'string') return void bad(`${where} (${name}): events[${k}]: ${d}`);
        lines.push(JSON.stringify(d));
      }
      const path = join(ctx.tempDir, `inline-${++written}.jsonl`);
      writeFileSync(path, lines.join('\n') + '\n');
      files.push({ path, label: `${testsFile} [${name}]` });
    }
    if (files.length === 0) return void bad(`${where} (${name}): no \`events\` and no \`data\``);
    out.push({ ruleId, definedIn: testsFile, name, source: 'detectory', data: files, expect });
  });
  return out;
}

function expectation(c: Record<string, unknown>): Expectation | string {
  const hasMatch = c.match !== undefined;
  const hasCount = c.match_count !== undefined;
  if (hasMatch === hasCount) return 'give either `match: true|false` or `match_count: N`';
  if (hasMatch) {
    if (typeof c.match !== 'boolean') return '`match` is true or false';
    return c.match ? { kind: 'all' } : { kind: 'none' };
  }
  if (!Number.isSafeInteger(c.match_count) || (c.match_count as number) < 0) return '`match_count` is not a count';
  return { kind: 'count', n: c.match_count as number };
}
