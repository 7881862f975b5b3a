/**
 * A local ClickHouse test cluster: N clickhouse-server processes on 127.0.0.1, one shard each,
 * everything (configs, data, logs, pids) under one folder. The servers are detached, so the CLI
 * exits while they run; cluster.json in the folder records ports and pids for status and stop.
 * The schema (store/clickhouse/schema.ts) is created on every shard: local tables plus the
 * Distributed tables over all shards (no ON CLUSTER, so no ZooKeeper).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLUSTER_NAME, serverConfig, shardDir, USERS_XML, type ShardPorts } from './config.js';
import { freePorts, portFree } from './ports.js';
import { findServer } from './server-binary.js';
import { distributedDdl, localDdl, shardHttpDdl } from '../store/clickhouse/schema.js';

export const CLUSTER_DB = 'detectory';
const STATE = 'cluster.json';
const READY_MS = 60_000;
const STOP_MS = 30_000;

export interface ShardState extends ShardPorts {
  pid: number;
}

export interface ClusterState {
  db: string;
  shards: ShardState[];
}

export interface ShardStatus extends ShardState {
  shard: number;
  up: boolean;
}

export interface Cluster {
  url: string;
  dir: string;
  /** The cluster was already running: nothing was started. */
  already: boolean;
  shards: ShardStatus[];
  stop(): Promise<void>;
}

/** A cluster that cannot be started, reached or stopped: one clear line. */
export class ClusterError extends Error {}

export function clusterUrl(state: ClusterState): string {
  return `clickhouse://127.0.0.1:${state.shards[0].http}/${state.db}`;
}

export function readState(dir: string): ClusterState | undefined {
  const p = join(resolve(dir), STATE);
  if (!existsSync(p)) return undefined;
  try {
    const s = JSON.parse(readFileSync(p, 'utf8')) as ClusterState;
    if (!Array.isArray(s.shards) || !s.shards.length) throw new Error('no shards');
    return s;
  } catch (e) {
    throw new ClusterError(`${p}: not a cluster state file: ${(e as Error).message}`);
  }
}

/** The pid runs shard i's server of this folder (a pid can be reused by another program). */
function ours(pid: number, dir: string, i: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(join(shardDir(dir, i), 'config.xml'));
  } catch {
    return true; // no /proc: trust the live pid
  }
}

async function ping(http: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${http}/ping`, { signal: AbortSignal.timeout(2000) });
    return r.ok && (await r.text()).startsWith('Ok');
  } catch {
    return false;
  }
}

async function sql(http: number, text: string): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${http}/`, { method: 'POST', body: text, signal: AbortSignal.timeout(60_000) });
  if (!r.ok) throw new ClusterError(`shard on port ${http} refused the schema: ${(await r.text()).split('\n')[0]}`);
}

