import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** The catalog database: DETECTORY_DB or ./detectory.duckdb. The ATT&CK knowledge base lives in it too. */
export function defaultDbPath(): string {
  return process.env.DETECTORY_DB || './detectory.duckdb';
}

export interface Db {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  path: string;
  close(): void;
}

export async function openDb(path: string = defaultDbPath(), opts: { readOnly?: boolean } = {}): Promise<Db> {
  const instance = await DuckDBInstance.create(path, opts.readOnly ? { access_mode: 'READ_ONLY' } : {});
  const conn = await instance.connect();
  return {
    instance,
    conn,
    path,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
