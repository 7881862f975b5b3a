/**
 * `detectory test RULES... [--data DIR]... [--engines stream,duckdb,clickhouse] [--clickhouse URL] [--junit FILE] [--strict-count] [--json]`:
 * rule tests for CI (src/ruletest). Exit 0: every case passed (or was skipped by an engine that
 * cannot run its rule); 1: a case failed or a tests file is bad; 3: an input is unreadable; 2: usage.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { safeLine } from '../util/safe-text.js';
import { runRuleTests } from '../ruletest/run.js';
import { startCluster } from '../cluster/cluster.js';
import { DEFAULT_ENGINES, ENGINE_NAMES, type EngineName, makeEngine } from '../ruletest/engines/registry.js';
import { junitXml } from '../ruletest/report/junit.js';
import { caseJson, summaryJson } from '../ruletest/report/json.js';
import { failureDetails, resultsTable, summaryTable } from '../ruletest/report/table.js';
import { tableWidth } from './output/terminal-width.js';

/** Exit code when a test fails (the contract has none of its own for it). */
export const EXIT_TEST_FAILED = 1;

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function parseEngines(text: string): EngineName[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new CliError('--engines: name at least one engine (stream, duckdb, clickhouse)', EXIT_USAGE);
  for (const n of names) {
    if (!(ENGINE_NAMES as readonly string[]).includes(n)) throw new CliError(`--engines: unknown engine '${n}' (engines: ${ENGINE_NAMES.join(', ')})`, EXIT_USAGE);
  }
  return [...new Set(names)] as EngineName[];
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run rule tests (SigmaHQ regression info.yml, <rule>.tests.yml) on every engine named; a table, JSON lines or JUnit XML')
    .argument('<rules...>', 'rule files or folders (Sigma .yml, Elastic .toml); <rule>.tests.yml beside a rule holds its tests')
    .option('--data <dir>', 'folder with SigmaHQ regression data (info.yml beside .evtx/.json) (repeatable)', collect, [])
    .option('--engines <list>', `engines, comma-separated: ${ENGINE_NAMES.join(', ')}`, DEFAULT_ENGINES.join(','))
    .option('--clickhouse <url>', 'clickhouse://HOST:PORT[/DB]: a store for tests only, the clickhouse engine ingests the test data into it (default: DETECTORY_CLICKHOUSE)')
    .option('--junit <file>', 'also write JUnit XML to this file')
    .option('--strict-count', "SigmaHQ's match_count is an exact count (default: at least that many; more passes with a note, as SigmaHQ's own runner checks only that the rule fires)")
    .option('--json', 'one JSON line per case, then a summary line, instead of the table')
    .action(async (rules: string[], o: { data: string[]; engines: string; clickhouse?: string; junit?: string; json?: boolean; strictCount?: boolean }) => {
      const names = parseEngines(o.engines);
      const clickhouseUrl = o.clickhouse ?? (process.env.DETECTORY_CLICKHOUSE || undefined);
      if (clickhouseUrl !== undefined && !/^clickhouse:\/\/[^/?#]+/i.test(clickhouseUrl)) throw new CliError(`--clickhouse: not a clickhouse://HOST:PORT[/DB] URL: ${clickhouseUrl}`, EXIT_USAGE);
      const engines = names.map((n) => makeEngine(n, { clickhouseUrl, startCluster }));
      const rep = await runRuleTests({ rulePaths: rules, dataDirs: o.data, engines, strictCount: o.strictCount === true, onProblem: (line) => process.stderr.write(safeLine(line) + '\n') });
      if (rep.results.length === 0 && rep.bad_tests === 0 && rep.unreadable_inputs === 0) {
        throw new CliError(`no tests found: no <rule>.tests.yml beside the rules named${o.data.length ? ' and no info.yml under --data naming one of them' : ' (give SigmaHQ regression data with --data DIR)'}`, EXIT_USAGE);
      }
      if (o.json) {
        for (const r of rep.results) process.stdout.write(caseJson(r) + '\n');
        process.stdout.write(summaryJson(rep) + '\n');
      } else {
        process.stdout.write(resultsTable(rep.results, names, tableWidth(process.stdout)));
        const details = failureDetails(rep.results);
        if (details) process.stdout.write('\n' + details);
        process.stdout.write('\n' + summaryTable(rep));
      }
      if (o.junit) {
        try {
          writeFileSync(o.junit, junitXml(rep.results, rep.seconds));
        } catch (e) {
          throw new CliError(`--junit ${o.junit}: ${(e as Error).message}`, EXIT_UNREADABLE);
        }
      }
      process.exitCode = rep.failed > 0 || rep.bad_tests > 0 ? EXIT_TEST_FAILED : rep.unreadable_inputs > 0 ? EXIT_UNREADABLE : EXIT_OK;
    });
}
