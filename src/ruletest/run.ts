/**
 * `detectory test`: find the cases (SigmaHQ info.yml under --data, <rule>.tests.yml beside the
 * rules), run the rules they name on every engine over every data file once (files with the same
 * content are one file), then judge each case on each engine and compare the engines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileHash } from '../store/duckdb/ingest.js';
import type { Rule } from '../model/index.js';
import { findInfoFiles, regressionCases } from './discover/sigma-regression.js';
import { ownFormatCases } from './discover/own-format.js';
import { loadRulesUnderTest, rulesToRun } from './load-rules.js';
import { caseResult, judge } from './verdict.js';
import { EngineError, type EngineAdapter, type EngineHit, type EngineRun } from './engines/types.js';
import type { CaseResult, EngineVerdict, EventRef, TestCase, TestProblem } from './types.js';

export interface TestRunOptions {
  rulePaths: string[];
  dataDirs: string[];
  engines: EngineAdapter[];
  /** SigmaHQ's match_count is an exact count (default: at least that many, more being a note). */
  strictCount?: boolean;
  /** Every problem (rules, tests files, data, engine notes), one line each, as met. */
  onProblem(line: string): void;
}

export interface EngineSummary {
  name: string;
  seconds: number;
  error?: string;
  files: number;
  events: number;
  alerts: number;
  /** Cases judged pass / fail (error included) / skip on this engine. */
  pass: number;
  fail: number;
  skip: number;
}

export interface TestRunReport {
  results: CaseResult[];
  engines: EngineSummary[];
  rule_files: number;
  rules_loaded: number;
  rule_problems: number;
  unreadable_inputs: number;
  /** Tests files and info.yml that could not be used (each reported): they count as failures. */
  bad_tests: number;
  /** SigmaHQ cases whose rule is not among the rules named (not tests of these rules). */
  not_selected: number;
  data_files: number;
  passed: number;
  /** Passed cases with a note (a SigmaHQ match_count below what the rule now matches). */
  noted: number;
  failed: number;
  skipped: number;
  seconds: number;
}

/** Data files by content: the file each engine reads for that content. */
interface DataIndex {
  hashOf: Map<string, string>;
  /** hash -> the one path read. */
  read: Map<string, string>;
  unreadable: Map<string, string>;
}

async function indexData(cases: TestCase[]): Promise<DataIndex> {
  const idx: DataIndex = { hashOf: new Map(), read: new Map(), unreadable: new Map() };
  for (const c of cases) {
    for (const d of c.data) {
      if (idx.hashOf.has(d.path) || idx.unreadable.has(d.path)) continue;
      try {
        const h = await fileHash(d.path);
        idx.hashOf.set(d.path, h);
        if (!idx.read.has(h)) idx.read.set(h, d.path);
      } catch (e) {
        idx.unreadable.set(d.path, (e as Error).message);
      }
    }
  }
  return idx;
}

type Outcome = { run: EngineRun; byRuleFile: Map<string, EngineHit[]> } | { error: string };

