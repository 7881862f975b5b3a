import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { importAttack } from '../../src/attack/import.js';
import { buildCatalog } from '../../src/catalog/build.js';
import { refreshTechniqueStatus } from '../../src/catalog/technique-status.js';
import { codeFingerprint } from '../../src/catalog/fingerprint.js';
import { openDb } from '../../src/store/db.js';

/** The three ATT&CK releases of ../shared, oldest first. */
export const ATTACK_FILES = ['enterprise-attack-17.1.json.gz', 'enterprise-attack-18.0.json.gz', 'enterprise-attack-18.1.json'];

/**
 * The full catalog of the shared corpora (Sigma rules, emerging threats, threat hunting; Elastic rules
 * and building blocks; Splunk; ATT&CK 17.1, 18.0, 18.1), built once into the temporary folder and reused
 * by later test files and benchmarks: the file name is keyed by the shared folder and the code that
 * shapes catalog rows, so a code change builds a new one. Built under a temporary name, then renamed.
 */
export async function fullCatalog(shared: string): Promise<string> {
  const key = createHash('sha1').update(shared).update(codeFingerprint()).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `detectory-full-catalog-${key}.duckdb`);
  if (existsSync(path)) return path;
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
