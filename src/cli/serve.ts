import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CatalogUnavailable } from '../catalog/open.js';
import { defaultDbPath } from '../store/db.js';
import { startServer } from '../web/server.js';
import { CliError, EXIT_UNREADABLE } from './exit.js';

interface ServeOpts {
  db?: string;
  port: string;
  host: string;
  cache: boolean;
}

function port(v: string): number {
  const n = Number(v);
  if (!/^\d{1,5}$/.test(v) || n > 65535) throw new CliError(`serve: --port must be a number from 0 to 65535, not "${v}"`);
  return n;
}

async function serve(o: ServeOpts): Promise<void> {
  const p = port(o.port);
  let dbPath = o.db ?? defaultDbPath();
  let label: string | undefined;
  // the temporary catalog of the bundled examples, removed when serve stops or fails
  let removeExamples = (): void => {};
  if (!o.db && !existsSync(dbPath)) {
    // loaded only here: building pulls in the rule parsers
    const { examplesCatalog } = await import('../web/examples-catalog.js');
    const examples = await examplesCatalog();
    dbPath = examples.path;
    removeExamples = examples.remove;
    label = 'bundled examples';
    process.stderr.write(`detectory: no catalog at ${defaultDbPath()}: serving the bundled example rules (a temporary catalog in ${dbPath}, removed when serve stops); build a full one with "detectory catalog build" and pass --db\n`);
  }
  try {
    await serveUntilStopped(dbPath, p, o, label);
  } finally {
    removeExamples();
  }
}

async function serveUntilStopped(dbPath: string, p: number, o: ServeOpts, label: string | undefined): Promise<void> {
  let served;
  try {
    served = await startServer({ dbPath, host: o.host, port: p, label, cache: o.cache });
  } catch (e) {
    if (e instanceof CatalogUnavailable) throw new CliError(e.message, EXIT_UNREADABLE);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') throw new CliError(`serve: cannot listen on ${o.host}:${p}: ${err.code}`);
    throw e;
  }
  process.stdout.write(`detectory: serving ${dbPath} at ${served.url}/ (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void served.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServe(program: Command): void {
  program.command('serve')
    .description('web UI and JSON API (/api/...) over the catalog and ATT&CK; without a database, the bundled examples')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--port <n>', 'port', '8080')
    .option('--host <addr>', 'address to bind (127.0.0.1: this machine only)', '127.0.0.1')
    .addOption(new Option('--no-cache', 'compute every answer from the database (benchmarks of cold requests)').hideHelp())
    .action(serve);
}
