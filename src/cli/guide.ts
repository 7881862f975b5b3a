import type { Command } from 'commander';
import { computeGuide } from '../catalog/guide.js';
import { renderGuide } from '../catalog/guide-text.js';
import { CatalogUnavailable, openCatalog } from '../catalog/open.js';
import { defaultDbPath } from '../store/db.js';
import { CliError, EXIT_UNREADABLE } from './exit.js';

async function guide(technique: string, o: { db?: string; json?: boolean }): Promise<void> {
  let db;
  try {
    db = await openCatalog(o.db ?? defaultDbPath());
  } catch (e) {
    if (e instanceof CatalogUnavailable) throw new CliError(e.message, EXIT_UNREADABLE);
    throw e;
  }
  try {
    const g = await computeGuide(db, technique);
    if (!g) throw new CliError(`guide: "${technique}" is not an ATT&CK technique id (T1216, T1216.001)`);
    process.stdout.write(o.json ? `${JSON.stringify(g, null, 2)}\n` : `${renderGuide(g)}\n`);
  } finally {
    db.close();
  }
}

export function registerGuide(program: Command): void {
  program.command('guide')
    .description('authoring guide for an ATT&CK technique: fields, indicators with corpus reach, exclusions, rules per vendor')
    .argument('<technique>', 'technique id, e.g. T1216 or T1216.001')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--json', 'print JSON (the contract shape)')
    .action(guide);
}
