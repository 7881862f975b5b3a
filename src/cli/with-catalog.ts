/** Opens the catalog named by --db (or the default), runs `f`, always closes it; a missing catalog exits 3. */
import { CatalogUnavailable, openCatalog } from '../catalog/open.js';
import { defaultDbPath } from '../store/db.js';
import { CliError, EXIT_UNREADABLE } from './exit.js';

type Catalog = Awaited<ReturnType<typeof openCatalog>>;

export async function withCatalog<T>(dbPath: string | undefined, f: (db: Catalog) => Promise<T>): Promise<T> {
  let db: Catalog;
  try {
    db = await openCatalog(dbPath ?? defaultDbPath());
  } catch (e) {
    if (e instanceof CatalogUnavailable) throw new CliError(e.message, EXIT_UNREADABLE);
    throw e;
  }
  try {
    return await f(db);
  } finally {
    db.close();
  }
}
