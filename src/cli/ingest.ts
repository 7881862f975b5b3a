/** `detectory ingest PATH... --store duckdb:FILE [--host NAME] [--json]` */
import type { Command } from 'commander';
import { formatProblem } from '../model/index.js';
import { openEventStore, StoreError, StoreSpecError } from '../store/event-store.js';
import { CliError, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { progress } from './progress.js';
import { renderTable } from './output/table.js';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load Windows events (.evtx, .json, .jsonl) into an event store for `hunt`; files already loaded are skipped')
    .argument('<paths...>', 'event files or folders (recursive)')
    .requiredOption('--store <store>', 'event store: duckdb:FILE or clickhouse://HOST:PORT[/DB]')
    .option('--host <name>', 'host name to record with every event (default: the event\'s Computer)')
    .option('--json', 'print the summary as one JSON line on standard error')
    .action(async (paths: string[], o: { store: string; host?: string; json?: boolean }) => {
      let store;
      try {
        store = await openEventStore(o.store);
      } catch (e) {
        if (e instanceof StoreError) throw new CliError(e.message, e instanceof StoreSpecError ? EXIT_USAGE : EXIT_UNREADABLE);
        throw e;
      }
      const bar = progress();
      try {
        const s = await store.ingest(paths, {
          host: o.host,
          onProblem: (p) => { bar.done(); process.stderr.write(formatProblem(p) + '\n'); },
          onFile: (done, total, file, events) => bar.update(done, total, `${events} events  ${file}`),
        });
        bar.done();
        if (o.json) process.stderr.write(JSON.stringify(s) + '\n');
        else process.stderr.write('\n' + renderTable(['ingest', ''], Object.entries(s).map(([k, v]) => [k.replace('_', ' '), v])));
        process.exitCode = s.failed > 0 ? EXIT_UNREADABLE : EXIT_OK;
      } finally {
        await store.close();
      }
    });
}
