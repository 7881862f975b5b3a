/**
 * The ClickHouse engine: the test data ingested into a ClickHouse store and the rules hunted there.
 * The store comes from --clickhouse URL (or DETECTORY_CLICKHOUSE): a store for tests only, since
 * the test data goes into it; without one, a temporary local cluster when a cluster starter is
 * given (src/cluster's startCluster), stopped and removed after the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError, type EngineAdapter } from './types.js';
import { storeEngine } from './store.js';

export interface Cluster {
  url: string;
  stop(): Promise<void>;
}

/** src/cluster's startCluster: N local servers (one shard each) and the clickhouse:// URL of their Distributed table. */
export type StartCluster = (opts: { dir: string; shards: number }) => Promise<Cluster>;

export interface ClickhouseEngineOptions {
  /** clickhouse://HOST:PORT[/DB] of a running store (server or cluster) for tests. */
  url?: string;
  /** Starts a temporary cluster when no URL is given. */
  startCluster?: StartCluster;
  /** Shards of the temporary cluster (default 2, as the acceptance's cluster). */
  shards?: number;
}

export const NO_CLUSTER = 'clickhouse: no cluster (give --clickhouse URL)';

export function clickhouseEngine(opts: ClickhouseEngineOptions): EngineAdapter {
  return storeEngine('clickhouse', async () => {
    if (opts.url) return { spec: opts.url, fresh: false };
    if (!opts.startCluster) throw new EngineError(NO_CLUSTER);
    const dir = mkdtempSync(join(tmpdir(), 'detectory-test-cluster-'));
    let cluster: Cluster;
    try {
      cluster = await opts.startCluster({ dir, shards: opts.shards ?? 2 });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw new EngineError(`clickhouse: cannot start a local cluster: ${(e as Error).message.split('\n')[0]}`);
    }
    return {
      spec: cluster.url,
      fresh: true,
      release: async () => {
        try {
          await cluster.stop();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  });
}
