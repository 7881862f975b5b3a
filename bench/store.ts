/**
 * Hunting at scale (issue 12): a store of about 10 million events, built by ingesting the 1 GiB
 * EVTX input once (`detectory ingest`, the real decode and insert: events/s), then replicating
 * those events inside the database across 32 host names (one INSERT ... SELECT per store: the
 * `host` column set to host-00 ... host-31, every other column kept except the ECS columns, which
 * no Sigma rule reads and which the copies leave NULL (bench/store-replicate.ts), so each copy
 * holds the same events and rules fire 32 times as often). Then `detectory hunt` runs every Windows Sigma rule as
 * SQL over it, and the same rules' `detectory scan` over the 1 GiB file is timed and multiplied by
 * the host count (a scan of 32 copies would read 32 GiB: extrapolated, not run). Each detectory
 * step runs in its own process: peak RSS is detectory's own.
 * The ClickHouse row (2-shard cluster, same input and hosts) is store-clickhouse.ts's.
 * Run: npm run bench -- store [--hosts N] [--evtx FILE] [--skip-scan] [--skip-clickhouse] [--ch-dir DIR] [--reuse]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTable } from '../src/cli/output/table.js';
import { PACKAGE_ROOT } from '../src/cli/paths.js';
import { CLI } from './cli.js';
import { openDb } from '../src/store/db.js';
import { replicateHosts } from './store-replicate.js';
import { clickhouseStoreRow } from './store-clickhouse.js';
import { bigEvtx } from './scale.js';
import { sharedForBench } from './scan.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');

function detectory(args: string[]): { summary: Record<string, unknown>; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - t0) / 1000;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`detectory ${args[0]} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return { summary: JSON.parse(last) as Record<string, unknown>, seconds };
}

function dropDb(path: string): void {
  rmSync(path, { force: true });
  rmSync(path + '.wal', { force: true });
}

/** Ingests the input once (timed by detectory), then replicates it across the host names. */
async function buildStore(input: string, base: string, store: string, hosts: number, note: string[]): Promise<{ ingest: Record<string, unknown>; replicated: number; seconds: number }> {
  dropDb(base);
  const l0 = load();
  const ing = detectory(['ingest', input, '--store', `duckdb:${base}`, '--host', 'host-00', '--json']);
  note.push(`ingest: ${Number(ing.summary.events)} events, load average before ${l0}, after ${load()}`);
  process.stdout.write(note.at(-1) + `: ${JSON.stringify(ing.summary)}\n`);
  dropDb(store);
  const l1 = load();
  const db = await openDb(store);
  const t0 = performance.now();
  let replicated: number;
  try {
    replicated = await replicateHosts(db.conn, base, hosts);
  } finally {
    db.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  note.push(`replication: ${replicated} events in ${seconds.toFixed(1)} s, load average before ${l1}, after ${load()}`);
  process.stdout.write(note.at(-1) + '\n');
  return { ingest: ing.summary, replicated, seconds };
}

export async function runStoreBench(): Promise<void> {
  const shared = sharedForBench();
  const hosts = Math.max(1, Number(arg('--hosts') ?? process.env.DETECTORY_BENCH_STORE_HOSTS ?? 32));
  const input = arg('--evtx') ?? bigEvtx(shared, 1024, join(process.env.TMPDIR ?? '/tmp', 'detectory-bench-1024mb.evtx'));
  const dir = join(PACKAGE_ROOT, '.bench', 'store');
  mkdirSync(dir, { recursive: true });
  const base = join(dir, 'base.duckdb');
  const store = join(dir, `hosts-${hosts}.duckdb`);
  const rules = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].flatMap((d) => ['--rules', join(shared, 'corpora', 'sigma', d)]);
  const rows: Array<Array<string | number>> = [];
  const note: string[] = [`input ${input} (${(statSync(input).size / 1048576).toFixed(0)} MiB), ${hosts} host names`];

  // --reuse: keep the store of an earlier run (to time hunt alone).
  const reuse = process.argv.includes('--reuse') && existsSync(store);
  const built = reuse ? undefined : await buildStore(input, base, store, hosts, note);
  if (reuse) note.push(`reused ${store}: ingest and replication not run`);
  const replicated = built?.replicated ?? 0;

  const l2 = load();
  const hunt = detectory(['hunt', '--store', `duckdb:${store}`, ...rules, '--format', 'jsonl', '--out', '/dev/null', '--json']);
  note.push(`hunt: load average before ${l2}, after ${load()}`);
  process.stdout.write(note.at(-1) + `: ${JSON.stringify(hunt.summary)}\n`);

  let scan: { summary: Record<string, unknown>; seconds: number } | undefined;
  if (!process.argv.includes('--skip-scan')) {
    const l3 = load();
    scan = detectory(['scan', input, ...rules, '--format', 'jsonl', '--out', '/dev/null', '--json']);
    note.push(`scan: load average before ${l3}, after ${load()}`);
    process.stdout.write(note.at(-1) + `: ${JSON.stringify(scan.summary)}\n`);
  }
  const sec = (x: unknown): string => Number(x).toFixed(1);
  const huntSeconds = Number(hunt.summary.seconds);
  rows.push(['DuckDB', built ? Number(built.ingest.events_per_second) : 'reused', built ? `${built.seconds.toFixed(1)} s` : 'reused', replicated || 'reused',
    `${sec(huntSeconds)} s (${hunt.seconds.toFixed(1)} s wall)`, Number(hunt.summary.rules_run), Number(hunt.summary.alerts),
    `ingest ${built?.ingest.peak_rss_mb ?? '-'}, hunt ${hunt.summary.peak_rss_mb}`]);
  if (!process.argv.includes('--skip-clickhouse')) rows.push(await clickhouseStoreRow({ input, hosts, rules, dir: arg('--ch-dir'), reuse: process.argv.includes('--reuse'), note }));
  if (scan) {
    const s = scan.summary;
    const perCopy = Number(s.seconds);
    rows.push([`scan (${s.threads ?? '?'} threads), x${hosts} extrapolated`, Math.round(Number(s.events) / perCopy), 'none', Number(s.events) * hosts,
      `${(perCopy * hosts).toFixed(1)} s (1 copy: ${perCopy.toFixed(1)} s)`, Number(s.rules_loaded ?? s.rules ?? 0), Number(s.alerts) * hosts, `scan ${s.peak_rss_mb}`]);
  }
  process.stdout.write(note.join('\n') + '\n');
  process.stdout.write(renderTable(['engine', 'ingest events/s', 'replication', 'events', 'all Windows Sigma rules', 'rules run', 'alerts', 'peak RSS MB'], rows));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runStoreBench();
