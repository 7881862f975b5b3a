/** The ClickHouse event store: `clickhouse://HOST:PORT[/DB]`, a server (or cluster) started by `detectory cluster start`. */
import type { ClickHouseClient } from '@clickhouse/client';
import type { RuleSet } from '../../engine/rules.js';
import { StoreError, type EventStore, type HuntOptions, type IngestOptions } from '../types.js';
import { chClient, chMessage, parseChUrl, type ChTarget } from './client.js';
import { chIngest } from './ingest.js';
import { chHunt } from './hunt.js';
import { EVENTS, FILES } from './schema.js';

export class ClickhouseStore implements EventStore {
  readonly kind = 'clickhouse';
  private constructor(readonly spec: string, readonly client: ClickHouseClient, private readonly target: ChTarget) {}

  static async open(spec: string): Promise<ClickhouseStore> {
    const t = parseChUrl(spec);
    const client = chClient(t);
    try {
      const ping = await client.ping();
      if (!ping.success) throw ping.error;
      const rows = await (await client.query({ query: `SELECT name FROM system.tables WHERE database = '${t.db}' AND name IN ('${EVENTS}', '${FILES}')`, format: 'JSONEachRow' })).json();
      if (rows.length < 2) throw new StoreError(`${spec}: no detectory event tables in database ${t.db} (start a cluster with \`detectory cluster start\`)`);
      return new ClickhouseStore(spec, client, t);
    } catch (e) {
      await client.close();
      if (e instanceof StoreError) throw e;
      throw new StoreError(`${spec}: cannot reach the ClickHouse store: ${chMessage(e)}`);
    }
  }

  ingest(paths: string[], opts: IngestOptions = {}) {
    return chIngest(this.client, paths, opts);
  }

  hunt(rules: RuleSet, opts: HuntOptions) {
    return chHunt(this.client, this.target, rules, opts);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