export async function runRuleTests(opts: TestRunOptions): Promise<TestRunReport> {
  const t0 = performance.now();
  const problems: TestProblem[] = [];
  const loaded = loadRulesUnderTest(opts.rulePaths);
  for (const p of loaded.problems) opts.onProblem(p);
  const tempDir = mkdtempSync(join(tmpdir(), 'detectory-test-'));
  try {
    const cases: TestCase[] = [];
    for (const f of loaded.testsFiles) cases.push(...ownFormatCases(f, { rulesIn: (file) => loaded.byFile.get(file) ?? [], tempDir, problems }));
    let notSelected = 0;
    for (const info of findInfoFiles(opts.dataDirs, problems)) {
      for (const c of regressionCases(info, problems, opts.strictCount)) {
        if (loaded.byId.has(c.ruleId)) cases.push(c);
        else notSelected++;
      }
    }
    for (const p of problems) opts.onProblem(`${p.file}: ${p.reason}: ${p.message}`);
    const ruleOf = (c: TestCase): Rule | string => {
      const rules = loaded.byId.get(c.ruleId) ?? [];
      if (rules.length === 0) return `rule ${c.ruleId} is not among the rules loaded (see the problems above)`;
      if (rules.length > 1) return `rule id ${c.ruleId} is in ${rules.length} rules (${rules.map((r) => r.path).join(', ')}): which one is tested?`;
      return rules[0];
    };
    const runnable = cases.filter((c) => typeof ruleOf(c) !== 'string');
    const rules = rulesToRun(loaded.set, new Set(runnable.map((c) => c.ruleId)));
    const data = await indexData(runnable);
    const files = [...data.read.values()];

    const outcomes = new Map<string, Outcome>();
    const summaries: EngineSummary[] = [];
    for (const engine of opts.engines) {
      const e0 = performance.now();
      const s: EngineSummary = { name: engine.name, seconds: 0, files: files.length, events: 0, alerts: 0, pass: 0, fail: 0, skip: 0 };
      summaries.push(s);
      // Nothing to run (no case names a loaded rule): the engine is not started.
      if (runnable.length === 0) continue;
      try {
        const run = await engine.run(rules, files);
        for (const n of run.notes) opts.onProblem(`${engine.name}: ${n}`);
        for (const l of run.fileProblems.values()) for (const line of l) opts.onProblem(`${engine.name}: ${line}`);
        const byRuleFile = new Map<string, EngineHit[]>();
        for (const h of run.hits) {
          const k = `${h.ruleId}\0${h.file}`;
          const l = byRuleFile.get(k);
          if (l) l.push(h);
          else byRuleFile.set(k, [h]);
        }
        outcomes.set(engine.name, { run, byRuleFile });
        s.events = [...run.events.values()].reduce((a, b) => a + b, 0);
        s.alerts = run.hits.length;
      } catch (e) {
        const message = e instanceof EngineError ? e.message : `${engine.name}: ${(e as Error).message.split('\n')[0]}`;
        outcomes.set(engine.name, { error: message });
        s.error = message;
        opts.onProblem(message);
      }
      s.seconds = Math.round(performance.now() - e0) / 1000;
    }

    const results: CaseResult[] = [];
    for (const c of cases) {
      const rule = ruleOf(c);
      if (typeof rule === 'string') {
        results.push(caseResult(c, { title: '(not loaded)', path: '' }, opts.engines.map((e) => ({ engine: e.name, status: 'error', message: rule }))));
        continue;
      }
      const verdicts = opts.engines.map((e) => verdictOn(e.name, outcomes.get(e.name)!, c, data));
      results.push(caseResult(c, { title: rule.title, path: rule.path }, verdicts));
    }
    for (const r of results) {
      for (const v of r.verdicts) {
        const s = summaries.find((x) => x.name === v.engine)!;
        if (v.status === 'pass') s.pass++;
        else if (v.status === 'skip') s.skip++;
        else s.fail++;
      }
    }
    const badTests = problems.filter((p) => p.reason === 'bad-test' || p.reason === 'unreadable').length;
    return {
      results,
      engines: summaries,
      rule_files: loaded.set.files,
      rules_loaded: loaded.byId.size,
      rule_problems: loaded.problems.length,
      unreadable_inputs: loaded.unreadable + problems.filter((p) => p.reason === 'unreadable').length,
      bad_tests: badTests,
      not_selected: notSelected,
      data_files: files.length,
      passed: results.filter((r) => r.result === 'pass').length,
      noted: results.filter((r) => r.result === 'pass' && r.verdicts.some((v) => 'note' in v && v.note)).length,
      failed: results.filter((r) => r.result === 'fail').length,
      skipped: results.filter((r) => r.result === 'skip').length,
      seconds: Math.round(performance.now() - t0) / 1000,
    };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

function verdictOn(engine: string, o: Outcome, c: TestCase, data: DataIndex): EngineVerdict {
  if ('error' in o) return { engine, status: 'error', message: o.error };
  const skipped = o.run.skipped.get(c.ruleId);
  if (skipped !== undefined) return { engine, status: 'skip', reason: skipped };
  const events: EventRef[] = [];
  let total = 0;
  for (const d of c.data) {
    const bad = data.unreadable.get(d.path);
    if (bad !== undefined) return { engine, status: 'error', message: `${d.label}: unreadable: ${bad}` };
    const path = data.read.get(data.hashOf.get(d.path)!)!;
    const problems = o.run.fileProblems.get(path);
    if (problems?.length) return { engine, status: 'error', message: `${d.label}: ${problems.length} read problem(s), first: ${problems[0]}` };
    const n = o.run.events.get(path);
    if (n === undefined) return { engine, status: 'error', message: `${d.label}: the engine did not read this file` };
    total += n;
    for (const h of o.byRuleFile.get(`${c.ruleId}\0${path}`) ?? []) {
      events.push({ label: d.label, record_id: h.record_id, timestamp: h.timestamp, event_id: h.event_id });
    }
  }
  return judge(engine, c.expect, events, total);
}
