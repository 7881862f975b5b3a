import type { Db } from '../store/db.js';

/**
 * Connections to one read-only DuckDB instance, handed out one request at a time (a DuckDB connection
 * runs one query at a time; the query functions run several in a row on the `Db` they get).
 */
export class DbPool {
  private readonly free: Db[] = [];
  private readonly waiting: Array<(db: Db) => void> = [];

  constructor(readonly base: Db, private readonly all: Db[]) {
    this.free.push(...all);
  }

  static async create(base: Db, size: number): Promise<DbPool> {
    const conns: Db[] = [base];
    for (let i = 1; i < size; i++) {
      const conn = await base.instance.connect();
      conns.push({ instance: base.instance, conn, path: base.path, close: () => conn.closeSync() });
    }
    return new DbPool(base, conns);
  }

  async use<T>(f: (db: Db) => Promise<T>): Promise<T> {
    const db = this.free.pop() ?? (await new Promise<Db>((res) => this.waiting.push(res)));
    try {
      return await f(db);
    } finally {
      const next = this.waiting.shift();
      if (next) next(db); else this.free.push(db);
    }
  }

  close(): void {
    for (const d of this.all) if (d !== this.base) d.close();
    this.base.close();
  }
}
