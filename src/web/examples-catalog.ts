import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog } from '../catalog/build.js';
import { EXAMPLE_RULES } from '../cli/paths.js';
import { openDb } from '../store/db.js';

/**
 * The embedded default: a small catalog of the bundled example rules, built (incrementally) in the
 * temporary folder, for `detectory serve` when no database exists. Returns its path.
 */
export async function examplesCatalog(dir = join(tmpdir(), 'detectory-examples')): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'examples.duckdb');
  const db = await openDb(path);
  try {
    await buildCatalog(db, { sigma: [EXAMPLE_RULES], workers: 0 });
  } finally {
    db.close();
  }
  return path;
}
