import type { Command } from 'commander';
import { importAttack } from '../attack/import.js';
import { refreshTechniqueStatus } from '../catalog/technique-status.js';
import { buildCatalog, type BuildSummary } from '../catalog/build.js';
import { withCatalog } from './with-catalog.js';
import { progress } from './progress.js';
import { catalogStats } from '../catalog/stats.js';
import { renderStats } from '../catalog/stats-text.js';
import { formatProblem } from '../model/index.js';
import { safeLine } from '../util/safe-text.js';
import { defaultDbPath, openDb } from '../store/db.js';
import { CliError, EXIT_UNREADABLE } from './exit.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

interface BuildOpts {
  sigma: string[];
  elastic: string[];
  splunk: string[];
  attack: string[];
  db?: string;
  full?: boolean;
}

function summaryLine(s: BuildSummary): string {
  return `catalog: ${s.files} files (${s.parsedFiles} parsed, ${s.reusedFiles} unchanged, ${s.removedFiles} removed), `
    + `${s.rules} rules: ${s.parsed} parsed, ${s.partial} partial, ${s.failed} failed; ${s.problems} parse problems; ${s.seconds.toFixed(1)} s`;
}

async function build(o: BuildOpts): Promise<void> {
  const path = o.db ?? defaultDbPath();
  if (o.sigma.length + o.elastic.length + o.splunk.length + o.attack.length === 0) {
    throw new CliError('catalog build: give at least one of --sigma DIR, --elastic DIR, --splunk DIR, --attack FILE');
  }
  let db;
  try {
    db = await openDb(path);
  } catch (e) {
    throw new CliError(`cannot open ${path}: ${(e as Error).message.split('\n')[0]}`, EXIT_UNREADABLE);
  }
  let unreadable = false;
  try {
    if (o.sigma.length + o.elastic.length + o.splunk.length > 0) {
      const bar = progress();
      const s = await buildCatalog(db, {
        sigma: o.sigma, elastic: o.elastic, splunk: o.splunk, full: o.full,
        onProgress: (done, total) => bar.update(done, total, 'files parsed'),
      });
      bar.done();
      for (const p of s.runProblems) {
        process.stderr.write(`detectory: ${formatProblem(p)}\n`);
        if (p.reason === 'unreadable') unreadable = true;
      }
      process.stdout.write(`${summaryLine(s)}\n`);
      if (s.problems > 0) process.stdout.write(`(${s.problems} parse problems recorded: "detectory catalog stats" for reasons, table parse_problems for each)\n`);
    }
    if (o.attack.length > 0) {
      const a = await importAttack(db, o.attack, (p) => {
        process.stderr.write(`detectory: ${safeLine(`${p.file}: ${p.level}: ${p.message}`)}\n`);
        if (p.unreadable) unreadable = true;
      });
      process.stdout.write(`attack: ${a.releases.map((r) => `${r.release} (${r.objects} objects)`).join(', ') || 'no release'} imported, ${a.failed.length} failed, ${a.problems} problems\n`);
    }
    const t = await refreshTechniqueStatus(db);
    if (t.flagged > 0) {
      process.stdout.write(`techniques: ${t.flagged} of the ${t.ids} technique ids named by rules are revoked, deprecated or unknown in the newest ATT&CK release (table rule_technique_status)\n`);
    }
  } finally {
    db.close();
  }
  if (unreadable) process.exitCode = EXIT_UNREADABLE;
}

async function stats(o: { db?: string; json?: boolean }): Promise<void> {
  await withCatalog(o.db, async (db) => {
    const s = await catalogStats(db);
    process.stdout.write(o.json ? `${JSON.stringify(s, null, 2)}\n` : `${renderStats(s)}\n`);
  });
}

export function registerCatalog(program: Command): void {
  const catalog = program.command('catalog').description('the rule catalog: Sigma, Elastic and Splunk rules in one DuckDB database');
  catalog.command('build')
    .description('parse rule folders into the catalog database (incremental: unchanged files are not parsed again)')
    .option('--sigma <dir>', 'Sigma rules folder (repeatable)', collect, [])
    .option('--elastic <dir>', 'Elastic detection-rules folder (repeatable)', collect, [])
    .option('--splunk <dir>', 'Splunk security_content folder or its detections/ (repeatable; macros/ beside it are expanded)', collect, [])
    .option('--attack <file>', 'ATT&CK STIX bundle, .json or .json.gz, FILE@RELEASE allowed (repeatable, one per release)', collect, [])
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--full', 'parse every file again')
    .action(build);
  catalog.command('stats')
    .description('rules per vendor, parsed / partial / failed with reasons, parse coverage')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--json', 'print JSON')
    .action(stats);
}
