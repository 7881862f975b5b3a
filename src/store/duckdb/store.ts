/** The embedded event store: one DuckDB file (or :memory:). */
import { openDb, type Db } from '../db.js';
import type { RuleSet } from '../../engine/rules.js';
import { StoreError, type EventStore, type HuntOptions, type IngestOptions } from '../types.js';
import { ingest } from './ingest.js';
import { hunt } from './hunt.js';

export class DuckdbStore implements EventStore {
  readonly kind = 'duckdb';
  private constructor(readonly spec: string, readonly db: Db) {}

  static async open(spec: string, path: string, opts: { readOnly?: boolean } = {}): Promise<DuckdbStore> {
    try {
      return new DuckdbStore(spec, await openDb(path, opts));
    } catch (e) {
      throw new StoreError(`${spec}: cannot open: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  ingest(paths: string[], opts: IngestOptions = {}) {
    return ingest(this.db.conn, paths, opts);
  }

  hunt(rules: RuleSet, opts: HuntOptions) {
    return hunt(this.db.conn, rules, opts);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