export async function clusterStatus(dir: string): Promise<ShardStatus[]> {
  const d = resolve(dir);
  const state = readState(d);
  if (!state) throw new ClusterError(`${d}: no cluster here (start one with \`detectory cluster start --dir ${dir}\`)`);
  return Promise.all(state.shards.map(async (s, i) => ({ shard: i + 1, ...s, up: ours(s.pid, d, i) && (await ping(s.http)) })));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function lastError(dir: string, i: number): string {
  for (const f of [join(shardDir(dir, i), 'log', 'server.err.log'), join(shardDir(dir, i), 'stdout.log')]) {
    try {
      const lines = readFileSync(f, 'utf8').trim().split('\n').filter((l) => /error|exception/i.test(l));
      if (lines.length) return lines[lines.length - 1].slice(0, 300);
    } catch {
      // no such log yet
    }
  }
  return 'no error logged';
}

function launch(dir: string, i: number): number {
  const bin = findServer();
  if (!bin) throw new ClusterError('clickhouse-server is not installed (apt-get install clickhouse-server, or set DETECTORY_CLICKHOUSE_SERVER)');
  const d = shardDir(dir, i);
  const out = openSync(join(d, 'stdout.log'), 'a');
  try {
    const child = spawn(bin.file, [...bin.args, `--config-file=${join(d, 'config.xml')}`], { cwd: d, detached: true, stdio: ['ignore', out, out] });
    if (child.pid === undefined) throw new ClusterError(`cannot start ${bin.file}`);
    child.on('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/**
 * Starts the cluster in `dir` (or the shards of it that are down) and creates the schema on every
 * shard. Ports: from basePort (3 per shard: http, tcp, interserver) or free ones from the kernel.
 */
export async function startCluster(opts: { dir: string; shards?: number; basePort?: number }): Promise<Cluster> {
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  let state = readState(dir);
  const n = state?.shards.length ?? opts.shards ?? 2;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new ClusterError(`--shards must be 1 to 64, not ${n}`);
  if (!state) {
    const ports = opts.basePort !== undefined ? Array.from({ length: 3 * n }, (_, k) => opts.basePort! + k) : await freePorts(3 * n);
    if (ports.some((p) => !Number.isInteger(p) || p < 1024 || p > 65535)) throw new ClusterError(`ports ${ports[0]}..${ports[ports.length - 1]} are not all in 1024..65535`);
    state = { db: CLUSTER_DB, shards: Array.from({ length: n }, (_, i) => ({ http: ports[3 * i], tcp: ports[3 * i + 1], interserver: ports[3 * i + 2], pid: 0 })) };
  }
  const before = await Promise.all(state.shards.map(async (s, i) => ours(s.pid, dir, i) && (await ping(s.http))));
  const already = before.every(Boolean);
  // A port held by another program (another cluster copied from this folder, say) would make a
  // shard exit while that program answers the readiness ping in its place: checked before any starts.
  for (let i = 0; i < n; i++) {
    if (before[i]) continue;
    const s = state.shards[i];
    for (const port of [s.http, s.tcp, s.interserver]) {
      if (!(await portFree(port))) throw new ClusterError(`shard ${i + 1}: port ${port} on 127.0.0.1 is in use by another program (not this cluster's shard)`);
    }
  }
  for (let i = 0; i < n; i++) {
    if (before[i]) continue;
    const d = shardDir(dir, i);
    for (const sub of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(d, sub), { recursive: true });
    writeFileSync(join(d, 'config.xml'), serverConfig(dir, i, state.shards));
    writeFileSync(join(d, 'users.xml'), USERS_XML);
    state.shards[i].pid = launch(dir, i);
  }
  writeFileSync(join(dir, STATE), JSON.stringify(state, null, 2) + '\n');
  const started = state;
  if (!already) {
    await Promise.all(started.shards.map(async (s, i) => {
      const t0 = Date.now();
      while (!(await ping(s.http))) {
        if (!ours(s.pid, dir, i)) throw new ClusterError(`shard ${i + 1} (port ${s.http}) exited: ${lastError(dir, i)}`);
        if (Date.now() - t0 > READY_MS) throw new ClusterError(`shard ${i + 1} (port ${s.http}) not ready after ${READY_MS / 1000} s: ${lastError(dir, i)}`);
        await sleep(100);
      }
    })).catch(async (e) => {
      await stopCluster(dir).catch(() => {});
      throw e;
    });
    for (const s of started.shards) for (const ddl of [...localDdl(started.db), ...distributedDdl(started.db, CLUSTER_NAME), ...shardHttpDdl(started.db, s.http)]) await sql(s.http, ddl);
  }
  return {
    url: clusterUrl(started),
    dir,
    already,
    shards: started.shards.map((s, i) => ({ shard: i + 1, ...s, up: true })),
    stop: () => stopCluster(dir).then(() => {}),
  };
}

/** SIGTERM to every shard of the folder, then waits for each to exit (SIGKILL after STOP_MS). */
export async function stopCluster(dir: string): Promise<Array<{ shard: number; pid: number; was: 'stopped' | 'killed' | 'not-running' }>> {
  const d = resolve(dir);
  const state = readState(d);
  if (!state) throw new ClusterError(`${d}: no cluster here`);
  return Promise.all(state.shards.map(async (s, i) => {
    if (!ours(s.pid, d, i)) return { shard: i + 1, pid: s.pid, was: 'not-running' as const };
    process.kill(s.pid, 'SIGTERM');
    const t0 = Date.now();
    while (ours(s.pid, d, i)) {
      if (Date.now() - t0 > STOP_MS) {
        process.kill(s.pid, 'SIGKILL');
        await sleep(200);
        return { shard: i + 1, pid: s.pid, was: 'killed' as const };
      }
      await sleep(100);
    }
    return { shard: i + 1, pid: s.pid, was: 'stopped' as const };
  }));
}
