/** `detectory eql QUERY PATH... [--format jsonl|table]`: one EQL query (Elasticsearch dialect) over events. */
import { Command, Option } from 'commander';
import { compileEql } from '../engine/eql/analyze.js';
import type { EqlMatch } from '../engine/eql/plan.js';
import type { SourcedEvent } from '../engine/eql/run-files.js';
import { runEqlOnFiles } from '../engine/eql/run-files.js';
import { getField } from '../engine/eql/values.js';
import { matchObject } from '../engine/eql/match-json.js';
import { formatProblem } from '../model/index.js';
import { CliError, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { renderTable } from './output/table.js';

type Format = 'jsonl' | 'table';

/** Event queries print the event; sequences and samples print their join keys and events. */
export function matchJson(m: EqlMatch<SourcedEvent>, multi: boolean): string {
  return JSON.stringify(matchObject(m, multi));
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(',') : String(v));

function summaryOf(e: SourcedEvent): string {
  for (const f of ['process.command_line', 'dll.path', 'file.path', 'registry.path', 'process.executable', 'message']) {
    const v = getField(e.doc, f.split('.'));
    if (v !== null) return `${f}=${text(v)}`;
  }
  return '';
}

export function registerEql(program: Command): void {
  program
    .command('eql')
    .description('run one EQL query (Elasticsearch dialect) over events: ECS NDJSON, or Windows events (EVTX, JSON) normalized to ECS')
    .argument('<query>', 'the EQL query, e.g. \'process where process.name : "cmd.exe"\'')
    .argument('<paths...>', 'event files or folders (recursive)')
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, jsonl otherwise)').choices(['jsonl', 'table']))
    .action(async (query: string, paths: string[], o: { format?: Format }) => {
      const compiled = compileEql(query);
      if (!compiled.ok) throw new CliError(`eql: query:${compiled.error.line}:${compiled.error.column}: ${compiled.error.message}`, EXIT_USAGE);
      const plan = compiled.plan;
      const multi = plan.kind !== 'event';
      const format: Format = o.format ?? (process.stdout.isTTY ? 'table' : 'jsonl');
      const started = Date.now();
      let problems = 0;
      let unreadable = 0;
      const rows: string[][] = [];
      let n = 0;
      const summary = await runEqlOnFiles(
        plan,
        paths,
        (m) => {
          n++;
          if (format === 'jsonl') {
            process.stdout.write(matchJson(m, multi) + '\n');
            return;
          }
          for (const e of m.events) {
            rows.push([String(n), text(e.doc['@timestamp']), text(getField(e.doc, ['event', 'category'])), text(getField(e.doc, ['host', 'name'])), text(getField(e.doc, ['process', 'name'])), summaryOf(e)]);
          }
        },
        (p) => {
          problems++;
          if (p.reason === 'unreadable' || p.reason === 'not-evtx' || p.reason === 'unsupported-version') unreadable++;
          process.stderr.write(formatProblem(p) + '\n');
        },
      );
      if (format === 'table') process.stdout.write(renderTable(['#', 'timestamp', 'category', 'host', 'process', 'detail'], rows, 80));
      const seconds = ((Date.now() - started) / 1000).toFixed(2);
      const kind = plan.kind === 'event' ? 'events matched' : plan.kind === 'sequence' ? 'sequences' : 'samples';
      process.stderr.write(`${summary.events} events read, ${summary.matches} ${kind}, ${problems} problems, ${seconds} s\n`);
      if (summary.evicted > 0) process.stderr.write(`warning: ${summary.evicted} pending sequences evicted at the state cap\n`);
      if (summary.droppedSampleKeys > 0) process.stderr.write(`warning: ${summary.droppedSampleKeys} events with new sample keys left out at the key cap\n`);
      process.exitCode = unreadable > 0 ? EXIT_UNREADABLE : EXIT_OK;
    });
}
