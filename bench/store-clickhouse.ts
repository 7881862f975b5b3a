/**
 * The ClickHouse row of `npm run bench -- store` (issue 12): a 2-shard cluster started by
 * `detectory cluster start`, the 1 GiB EVTX input ingested once by `detectory ingest` (host-00:
 * events/s of the real decode and insert), then copied inside ClickHouse to host-01 ... host-NN
 * (each shard copies its own rows: INSERT ... SELECT with only `host` rewritten, as
 * store-replicate.ts does for DuckDB), then `detectory hunt` with every Windows Sigma rule.
 * Measured: wall, CPU of detectory (the bench's waited-for children, /proc/self/stat) and CPU of
 * each clickhouse-server (/proc/PID/stat), peak RSS of detectory. Each shard's CPU is what it
 * spent on its half of the events; on N shards with a core each, a hunt takes about the largest
 * shard's CPU divided by N/2 for the data work (rows spread evenly at random), plus the per-shard
 * query analysis, which does not shrink with N (see predictShards).
 * Alone: node dist/bench/store-clickhouse.js [--hosts N] [--evtx FILE] [--ch-dir DIR] [--reuse]
 *
 * Measured step by step on the 2-core machine loaded by other work (load average 10-24), 2,856
 * rules run: ingest 379,346 events 1,185 events/s (320 s wall; detectory 95 s CPU, peak RSS
 * 1,774 MB; shards 33 + 23 s CPU); replication to 32 hosts (12,139,072 events) 27 min wall, shards
 * 504 + 504 s CPU; hunt over 1 host 103 s wall (shards 33.7 + 33.5 s CPU; of which 12.5 s each
 * with no row read: a time window outside the data), 71,922 alerts; over 32 hosts 675 s (682 s
 * wall; detectory 30 s CPU, peak RSS 580 MB; shards 248 + 243 s CPU), 2,301,504 alerts (32 x);
 * the same hunt with every batch per event (no grouped-batch.ts): shards 345 + 333 s CPU, 628 s.
 * With the rules of each route evaluated once per hunt (store/clickhouse/route-groups.ts; a copy
 * of the same 32-host store, load average 11-15): 2,301,504 alerts, shards 54.5 + 54.0 s CPU,
 * detectory 24.1 s CPU, peak RSS 710 MB, 187 s wall; over 2 hosts 15.5 + 15.6 s (28.0 + 27.6 s per
 * batch), same sorted alerts. Per shard: fixed ~12.9 s + 1.3 s per host copy: on 10 shards
 * (32 hosts) about 21 s CPU per shard.
 * Rows read as TSV and merged, presence reads of unpromoted fields grouped (store/clickhouse
 * batch-rows.ts, field-entries.ts; a copy of the same 32-host store, machine otherwise idle, load
 * average 1-4): 2,301,504 alerts, hunt 72.3 s (75.4 s wall; detectory 21.5 s CPU, peak RSS
 * 664 MB; shards 55.7 + 53.7 s CPU); main before it on the same copy: 117 s, shards 59 + 59 s.
 * With the TSV text decoded by a StringDecoder (no Buffer copy per network chunk): hunt 61.5 s
 * (63.0 s wall; detectory 17.4 s CPU, peak RSS 572 MB; shards 48.8 + 48.8 s CPU).
 * With keyword covers as PREWHERE, cheaper CIDR tests, alert JSON written once per rule and TSV rows
 * read in place (machine otherwise idle, load average 1-3, the original store folder): hunt
 * 38.4-41.4 s (detectory 11.7-12.6 s CPU, shards 29.7-31.8 + 31.2-33.4 s CPU, peak RSS 547-725 MB),
 * against a warm DuckDB hunt of the same events 26.1-32.2 s (median 40.1 / 28.2 = 1.42x).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { CLI } from './cli.js';
import { PACKAGE_ROOT } from '../src/cli/paths.js';
import { readState, stopCluster } from '../src/cluster/cluster.js';

const TICK = 100; // USER_HZ on Linux

/** CPU seconds (user + system) of a process, or of its waited-for children (`children`). */
function procCpu(pid: number | 'self', children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the name start at field 3: utime 14, stime 15, cutime 16, cstime 17.
    const at = (n: number): number => Number(f[n - 3]);
    return (children ? at(16) + at(17) : at(14) + at(15)) / TICK;
  } catch {
    return Number.NaN;
  }
}

const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');

export interface Measured {
  wall: number;
  /** CPU seconds of the detectory process. */
  cpu: number;
  /** CPU seconds of each shard's server during the step. */
  shards: number[];
  summary: Record<string, unknown>;
  stdout: string;
}

function shardPids(dir: string): number[] {
  return readState(dir)?.shards.map((s) => s.pid) ?? [];
}

