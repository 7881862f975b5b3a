/**
 * Every shard of the store's cluster as its own client, so that hunt statements run on each
 * shard's local table at once instead of through the Distributed table: there the server that
 * receives the query analyses it twice (for the query, then for its own shard) and merges, while
 * every other shard analyses it once; 18.16's analysis of a batch costs more than scanning it
 * on small stores. Found through the Distributed table's cluster (system.clusters: TCP addresses)
 * and each shard's SHARD_HTTP view (schema.ts, created by `detectory cluster start`); each client
 * is checked to be the shard it should be. Any doubt (an older cluster without the view, replicas,
 * a shard that does not answer): undefined, and hunt goes through the Distributed table.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { chString } from '../../backends/clickhouse/literal.js';
import { chClient, type ChTarget } from './client.js';
import { EVENTS, SHARD_HTTP } from './schema.js';

async function rows<T>(client: ClickHouseClient, sql: string): Promise<T[]> {
  return (await client.query({ query: sql, format: 'JSONEachRow' })).json<T>();
}

export async function shardClients(client: ClickHouseClient, t: ChTarget): Promise<ClickHouseClient[] | undefined> {
  return (await shardSet(client, t))?.clients;
}

/** The shards' clients and their TCP addresses (host:port, as remote() takes them), in shard order. */
export async function shardSet(client: ClickHouseClient, t: ChTarget): Promise<{ clients: ClickHouseClient[]; tcp: string[] } | undefined> {
  const opened: ClickHouseClient[] = [];
  const tcp: string[] = [];
  try {
    const [table] = await rows<{ e: string }>(client, `SELECT engine_full AS e FROM system.tables WHERE database = currentDatabase() AND name = '${EVENTS}'`);
    const cluster = /^Distributed\(\s*'?([A-Za-z0-9_]+)'?\s*,/.exec(table?.e ?? '')?.[1];
    if (!cluster) return undefined;
    const shards = await rows<{ shard: number; replica: number; host: string; port: number }>(client,
      `SELECT shard_num AS shard, replica_num AS replica, host_address AS host, port FROM system.clusters WHERE cluster = ${chString(cluster)} ORDER BY shard_num, replica_num`);
    if (shards.length < 2 || shards.some((s) => Number(s.replica) !== 1)) return undefined;
    for (const s of shards) {
      const host = String(s.host).includes(':') ? `[${s.host}]` : String(s.host);
      tcp.push(`${host}:${Number(s.port)}`);
      const [self] = await rows<{ p: number }>(client, `SELECT http_port AS p FROM remote(${chString(tcp[tcp.length - 1])}, ${t.db}, ${SHARD_HTTP})`);
      if (!self) return undefined;
      const c = chClient({ http: `http://${host}:${Number(self.p)}`, db: t.db });
      opened.push(c);
      const [me] = await rows<{ n: number }>(c, `SELECT shard_num AS n FROM system.clusters WHERE cluster = ${chString(cluster)} AND is_local = 1`);
      if (!me || Number(me.n) !== Number(s.shard)) throw new Error('not the shard it names');
    }
    return { clients: opened, tcp };
  } catch {
    await Promise.all(opened.map((c) => c.close()));
    return undefined;
  }
}
