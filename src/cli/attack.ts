import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  buildShow, explainMiss, historyReport, importAttack, loadCatalog, loadKnowledgeBase, NoReleaseError, renderHistory, renderShow, resolveInKb, resolveViaOtherReleases,
} from '../attack/index.js';
import { attackDiff, UnknownReleaseError } from '../attack/diff.js';
import { renderDiff } from '../attack/diff-render.js';
import { idPrefix, typesForPrefix } from '../attack/kinds.js';
import { defaultDbPath, openDb, type Db } from '../store/db.js';
import { CliError, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';

/**
 * `detectory attack show ID` and `detectory attack history ID`.
 * Exit codes: 0 shown; 2 the id is not in the release (one line on stderr, says where it is if elsewhere);
 * 3 the database is missing or holds no ATT&CK release.
 */
/** Where verbs print (tests pass their own sink). */
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export const PROCESS_IO: Io = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
};

export function registerAttack(program: Command, io: Io = PROCESS_IO): void {
  const attack = program.command('attack').description('ATT&CK knowledge base: techniques, detection strategies, analytics and their history');

  attack.command('show')
    .description('show an ATT&CK object (T1216, T1216.001, TA0005, AN1288, DET0466, DC0032, M1038, G0007, S0002, C0010) with its relations and catalog rules')
    .argument('<id>', 'ATT&CK id or STIX id')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--release <release>', 'ATT&CK release to read (default: the newest imported)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { db?: string; release?: string; json?: boolean }) => {
      const db = await openExisting(opts.db);
      try {
        const kb = await loadKb(db, opts.release);
        const res = resolveInKb(kb, id) ?? (await resolveViaOtherReleases(db, kb, id));
        if (!res) throw new CliError(await explainMiss(db, kb, id), EXIT_USAGE);
        const rep = buildShow(kb, await loadCatalog(db), res, id);
        io.out(opts.json ? `${JSON.stringify(rep, null, 2)}\n` : renderShow(rep));
      } finally {
        db.close();
      }
    });

  attack.command('history')
    .description('per imported release: present?, modified, version, content hash, and which fields changed')
    .argument('<id>', 'ATT&CK id or STIX id')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { db?: string; json?: boolean }) => {
      const db = await openExisting(opts.db);
      try {
        await loadKb(db); // checks that a release is imported
        const rep = await historyReport(db, id, typesForPrefix(idPrefix(id)));
        if (!rep) throw new CliError(`${id.trim()} is not an ATT&CK id or STIX id in any imported release`, EXIT_USAGE);
        io.out(opts.json ? `${JSON.stringify(rep, null, 2)}\n` : renderHistory(rep));
      } finally {
        db.close();
      }
    });

  attack.command('diff')
    .description('what ATT&CK release TO changed against FROM: techniques, detection strategies and analytics, and the catalog rules whose technique ids are revoked, deprecated or unknown in TO')
    .argument('<from>', 'older imported release, e.g. 17.1')
    .argument('<to>', 'newer imported release, e.g. 18.1')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--json', 'print JSON')
    .action(async (from: string, to: string, opts: { db?: string; json?: boolean }) => {
      const db = await openExisting(opts.db);
      try {
        await loadKb(db); // checks that a release is imported
        const d = await attackDiff(db, from, to).catch((e: unknown) => {
          throw e instanceof UnknownReleaseError ? new CliError(e.message, EXIT_USAGE) : e;
        });
        io.out(opts.json ? `${JSON.stringify(d, null, 2)}\n` : renderDiff(d));
      } finally {
        db.close();
      }
    });

  // Development path until `catalog build --attack` lands; the contract path is catalog build.
  attack.command('import', { hidden: true })
    .argument('<files...>', 'STIX bundles (.json or .json.gz), each optionally FILE@RELEASE')
    .option('--db <file>', 'catalog database')
    .action(async (files: string[], opts: { db?: string }) => {
      const db = await openDb(opts.db ?? defaultDbPath());
      try {
        const s = await importAttack(db, files, (p) => io.err(`detectory: ${p.level}: ${p.file}: ${p.message}\n`));
        for (const r of s.releases) io.out(`${r.release}: ${r.objects} objects, ${r.relationships} relationships (${r.seconds.toFixed(2)} s)\n`);
        io.out(`history rows: ${s.historyRows}; ${s.seconds.toFixed(2)} s\n`);
        if (s.failed.length) process.exitCode = s.failed.some((f) => f.unreadable) ? EXIT_UNREADABLE : EXIT_USAGE;
      } finally {
        db.close();
      }
    });
}

export async function openExisting(path?: string): Promise<Db> {
  const p = path ?? defaultDbPath();
  if (!existsSync(p)) throw new CliError(`database ${p} does not exist; build it with: detectory catalog build --attack FILE --db ${p}`, EXIT_UNREADABLE);
  try {
    return await openDb(p, { readOnly: true });
  } catch (e) {
    throw new CliError(`cannot open database ${p}: ${(e as Error).message.split('\n')[0]}`, EXIT_UNREADABLE);
  }
}

export async function loadKb(db: Db, release?: string): ReturnType<typeof loadKnowledgeBase> {
  try {
    return await loadKnowledgeBase(db, release);
  } catch (e) {
    if (e instanceof NoReleaseError) throw new CliError(e.message, release ? EXIT_USAGE : EXIT_UNREADABLE);
    throw e;
  }
}
