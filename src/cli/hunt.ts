/** `detectory hunt --store duckdb:FILE --rules PATH... [--since T] [--until T] [--format jsonl|csv|table] [--out FILE]` */
import { Option, type Command } from 'commander';
import { LEVELS, formatProblem } from '../model/index.js';
import { loadRules } from '../engine/rules.js';
import { openEventStore, StoreError, StoreSpecError } from '../store/event-store.js';
import { CliError, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { alertWriter, type AlertFormat } from './output/alerts.js';
import { openOutput } from './output/open-output.js';
import { tableWidth } from './output/terminal-width.js';
import { renderTable } from './output/table.js';
import { noRulesMessage } from './no-rules.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function registerHunt(program: Command): void {
  program
    .command('hunt')
    .description('run Sigma and Elastic rules as SQL over an event store filled by `ingest`')
    .requiredOption('--store <store>', 'event store: duckdb:FILE or clickhouse://HOST:PORT[/DB][?route_groups=0|1][&shared_evaluation=0|1]')
    .requiredOption('--rules <path>', 'Sigma (.yml) or Elastic (.toml) rule file or folder (repeatable)', collect, [])
    .option('--since <time>', 'only events at or after this time (ISO-8601, UTC)')
    .option('--until <time>', 'only events before this time (ISO-8601, UTC)')
    .addOption(new Option('--format <format>', 'alert output format (default: table on a terminal, jsonl otherwise)').choices(['jsonl', 'csv', 'table']))
    .option('--out <file>', 'write alerts to this file instead of standard output')
    .addOption(new Option('--min-level <level>', 'only alerts of this level or higher').choices([...LEVELS]))
    .option('--json', 'print the end summary as one JSON line on standard error')
    .action(async (o: { store: string; rules: string[]; since?: string; until?: string; format?: AlertFormat; out?: string; minLevel?: string; json?: boolean }) => {
      for (const t of [o.since, o.until]) if (t !== undefined && Number.isNaN(Date.parse(t))) throw new CliError(`not a time: ${t}`, EXIT_USAGE);
      const rules = loadRules(o.rules);
      let unreadable = 0;
      for (const p of rules.problems) {
        if (p.reason === 'unreadable') unreadable++;
        process.stderr.write(formatProblem(p) + '\n');
      }
      if (rules.detections.length === 0 && rules.correlations.length === 0 && rules.elastic.length === 0 && unreadable === 0) throw new CliError(noRulesMessage(o.rules, rules.files, {}), EXIT_USAGE);
      let store;
      try {
        store = await openEventStore(o.store, { readOnly: true });
      } catch (e) {
        if (e instanceof StoreError) throw new CliError(e.message, e instanceof StoreSpecError ? EXIT_USAGE : EXIT_UNREADABLE);
        throw e;
      }
      const format: AlertFormat = o.format ?? (process.stdout.isTTY && !o.out ? 'table' : 'jsonl');
      const out = openOutput(o.out);
      const writer = alertWriter(format, (s) => out.write(s), tableWidth(o.out ? undefined : process.stdout));
      try {
        const s = await store.hunt(rules, {
          since: o.since && new Date(Date.parse(o.since)).toISOString().replace('T', ' ').replace('Z', ''),
          until: o.until && new Date(Date.parse(o.until)).toISOString().replace('T', ' ').replace('Z', ''),
          minLevel: o.minLevel,
          onAlert: (a) => writer.write(a),
          onSkip: (r, reason, message) => process.stderr.write(formatProblem({ file: r.path, reason, message: `${r.title}: ${message}` }) + '\n'),
        });
        out.write(writer.end());
        out.close();
        if (o.json) process.stderr.write(JSON.stringify(s) + '\n');
        else process.stderr.write('\n' + renderTable(['hunt', ''], [
          ['rules', s.rules], ['rules run', s.rules_run], ['rules skipped', s.rules_skipped],
          ...Object.entries(s.skipped_by_reason).map(([r, n]): [string, number] => [`  skipped: ${r}`, n]),
          ['alerts', s.alerts], ['seconds', s.seconds],
        ]));
        process.exitCode = unreadable > 0 ? EXIT_UNREADABLE : EXIT_OK;
      } finally {
        await store.close();
      }
    });
}
