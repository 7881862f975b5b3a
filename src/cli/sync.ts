import type { Command } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultDbPath, openDb } from '../store/db.js';
import { safeLine } from '../util/safe-text.js';
import { DownloadError } from '../sync/download.js';
import { renderSyncReport } from '../sync/report-text.js';
import { SyncError } from '../sync/rule-archive.js';
import { runSync } from '../sync/run.js';
import { SOURCE_NAMES, type SourceName } from '../sync/sources.js';
import { CliError, EXIT_UNREADABLE } from './exit.js';

interface SyncCliOpts {
  cache?: string;
  only?: string;
  from?: string;
  db?: string;
  attackSince?: string;
  json?: boolean;
}

/** DETECTORY_CACHE, else $XDG_CACHE_HOME/detectory, else ~/.cache/detectory. */
export function defaultCacheDir(): string {
  return process.env.DETECTORY_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'detectory');
}

async function sync(o: SyncCliOpts): Promise<void> {
  if (o.only !== undefined && !SOURCE_NAMES.includes(o.only as SourceName)) {
    throw new CliError(`sync: --only must be one of ${SOURCE_NAMES.join(', ')} (got "${o.only}")`);
  }
  const path = o.db ?? defaultDbPath();
  let db;
  try {
    db = await openDb(path);
  } catch (e) {
    throw new CliError(`cannot open ${path}: ${(e as Error).message.split('\n')[0]}`, EXIT_UNREADABLE);
  }
  try {
    const report = await runSync(db, {
      cache: o.cache ?? defaultCacheDir(),
      only: o.only as SourceName | undefined,
      from: o.from,
      attackSince: o.attackSince,
      onProgress: process.stderr.isTTY ? (l) => process.stderr.write(`detectory: ${safeLine(l)}\n`) : undefined,
    });
    for (const p of report.problems) process.stderr.write(`detectory: ${safeLine(p)}\n`);
    process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderSyncReport(report)}\n`);
    if (report.attack.failed.length > 0) process.exitCode = EXIT_UNREADABLE;
  } catch (e) {
    if (e instanceof SyncError || e instanceof DownloadError) throw new CliError(`sync failed, cache and catalog unchanged: ${e.message}`, EXIT_UNREADABLE);
    throw e;
  } finally {
    db.close();
  }
}

export function registerSync(program: Command): void {
  program.command('sync')
    .description('download the newest Sigma, Elastic and Splunk rules and the ATT&CK Enterprise releases not yet loaded, then rebuild the catalog incrementally')
    .option('--cache <dir>', 'cache folder (default: DETECTORY_CACHE or ~/.cache/detectory)')
    .option('--only <source>', `one source: ${SOURCE_NAMES.join('|')}`)
    .option('--from <dir-or-url>', 'a mirror laid out like the upstream locations (see README: "Syncing from a mirror")')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--attack-since <version>', 'oldest ATT&CK release to fetch (default: the oldest loaded; the newest on an empty catalog)')
    .option('--json', 'print the report as JSON')
    .action(sync);
}
