import type { Command } from 'commander';
import { computeGuide } from '../catalog/guide.js';
import { renderGuide } from '../catalog/guide-text.js';
import { withCatalog } from './with-catalog.js';
import { CliError } from './exit.js';

async function guide(technique: string, o: { db?: string; json?: boolean }): Promise<void> {
  await withCatalog(o.db, async (db) => {
    const g = await computeGuide(db, technique);
    if (!g) throw new CliError(`guide: "${technique}" is not an ATT&CK technique id (T1216, T1216.001)`);
    process.stdout.write(o.json ? `${JSON.stringify(g, null, 2)}\n` : `${renderGuide(g)}\n`);
  });
}

export function registerGuide(program: Command): void {
  program.command('guide')
    .description('authoring guide for an ATT&CK technique: fields, indicators with corpus reach, exclusions, rules per vendor')
    .argument('<technique>', 'technique id, e.g. T1216 or T1216.001')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--json', 'print JSON (the contract shape)')
    .action(guide);
}
