import { existsSync } from 'node:fs';
import { defaultDbPath, openDb, type Db } from '../store/db.js';
import { hasCatalog } from './schema.js';

/** Why the catalog could not be opened (the CLI exits 3 with this line). */
export class CatalogUnavailable extends Error {}

/** Opens an existing catalog database read-only; throws CatalogUnavailable with a clear reason otherwise. */
export async function openCatalog(path: string = defaultDbPath()): Promise<Db> {
  if (!existsSync(path)) throw new CatalogUnavailable(`no catalog database at ${path}: run "detectory catalog build" first (or pass --db FILE)`);
  let db: Db;
  try {
    db = await openDb(path, { readOnly: true });
  } catch (e) {
    throw new CatalogUnavailable(`cannot open ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!(await hasCatalog(db))) {
    db.close();
    throw new CatalogUnavailable(`${path} holds no catalog: run "detectory catalog build" first`);
  }
  return db;
}
