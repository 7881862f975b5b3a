import type { Command } from 'commander';
import { computeGuide } from '../catalog/guide.js';
import { renderGuide } from '../catalog/guide-text.js';
import { withCatalog } from './with-catalog.js';
import { newestAttackRelease } from '../catalog/technique-info.js';
import { CliError } from './exit.js';

async function guide(technique: string, o: { db?: string; json?: boolean }): Promise<void> {
  await withCatalog(o.db, async (db) => {
    const g = await computeGuide(db, technique);
    if (!g) throw new CliError(`guide: "${technique}" is not an ATT&CK technique id (T1216, T1216.001)`);
    // A technique ATT&CK does not name: unknown when ATT&CK is loaded (an error when no rule uses it either).
    const release = g.technique.name === null ? await newestAttackRelease(db) : undefined;
    if (release && g.rules.total === 0) {
      throw new CliError(`guide: unknown technique ${g.technique.id}: not in ATT&CK ${release} (the newest imported release), and no rule of the catalog is tagged with it`);
    }
    process.stdout.write(o.json ? `${JSON.stringify(g, null, 2)}\n` : `${renderGuide(g, release)}\n`);
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
