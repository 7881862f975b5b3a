import { loadCatalog, type Catalog } from '../attack/catalog-join.js';
import { loadKnowledgeBaseIfAny, type KnowledgeBase } from '../attack/kb.js';
import { importedReleases } from '../attack/object-diff.js';
import { openCatalog } from '../catalog/open.js';
import { PredicateIndex } from '../catalog/predicate-index.js';
import { SearchIndex } from '../catalog/search-index.js';
import { ruleFacets, type RuleFacet } from '../catalog/rule-facets.js';
import { catalogStats, type CatalogStats } from '../catalog/stats.js';
import type { Db } from '../store/db.js';
import { citedMarkdown } from './cited-markdown.js';
import { Lru } from './lru.js';
import { DbPool } from './pool.js';

/** A rendered answer kept for the next request, with its gzip form (pages of 500 KB shrink ~10x). */
export interface CachedPage {
  body: string;
  gzip: Buffer;
  type: string;
}

export interface WebOptions {
  dbPath: string;
  /** Cache query results and rendered pages (the database is read-only while serving). Default true. */
  cache?: boolean;
  poolSize?: number;
  /** Shown in the page footer, e.g. "bundled examples". */
  label?: string;
}

/**
 * What every request reads: a pool of read-only connections, and what is loaded once at start (the
 * newest ATT&CK release in memory, the catalog's rule index, platform/domain facets, the predicate index,
 * corpus statistics, the search corpus; ATT&CK Markdown is rendered once). Query results and pages are memoized: the database does not change while serving.
 */
export class WebContext {
  /** Query results by key; bounded by count (a technique of 400 rules weighs a few MB). */
  private readonly memoCache = new Lru<Promise<unknown>>(150);
  readonly pageCache = new Lru<CachedPage>(300, 96 << 20);

  private constructor(
    readonly pool: DbPool,
    readonly kb: KnowledgeBase | undefined,
    readonly cat: Catalog,
    readonly facets: Map<string, RuleFacet>,
    /** The catalog's predicates, rules and technique tags in memory: guides and rankings without SQL. */
    readonly index: PredicateIndex,
    readonly stats: CatalogStats,
    /** The search box's corpus, lower-cased: search without scanning the predicates table. */
    readonly search: SearchIndex,
    readonly releases: string[],
    readonly opts: WebOptions,
  ) {}

  static async open(opts: WebOptions): Promise<WebContext> {
    const db = await openCatalog(opts.dbPath);
    try {
      const kb = await loadKnowledgeBaseIfAny(db);
      if (kb) citedMarkdown.prerender(releaseTexts(kb));
      const ctx = new WebContext(
        await DbPool.create(db, opts.poolSize ?? 3), kb, await loadCatalog(db), await ruleFacets(db), await PredicateIndex.load(db),
        await catalogStats(db), await SearchIndex.load(db), await importedReleases(db), opts,
      );
      return ctx;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  get caching(): boolean {
    return this.opts.cache !== false;
  }

  /** Runs `f` on a pooled connection, memoized under `key` when caching. A failed result is not kept. */
  memo<T>(key: string, f: (db: Db) => Promise<T>): Promise<T> {
    return this.cached(key, () => this.pool.use(f));
  }

  /** Memoizes `f` under `key` when caching; `f` takes connections itself (several in parallel with pool.use). */
  cached<T>(key: string, f: () => Promise<T>): Promise<T> {
    if (!this.caching) return f();
    const hit = this.memoCache.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const p = f();
    this.memoCache.set(key, p);
    p.catch(() => this.memoCache.delete(key));
    return p;
  }

  close(): void {
    this.pool.close();
  }
}

/** Every description of a release (objects and relationships): the ATT&CK Markdown its pages show. */
function* releaseTexts(kb: KnowledgeBase): Iterable<string> {
  for (const o of kb.objects.values()) yield o.description;
  for (const rels of kb.out.values()) for (const r of rels) yield r.description;
}
