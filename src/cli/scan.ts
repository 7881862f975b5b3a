/** `detectory scan PATH... [--rules PATH]... [--format jsonl|csv|table] [--out FILE] [--min-level LEVEL]` */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { scan, type ScanSummary } from '../engine/scan.js';
import { defaultCacheDir } from '../engine/cache/cache-dir.js';
import { LEVELS, type Problem } from '../model/index.js';
import type { Placeholders } from '../formats/sigma/index.js';
import { CliError, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { alertWriter, type AlertFormat } from './output/alerts.js';
import { renderTable } from './output/table.js';
import { EXAMPLE_RULES } from './paths.js';
import { progress } from './progress.js';
import { openOutput } from './output/open-output.js';
import { tableWidth } from './output/terminal-width.js';
import { refuseInputAsOutput } from './output/input-guard.js';
import { listEventFiles } from '../events/read.js';
import { listRuleFiles } from '../engine/rule-files.js';
import { noRulesMessage } from './no-rules.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('run Sigma and Elastic rules over Windows events (.evtx, .json, .jsonl/.ndjson files or folders)')
    .argument('<paths...>', 'event files or folders (recursive)')
    .option('--rules <path>', 'Sigma .yml or Elastic .toml rule file or folder (repeatable; default: the bundled examples)', collect, [])
    .addOption(new Option('--format <format>', 'alert output format (default: table on a terminal, jsonl otherwise)').choices(['jsonl', 'csv', 'table']))
    .option('--out <file>', 'write alerts to this file instead of standard output')
    .addOption(new Option('--min-level <level>', 'only alerts of this level or higher').choices([...LEVELS]))
    .option('--placeholders <file>', 'YAML map of placeholder name to list of values, for rules using |expand')
    .option('--threads <n>', 'matching threads (default: every core for inputs of 384 MiB or more on 2 cores, less with more cores, at least 64 MiB; else 1)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('a whole number from 1 to 64');
      return n;
    })
    .option('--no-cache', 'compile the rules without the rule cache ($DETECTORY_CACHE, else $XDG_CACHE_HOME/detectory or ~/.cache/detectory)')
    .option('--json', 'print the end summary as one JSON line on standard error')
    .option('--recover', 'also scan deleted records carved from .evtx chunk slack (their alerts say "recovered": true)')
    .action(async (paths: string[], o: { rules: string[]; format?: AlertFormat; out?: string; minLevel?: string; placeholders?: string; threads?: number; cache: boolean; json?: boolean; recover?: boolean }) => {
      const format: AlertFormat = o.format ?? (process.stdout.isTTY && !o.out ? 'table' : 'jsonl');
      const placeholders = o.placeholders ? await readPlaceholders(o.placeholders) : undefined;
      const rulePaths = o.rules.length ? o.rules : [EXAMPLE_RULES];
      // No rule file at all (and no unreadable path, reported by the scan with exit 3): say so before reading any event.
      // Listed once: the scan reads these (and reports the listing's problems).
      const listProblems: Problem[] = [];
      const ruleFiles = { files: listRuleFiles(rulePaths, listProblems), problems: listProblems };
      if (ruleFiles.files.length === 0 && ruleFiles.problems.length === 0) throw new CliError(noRulesMessage(rulePaths, 0, {}), EXIT_USAGE);
      refuseInputAsOutput(o.out, () => [...listEventFiles(paths, () => {}).files, ...ruleFiles.files, ...(o.placeholders ? [o.placeholders] : [])]);
      const out = openOutput(o.out);
      const writer = alertWriter(format, (s) => out.write(s), tableWidth(o.out ? undefined : process.stdout));
      const bar = progress();
      // Process start to here: Node, the modules, the command line, listing the rule files.
      const startSeconds = Math.round(performance.now() / 10) / 100;
      const summary: ScanSummary = await scan({
        rulePaths,
        ruleFiles,
        eventPaths: paths,
        minLevel: o.minLevel,
        placeholders,
        threads: o.threads,
        cacheDir: o.cache ? defaultCacheDir() : undefined,
        recover: o.recover === true,
        onAlert: (a) => writer.write(a),
        onProblem: (line) => {
          bar.done();
          process.stderr.write(line + '\n');
        },
        onProgress: (p) => bar.update(p.done, p.total, `${p.events} events  ${p.file}`),
      }).catch((e: unknown) => {
        out.discard();
        throw e;
      });
      bar.done();
      // No rule ran: the run was a usage error, and an --out file that was there stays as it was.
      const noRules = summary.rules_loaded === 0 && summary.unreadable_inputs === 0;
      out.write(writer.end());
      let failed: CliError | undefined;
      if (noRules) out.discard();
      else failed = closeOutput(out);
      summary.start_seconds = startSeconds;
      if (o.json) process.stderr.write(JSON.stringify(summary) + '\n');
      else process.stderr.write(renderSummary(summary));
      if (failed) throw failed;
      if (noRules) throw new CliError(noRulesMessage(rulePaths, summary.rule_files, summary.skipped_by_reason), EXIT_USAGE);
      process.exitCode = summary.unreadable_inputs > 0 ? EXIT_UNREADABLE : EXIT_OK;
    });
}

/** Closes the output; a write that failed during the run comes back as the error to end with. */
function closeOutput(out: { close(): void }): CliError | undefined {
  try {
    out.close();
    return undefined;
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
}

async function readPlaceholders(file: string): Promise<Placeholders> {
  const { parse: parseYaml } = await import('yaml');
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`${file}: cannot read placeholders: ${(e as Error).message.split('\n')[0]}`, EXIT_UNREADABLE);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new CliError(`${file}: placeholders must be a map of name to list of values`, EXIT_USAGE);
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]));
}

export function renderSummary(s: ScanSummary): string {
  const rows: Array<[string, string | number]> = [
    ['event files', s.files],
    ['events', s.events],
    ['rule files', s.rule_files],
    ['rules loaded', s.rules_loaded],
    ['rules skipped', s.rules_skipped],
    ...Object.entries(s.skipped_by_reason).sort((a, b) => b[1] - a[1]).map(([r, n]): [string, number] => [`  skipped: ${r}`, n]),
    ['correlation rules', s.correlations],
    ['filters', s.filters],
    ['event problems', s.event_problems],
    ...Object.entries(s.event_problems_by_reason).map(([r, n]): [string, number] => [`  problem: ${r}`, n]),
    ['alerts', s.alerts],
    ['seconds (rule loading)', `${s.seconds} (${s.load_seconds})`],
    ...(s.start_seconds !== undefined ? [['seconds before the scan (start-up)', s.start_seconds] as [string, number]] : []),
    ['threads', s.threads],
    ['events/s after loading', s.seconds > s.load_seconds ? Math.round(s.events / (s.seconds - s.load_seconds)) : '-'],
    ['peak memory MB', s.peak_rss_mb],
  ];
  return '\n' + renderTable(['summary', ''], rows);
}
