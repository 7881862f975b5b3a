/**
 * A `clickhouse://HOST:PORT[/DB][?route_groups=0|1][&shared_evaluation=0|1]` store URL (PORT: the
 * HTTP port) as a client of @clickhouse/client. `route_groups=0`: hunt evaluates every batch over
 * its route's events instead of preparing the route groups (route-groups.ts); the tests use it as
 * the reference. `shared_evaluation=0`: each shard evaluates the route groups' rules over its own
 * combinations instead of one shard per route over all of them (route-evaluation.ts).
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { StoreError } from '../types.js';
import { validDbName } from './schema.js';

export interface ChTarget {
  http: string;
  db: string;
  /** Present when the URL sets it: whether hunt prepares route groups (default true). */
  routeGroups?: boolean;
  /** Present when the URL sets it: whether each route's rules are evaluated once for the cluster (default true). */
  sharedEvaluation?: boolean;
}

/** The options a store URL's query may set, each with its values. */
const URL_OPTIONS: Readonly<Record<string, Readonly<Record<string, boolean>>>> = { route_groups: { 0: false, 1: true }, shared_evaluation: { 0: false, 1: true } };

export function parseChUrl(spec: string): ChTarget {
  const m = /^clickhouse:\/\/([^/:?]+|\[[^\]]+\]):(\d{1,5})(?:\/([^/?#]*))?(?:\?([^#]*))?$/.exec(spec);
  if (!m) throw new StoreError(`${spec}: not a ClickHouse store URL (clickhouse://HOST:PORT[/DB][?route_groups=0|1][&shared_evaluation=0|1])`);
  const db = m[3] || 'default';
  if (!validDbName(db)) throw new StoreError(`${spec}: database name ${JSON.stringify(db)} is not a plain identifier`);
  const t: ChTarget = { http: `http://${m[1]}:${m[2]}`, db };
  for (const [key, value] of new URLSearchParams(m[4] ?? '')) {
    const known = Object.hasOwn(URL_OPTIONS, key) ? URL_OPTIONS[key] : undefined;
    if (!known) throw new StoreError(`${spec}: unknown store URL option ${JSON.stringify(key)} (known: ${Object.keys(URL_OPTIONS).join(', ')})`);
    if (!Object.hasOwn(known, value)) throw new StoreError(`${spec}: ${key} must be ${Object.keys(known).join(' or ')}, not ${JSON.stringify(value)}`);
    if (key === 'route_groups') t.routeGroups = known[value];
    else t.sharedEvaluation = known[value];
  }
  return t;
}

/** Query text may be large (long rule values): 4 MiB, still bounded. */
export const MAX_QUERY_SIZE = 4 << 20;

export function chClient(t: ChTarget, database = t.db): ClickHouseClient {
  return createClient({
    url: t.http,
    database,
    request_timeout: 600_000,
    // Errors are reported by the store, one line each; the client's own log would repeat them with its config.
    log: { level: ClickHouseLogLevel.OFF },
    clickhouse_settings: { max_query_size: String(MAX_QUERY_SIZE), output_format_json_quote_64bit_integers: 0 },
  });
}

/** The first line of a ClickHouse error, without the stack the server appends. */
export function chMessage(e: unknown): string {
  const m = (e as Error).message ?? String(e);
  return m.split('\n')[0].replace(/, e\.what\(\) = DB::Exception.*$/, '').slice(0, 500);
}
