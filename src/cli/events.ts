/**
 * `detectory events PATH... [--format jsonl|ecs]`: decode events only, one JSON object per line: the
 * decoded event (jsonl), or its ECS document as Elastic's Windows integration would index it (ecs).
 */
import { Command, Option } from 'commander';
import { toEcs } from '../events/ecs/index.js';
import { listEventFiles, readEventFile } from '../events/read.js';
import { UNREADABLE_REASONS } from '../events/types.js';
import { formatProblem } from '../model/index.js';
import { EXIT_OK, EXIT_UNREADABLE } from './exit.js';

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('decode events (EVTX, JSON, NDJSON) and print them as JSON lines (--format ecs: as ECS documents)')
    .argument('<paths...>', 'event files or folders (recursive)')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'ecs']).default('jsonl'))
    .option('--recover', 'also decode deleted records carved from .evtx chunk slack (printed after the live ones, marked "recovered": true)')
    .action(async (paths: string[], o: { format: 'jsonl' | 'ecs'; recover?: boolean }) => {
      let unreadable = 0;
      let problems = 0;
      const onProblem = (p: { file: string; where?: string; reason: string; message: string }): void => {
        problems++;
        if (UNREADABLE_REASONS.has(p.reason)) unreadable++;
        process.stderr.write(formatProblem(p) + '\n');
      };
      const { files } = listEventFiles(paths, onProblem);
      let events = 0;
      for (const file of files) {
        for await (const batch of readEventFile(file, onProblem, undefined, o.recover === true)) {
          let chunk = '';
          for (const r of batch) {
            events++;
            const flags = { ...(r.recovered ? { recovered: true } : {}), ...(r.partial ? { partial: true } : {}) };
            const value = o.format === 'ecs' ? toEcs(r) : { file: r.file, record_id: r.recordId ?? null, timestamp: r.timestamp ?? null, ...flags, event: r.event };
            chunk += JSON.stringify(value) + '\n';
          }
          if (!process.stdout.write(chunk)) await new Promise((res) => process.stdout.once('drain', res));
        }
      }
      process.stderr.write(`${files.length} files, ${events} events, ${problems} problems\n`);
      process.exitCode = unreadable > 0 ? EXIT_UNREADABLE : EXIT_OK;
    });
}