/** Runs `detectory ARGS` and measures it and the cluster's servers. */
function measure(dir: string, args: string[]): Measured {
  const pids = shardPids(dir);
  const s0 = pids.map((p) => procCpu(p));
  const c0 = procCpu('self', true);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = procCpu('self', true) - c0;
  const shards = shardPids(dir).map((p, i) => procCpu(p) - (pids[i] === p ? s0[i] : 0));
  const last = r.stderr.trim().split('\n').pop() ?? '';
  if (r.status !== 0 && !last.startsWith('{')) throw new Error(`detectory ${args.slice(0, 2).join(' ')} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return { wall, cpu, shards, summary: last.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : {}, stdout: r.stdout };
}

/** One statement on one shard's HTTP port. */
async function shardSql(http: number, sql: string, settings: Record<string, string | number> = {}): Promise<string> {
  const q = new URLSearchParams({ database: 'detectory', ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])) });
  const r = await fetch(`http://127.0.0.1:${http}/?${q}`, { method: 'POST', body: sql });
  const text = await r.text();
  if (!r.ok) throw new Error(`shard on port ${http}: ${text.split('\n')[0]}`);
  return text;
}

/**
 * Copies every shard's rows of host-00 to host-01 ... host-(hosts-1), on the shard itself (the
 * copies stay where their original is: shards stay even), one INSERT ... SELECT per copy with
 * bounded blocks (the rows are wide: the default 1M-row insert block passes the server's per-query
 * memory limit). Copies left by an interrupted run are deleted first (a mutation, waited for). The
 * parts made are left to the background merges, as an ingest's would be.
 */
export async function replicate(dir: string, hosts: number): Promise<{ events: number; parts: number[] }> {
  const state = readState(dir)!;
  const one = async (http: number, sql: string): Promise<number> => Number((await shardSql(http, sql)).trim());
  if (hosts > 1) {
    const columns = (await shardSql(state.shards[0].http, 'DESCRIBE TABLE events_local FORMAT TSV')).trim().split('\n').map((l) => l.split('\t')[0]);
    await Promise.all(state.shards.map(async (s) => {
      if (await one(s.http, "SELECT count() FROM events_local WHERE host != 'host-00'")) {
        await shardSql(s.http, "ALTER TABLE events_local DELETE WHERE host != 'host-00'");
        while (await one(s.http, "SELECT count() FROM system.mutations WHERE database = 'detectory' AND table = 'events_local' AND NOT is_done")) await new Promise((r) => setTimeout(r, 500));
      }
      for (let h = 1; h < hosts; h++) {
        const host = `host-${String(h).padStart(2, '0')}`;
        // The filter in a subquery: in the same SELECT, ClickHouse reads `host` in WHERE as the alias.
        const list = columns.map((c) => (c === 'host' ? `'${host}' AS host` : c)).join(', ');
        await shardSql(s.http, `INSERT INTO events_local SELECT ${list} FROM (SELECT * FROM events_local WHERE host = 'host-00')`, { max_block_size: 8192, min_insert_block_size_rows: 65536, min_insert_block_size_bytes: 1 << 27, max_memory_usage: 4e9 });
      }
    }));
  }
  const counts = await Promise.all(state.shards.map((s) => one(s.http, 'SELECT count() FROM events_local')));
  const parts = await Promise.all(state.shards.map((s) => one(s.http, "SELECT count() FROM system.parts WHERE database = 'detectory' AND table = 'events_local' AND active")));
  return { events: counts.reduce((a, b) => a + b, 0), parts };
}

const fmt = (x: number): string => x.toFixed(1);

/**
 * Per-shard CPU on N shards from the two hunts on 2 shards: one over the ingested copy (1 host)
 * and one over `hosts` copies. A shard's CPU is a fixed part (each statement's analysis, the
 * store's facts: whatever its rows) plus a part that grows with its rows, so
 * data = (cpu_hosts - cpu_1) / (hosts - 1) per copy and fixed = cpu_1 - data. On N shards each
 * holds 2/N of the rows: fixed + hosts x data x 2/N (the largest shard of each run).
 */
export function predictShards(one: number[], many: number[], hosts: number, n: number): { fixed: number; dataPerCopy: number; perShard: number } {
  const c1 = Math.max(...one);
  const cm = Math.max(...many);
  const dataPerCopy = hosts > 1 ? Math.max(0, (cm - c1) / (hosts - 1)) : c1;
  const fixed = hosts > 1 ? Math.max(0, c1 - dataPerCopy) : 0;
  return { fixed, dataPerCopy, perShard: fixed + (hosts * dataPerCopy * 2) / n };
}

export interface ClickhouseBenchOptions {
  input: string;
  hosts: number;
  /** `--rules DIR` arguments of the Windows Sigma rules. */
  rules: string[];
  /** The cluster folder (kept for --reuse). */
  dir?: string;
  reuse?: boolean;
  note: string[];
}

/** The bench table's row for the 2-shard cluster (same columns as store.ts's rows). */
export async function clickhouseStoreRow(o: ClickhouseBenchOptions): Promise<Array<string | number>> {
  const dir = resolve(o.dir ?? join(PACKAGE_ROOT, '.bench', 'store', `clickhouse-hosts-${o.hosts}`));
  const reuse = !!o.reuse && existsSync(join(dir, 'cluster.json'));
  const say = (s: string): void => {
    o.note.push(`ClickHouse ${s}`);
    process.stdout.write(`ClickHouse ${s}\n`);
  };
  if (!reuse && existsSync(join(dir, 'cluster.json'))) await stopCluster(dir).catch(() => []);
  if (!reuse) rmSync(dir, { recursive: true, force: true });
  const start = measure(dir, ['cluster', 'start', '--dir', dir, '--shards', '2']);
  const url = start.stdout.trim().split('\n').pop() ?? '';
  if (!url.startsWith('clickhouse://')) throw new Error(`cluster start printed no URL: ${start.stdout}`);
  try {
    let ingest: Measured | undefined;
    let base: Measured | undefined;
    const huntOnce = (what: string): Measured => {
      const l = load();
      const h = measure(dir, ['hunt', '--store', url, ...o.rules, '--format', 'jsonl', '--out', '/dev/null', '--json']);
      say(`hunt ${what}: ${JSON.stringify(h.summary)}; wall ${fmt(h.wall)} s, detectory CPU ${fmt(h.cpu)} s, shards CPU ${h.shards.map(fmt).join(' + ')} s; load before ${l}, after ${load()}`);
      return h;
    };
    let rep: { events: number; parts: number[]; seconds: number; shards: number[] } | undefined;
    if (!reuse) {
      const l0 = load();
      ingest = measure(dir, ['ingest', o.input, '--store', url, '--host', 'host-00', '--json']);
      say(`ingest: ${JSON.stringify(ingest.summary)}; wall ${fmt(ingest.wall)} s, detectory CPU ${fmt(ingest.cpu)} s, shards CPU ${ingest.shards.map(fmt).join(' + ')} s; load before ${l0}, after ${load()}`);
      if (o.hosts > 1) base = huntOnce('(1 host, before replication)');
      const l1 = load();
      const pids = shardPids(dir);
      const s0 = pids.map((p) => procCpu(p));
      const t0 = performance.now();
      const r = await replicate(dir, o.hosts);
      rep = { ...r, seconds: (performance.now() - t0) / 1000, shards: pids.map((p, i) => procCpu(p) - s0[i]) };
      say(`replication: ${rep.events} events in ${fmt(rep.seconds)} s (shards CPU ${rep.shards.map(fmt).join(' + ')} s), active parts per shard ${rep.parts.join(', ')}; load before ${l1}, after ${load()}`);
    } else {
      const r = await replicate(dir, 1);
      say(`reused ${dir}: ${r.events} events, active parts per shard ${r.parts.join(', ')}; ingest and replication not run`);
    }
    const hunt = huntOnce(`(${o.hosts} hosts)`);
    if (base && o.hosts > 1) {
      const p = predictShards(base.shards, hunt.shards, o.hosts, 10);
      say(`per shard: fixed ${fmt(p.fixed)} s CPU + ${fmt(p.dataPerCopy)} s per host copy; on 10 shards (${o.hosts} hosts) about ${fmt(p.perShard)} s CPU per shard`);
    }
    const ingestSummary = ingest?.summary;
    return [
      'ClickHouse, 2 shards',
      ingestSummary ? Number(ingestSummary.events_per_second) : 'reused',
      rep ? `${fmt(rep.seconds)} s` : 'reused',
      rep?.events ?? 'reused',
      `${fmt(Number(hunt.summary.seconds))} s (${fmt(hunt.wall)} s wall; CPU detectory ${fmt(hunt.cpu)} s, shards ${hunt.shards.map(fmt).join(' + ')} s)`,
      Number(hunt.summary.rules_run),
      Number(hunt.summary.alerts),
      `ingest ${ingestSummary?.peak_rss_mb ?? '-'}, hunt ${hunt.summary.peak_rss_mb}`,
    ];
  } finally {
    // The data stays for --reuse; the servers stop.
    await stopCluster(dir).catch(() => []);
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { sharedForBench } = await import('./scan.js');
  const { renderTable } = await import('../src/cli/output/table.js');
  const shared = sharedForBench();
  const rules = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].flatMap((d) => ['--rules', join(shared, 'corpora', 'sigma', d)]);
  const note: string[] = [];
  const row = await clickhouseStoreRow({
    input: arg('--evtx') ?? '/tmp/detectory-bench-1024mb.evtx',
    hosts: Math.max(1, Number(arg('--hosts') ?? 32)),
    rules,
    dir: arg('--ch-dir'),
    reuse: process.argv.includes('--reuse'),
    note,
  });
  process.stdout.write(renderTable(['engine', 'ingest events/s', 'replication', 'events', 'all Windows Sigma rules', 'rules run', 'alerts', 'peak RSS MB'], [row]));
}
