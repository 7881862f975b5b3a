import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { importAttack } from '../../src/attack/import.js';
import { buildCatalog } from '../../src/catalog/build.js';
import { refreshTechniqueStatus } from '../../src/catalog/technique-status.js';
import { codeFingerprint } from '../../src/catalog/fingerprint.js';
import { openDb } from '../../src/store/db.js';
import { processAlive } from '../../src/util/process-alive.js';

/** The three ATT&CK releases of ../shared, oldest first. */
export const ATTACK_FILES = ['enterprise-attack-17.1.json.gz', 'enterprise-attack-18.0.json.gz', 'enterprise-attack-18.1.json'];

/**
 * The full catalog of the shared corpora (Sigma rules, emerging threats, threat hunting; Elastic rules
 * and building blocks; Splunk; ATT&CK 17.1, 18.0, 18.1), built once into the temporary folder and reused
 * by later test files and benchmarks: the file name is keyed by the shared folder and the code that
 * shapes catalog rows, so a code change builds a new one. Built under a temporary name, then renamed.
 *
 * A deliberate cache across test files (a build takes minutes), bounded: one file per key, its last use
 * kept as its modification time; a build first removes the catalogs of other keys unused for an hour
 * (older code: worktrees of other code running tests now keep theirs) and the half-built files of
 * processes that are gone.
 */
export async function fullCatalog(shared: string): Promise<string> {
  const key = createHash('sha1').update(shared).update(codeFingerprint()).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `${PREFIX}${key}.duckdb`);
  if (existsSync(path)) {
    const now = new Date();
    utimesSync(path, now, now);
    return path;
  }
  pruneFullCatalogs(tmpdir(), Date.now());
  const tmp = `${path}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const c = (p: string): string => join(shared, 'corpora', p);
  const db = await openDb(tmp);
  try {
    await buildCatalog(db, {
      sigma: [c('sigma/rules'), c('sigma/rules-emerging-threats'), c('sigma/rules-threat-hunting')],
      elastic: [c('elastic/rules'), c('elastic/rules_building_block')],
      splunk: [c('splunk')],
    });
    await importAttack(db, ATTACK_FILES.map((f) => join(shared, 'attack', f)), () => undefined);
    await refreshTechniqueStatus(db);
  } finally {
    db.close();
  }
  renameSync(tmp, path);
  return path;
}

const PREFIX = 'detectory-full-catalog-';
const UNUSED_MS = 60 * 60_000;

/** Removes, in `dir`, full catalogs last used over an hour before `now` and the temporary files of builds whose process is gone. */
export function pruneFullCatalogs(dir: string, now: number): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(PREFIX)) continue;
    const file = join(dir, name);
    const build = /^[0-9a-f]+\.duckdb\.(\d+)\.tmp(\.wal)?$/.exec(name.slice(PREFIX.length));
    let stale: boolean;
    if (build) stale = !processAlive(Number(build[1]));
    else if (/^[0-9a-f]+\.duckdb(\.wal)?$/.test(name.slice(PREFIX.length))) {
      try {
        stale = now - statSync(file).mtimeMs > UNUSED_MS;
      } catch {
        continue;
      }
    } else continue;
    if (!stale) continue;
    rmSync(file, { force: true });
    removed.push(name);
  }
  return removed;
}

