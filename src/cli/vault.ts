import type { Command } from 'commander';
import { NoReleaseError } from '../attack/kb.js';
import { exportVault, VaultError } from '../vault/export.js';
import { openExisting, PROCESS_IO, type Io } from './attack.js';
import { CliError, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { join } from 'node:path';
import { safeLine } from '../util/safe-text.js';

/**
 * `detectory vault export OUTDIR`: a Markdown vault (one note per ATT&CK object and catalog rule).
 * Exit codes: 0 written; 2 OUTDIR unusable (not empty and not a previous vault, without --force;
 * a missing parent; nothing can be written there, as under /proc or /sys); 3 database missing or
 * without ATT&CK. Over a previous vault only the notes detectory wrote are replaced.
 */
export function registerVault(program: Command, io: Io = PROCESS_IO): void {
  const vault = program.command('vault').description('Markdown vault export of the ATT&CK knowledge base and the catalog');
  vault.command('export')
    .description('write notes with YAML front matter and [[wiki links]] into OUTDIR (written to a temporary folder, renamed at the end)')
    .argument('<outdir>', 'folder to create, or a previous vault (its notes by detectory are replaced, yours kept)')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--release <release>', 'ATT&CK release (default: the newest imported)')
    .option('--force', 'write into OUTDIR even when it is not a previous vault (nothing there is removed)')
    .action(async (outdir: string, opts: { db?: string; release?: string; force?: boolean }) => {
      const db = await openExisting(opts.db);
      try {
        const s = await exportVault(db, outdir, { release: opts.release, force: opts.force });
        for (const k of s.kept) io.err(`detectory: ${safeLine(`${join(s.outDir, k)}: kept: a note of yours has this name; the export's note was not written`)}\n`);
        for (const t of s.staleRemoved) io.err(`vault: removed ${t}, left by an interrupted export\n`);
        const removed = s.removed ? `, ${s.removed} old notes removed` : '';
        io.err(`vault: ${s.notes} notes, ${s.links} links${removed}, ATT&CK ${s.release}, ${s.seconds.toFixed(2)} s -> ${s.outDir}\n`);
      } catch (e) {
        if (e instanceof VaultError) throw new CliError(e.message, EXIT_USAGE);
        if (e instanceof NoReleaseError) throw new CliError(e.message, opts.release ? EXIT_USAGE : EXIT_UNREADABLE);
        throw e;
      } finally {
        db.close();
      }
    });
}
