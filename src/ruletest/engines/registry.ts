/** The engines `--engines` names, built from the command's options. */
import { clickhouseEngine, type StartCluster } from './clickhouse.js';
import { storeEngine } from './store.js';
import { streamEngine } from './stream.js';
import type { EngineAdapter } from './types.js';

export const ENGINE_NAMES = ['stream', 'duckdb', 'clickhouse'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export const DEFAULT_ENGINES: EngineName[] = ['stream', 'duckdb'];

export interface EngineOptions {
  clickhouseUrl?: string;
  /**
   * Starts a temporary local ClickHouse cluster when no URL is given. src/cluster's startCluster
   * goes here once it is merged; until then the clickhouse engine without a URL fails with NO_CLUSTER.
   */
  startCluster?: StartCluster;
}

export function makeEngine(name: EngineName, opts: EngineOptions): EngineAdapter {
  switch (name) {
    case 'stream':
      return streamEngine();
    case 'duckdb':
      return storeEngine('duckdb', async () => ({ spec: 'duckdb::memory:', fresh: true }));
    case 'clickhouse':
      return clickhouseEngine({ url: opts.clickhouseUrl, startCluster: opts.startCluster });
  }
}
