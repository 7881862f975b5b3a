/** `--store` to an event store: `duckdb:FILE` (or a bare path) is embedded; `clickhouse://HOST:PORT[/DB]` a ClickHouse server or cluster. */
import { DuckdbStore } from './duckdb/store.js';
import { StoreSpecError, type EventStore } from './types.js';

export type StoreSpec = { kind: 'duckdb'; path: string } | { kind: 'clickhouse'; url: string } | { kind: 'unsupported'; message: string };

export function parseStore(spec: string): StoreSpec {
  if (spec.startsWith('duckdb:')) return { kind: 'duckdb', path: spec.slice('duckdb:'.length) || ':memory:' };
  if (spec.startsWith('clickhouse://')) return { kind: 'clickhouse', url: spec };
  if (/^[a-z]+:\/\//i.test(spec)) return { kind: 'unsupported', message: `unknown store ${spec}` };
  return { kind: 'duckdb', path: spec };
}

export async function openEventStore(spec: string, opts: { readOnly?: boolean } = {}): Promise<EventStore> {
  const s = parseStore(spec);
  switch (s.kind) {
    case 'duckdb':
      return DuckdbStore.open(spec, s.path, opts);
    case 'clickhouse':
      // Loaded on demand: DuckDB users never load the ClickHouse client.
      return (await import('./clickhouse/store.js')).ClickhouseStore.open(spec);
    case 'unsupported':
      throw new StoreSpecError(`${spec}: ${s.message}`);
  }
}

export { StoreError, StoreSpecError, type EventStore } from './types.js';
