import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog } from '../catalog/build.js';
import { EXAMPLE_RULES } from '../cli/paths.js';
import { openDb } from '../store/db.js';

export interface ExamplesCatalog {
  /** The catalog database. */
  path: string;
  /** Removes it and its folder (serve calls it when it stops). */
  remove(): void;
}

/**
 * The embedded default: a small catalog of the bundled example rules (a build takes well under a
 * second), for `detectory serve` when no database exists. Built in a fresh temporary folder, which
 * `remove` deletes: nothing stays behind in the temporary folder.
 */
export async function examplesCatalog(): Promise<ExamplesCatalog> {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-examples-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'examples.duckdb');
  try {
    const db = await openDb(path);
    try {
      await buildCatalog(db, { sigma: [EXAMPLE_RULES], workers: 0 });
    } finally {
      db.close();
    }
  } catch (e) {
    remove();
    throw e;
  }
  return { path, remove };
}
