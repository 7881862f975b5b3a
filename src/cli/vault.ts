import type { Command } from 'commander';
import { NoReleaseError } from '../attack/kb.js';
import { exportVault, VaultError } from '../vault/export.js';
import { openExisting, PROCESS_IO, type Io } from './attack.js';
import { CliError, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';

/**
 * `detectory vault export OUTDIR`: a Markdown vault (one note per ATT&CK object and catalog rule).
 * Exit codes: 0 written; 2 OUTDIR unusable (not empty and not a previous vault, without --force);
 * 3 database missing or without ATT&CK.
 */
export function registerVault(program: Command, io: Io = PROCESS_IO): void {
  const vault = program.command('vault').description('Markdown vault export of the ATT&CK knowledge base and the catalog');
  vault.command('export')
    .description('write notes with YAML front matter and [[wiki links]] into OUTDIR (written to a temporary folder, renamed at the end)')
    .argument('<outdir>', 'folder to create (a previous vault there is replaced)')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--release <release>', 'ATT&CK release (default: the newest imported)')
    .option('--force', 'replace OUTDIR even when it is not a previous vault')
    .action(async (outdir: string, opts: { db?: string; release?: string; force?: boolean }) => {
      const db = await openExisting(opts.db);
      try {
        const s = await exportVault(db, outdir, { release: opts.release, force: opts.force });
        io.err(`vault: ${s.notes} notes, ${s.links} links, ATT&CK ${s.release}, ${s.seconds.toFixed(2)} s -> ${s.outDir}\n`);
      } catch (e) {
        if (e instanceof VaultError) throw new CliError(e.message, EXIT_USAGE);
        if (e instanceof NoReleaseError) throw new CliError(e.message, opts.release ? EXIT_USAGE : EXIT_UNREADABLE);
        throw e;
      } finally {
        db.close();
      }
    });
}
