/** Opens the event store named by `--store` (duckdb:FILE); other kinds are a usage error. */
import { openDb, type Db } from './db.js';
import { parseStore } from './event-schema.js';

export async function openEventStore(spec: string, opts: { readOnly?: boolean } = {}): Promise<Db> {
  const s = parseStore(spec);
  if (s.kind !== 'duckdb') throw new StoreError(`${spec}: ${s.message}`);
  try {
    return await openDb(s.path, opts);
  } catch (e) {
    throw new StoreError(`${spec}: cannot open: ${(e as Error).message.split('\n')[0]}`);
  }
}

export class StoreError extends Error {}
