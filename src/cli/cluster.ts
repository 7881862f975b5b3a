/** `detectory cluster start|stop|status --dir DIR [--shards N] [--base-port P] [--json]`: a local ClickHouse test cluster. */
import { Command } from 'commander';
import { ClusterError, clusterStatus, readState, startCluster, stopCluster } from '../cluster/cluster.js';
import { CliError, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { renderTable } from './output/table.js';

type Opts = { dir: string; shards?: string; basePort?: string; json?: boolean };

function int(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,6}$/.test(v)) throw new CliError(`${name} must be a whole number, not ${JSON.stringify(v)}`, EXIT_USAGE);
  return Number(v);
}

/** A cluster problem as the contract's one line and exit code. */
async function run(f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (e instanceof ClusterError) throw new CliError(e.message, EXIT_UNREADABLE);
    throw e;
  }
}

export function registerCluster(program: Command): void {
  const cluster = program.command('cluster').description('a local ClickHouse cluster (one server per shard on 127.0.0.1) for `ingest` and `hunt`');
  cluster
    .command('start')
    .description('start the servers (detached), create the event tables on every shard and print the clickhouse:// URL')
    .requiredOption('--dir <dir>', 'folder for configs, data, logs and pids')
    .option('--shards <n>', 'number of shards (default 2)')
    .option('--base-port <port>', 'first of 3 ports per shard (default: free ports)')
    .option('--json', 'print the cluster as JSON')
    .action((o: Opts) => run(async () => {
      const shards = int(o.shards, '--shards');
      const basePort = int(o.basePort, '--base-port');
      const existing = readState(o.dir);
      if (existing && shards !== undefined && shards !== existing.shards.length) {
        throw new CliError(`${o.dir} holds a cluster of ${existing.shards.length} shards, not ${shards}`, EXIT_USAGE);
      }
      const c = await startCluster({ dir: o.dir, shards, basePort });
      if (o.json) process.stdout.write(JSON.stringify({ url: c.url, dir: c.dir, already_running: c.already, shards: c.shards }) + '\n');
      else {
        if (c.already) process.stderr.write(`cluster in ${c.dir} is already running\n`);
        process.stdout.write(c.url + '\n');
      }
    }));
  cluster
    .command('status')
    .description('each shard: up or down')
    .requiredOption('--dir <dir>', 'folder of the cluster')
    .option('--json', 'print the status as JSON')
    .action((o: Opts) => run(async () => {
      const st = await clusterStatus(o.dir);
      const state = readState(o.dir)!;
      const url = `clickhouse://127.0.0.1:${state.shards[0].http}/${state.db}`;
      if (o.json) process.stdout.write(JSON.stringify({ url, shards: st }) + '\n');
      else process.stdout.write(renderTable(['shard', 'state', 'http', 'tcp', 'pid'], st.map((s) => [s.shard, s.up ? 'up' : 'down', s.http, s.tcp, s.pid])) + url + '\n');
      process.exitCode = st.every((s) => s.up) ? EXIT_OK : EXIT_UNREADABLE;
    }));
  cluster
    .command('stop')
    .description('stop every shard (SIGTERM, then wait)')
    .requiredOption('--dir <dir>', 'folder of the cluster')
    .option('--json', 'print what was stopped as JSON')
    .action((o: Opts) => run(async () => {
      const r = await stopCluster(o.dir);
      if (o.json) process.stdout.write(JSON.stringify({ shards: r }) + '\n');
      else process.stdout.write(renderTable(['shard', 'pid', 'was'], r.map((s) => [s.shard, s.pid, s.was])));
    }));
}
