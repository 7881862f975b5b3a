/**
 * The ClickHouse engine: the test data in a database of its own on a ClickHouse server, so that a
 * test run never reads or changes the events already there. The server comes from --clickhouse URL
 * (or DETECTORY_CLICKHOUSE); without one, a temporary local cluster when a cluster starter is given.
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
  /** clickhouse://HOST:PORT[/DB] of a running server or cluster. */
  url?: string;
  /** Starts a temporary cluster when no URL is given. */
  startCluster?: StartCluster;
  /** Shards of the temporary cluster (default 2). */
  shards?: number;
}

export const NO_CLUSTER = 'clickhouse: no cluster (give --clickhouse URL)';

/** The URL with its database replaced by `db` (HOST:PORT kept). */
export function withDatabase(url: string, db: string): string {
  const m = /^(clickhouse:\/\/[^/?#]+)(?:\/[^?#]*)?(.*)$/i.exec(url);
  if (!m) throw new EngineError(`clickhouse: not a clickhouse://HOST:PORT[/DB] URL: ${url}`);
  return `${m[1]}/${db}${m[2]}`;
}

export function clickhouseEngine(opts: ClickhouseEngineOptions): EngineAdapter {
  return storeEngine('clickhouse', async () => {
    // One database per run: the ingest must not mix with events already stored there.
    const db = `detectory_test_${process.pid}_${Date.now().toString(36)}`;
    if (opts.url) return { spec: withDatabase(opts.url, db) };
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
      spec: withDatabase(cluster.url, db),
      release: async () => {
        await cluster.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}
