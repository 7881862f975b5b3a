import { loadCatalog, type Catalog } from '../attack/catalog-join.js';
import { loadKnowledgeBaseIfAny, type KnowledgeBase } from '../attack/kb.js';
import { openCatalog } from '../catalog/open.js';
import { ruleFacets, type RuleFacet } from '../catalog/rule-facets.js';
import type { Db } from '../store/db.js';

/**
 * What every MCP request reads: the catalog opened read-only, the newest ATT&CK release in memory,
 * the rule index and facets (loaded once, like the web server), and the folders the user allowed
 * for event and rule files. Queries run one at a time on the one connection.
 */
export class McpContext {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Db,
    readonly kb: KnowledgeBase | undefined,
    readonly cat: Catalog,
    readonly facets: Map<string, RuleFacet>,
    readonly allowed: string[],
  ) {}

  static async open(dbPath: string, allowed: string[]): Promise<McpContext> {
    const db = await openCatalog(dbPath);
    try {
      const kb = await loadKnowledgeBaseIfAny(db);
      return new McpContext(db, kb, await loadCatalog(db), await ruleFacets(db), allowed);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Runs `f` on the connection after the queries before it. */
  use<T>(f: (db: Db) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => f(this.db));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The knowledge base, or a clear error when the catalog holds no ATT&CK release. */
  needKb(): KnowledgeBase {
    if (!this.kb) throw new Error('this catalog holds no ATT&CK release (detectory catalog build --attack FILE)');
    return this.kb;
  }

  close(): void {
    this.db.close();
  }
}
