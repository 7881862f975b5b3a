/**
 * Hunting over a store: `detectory ingest` of a JSONL input built from the shared samples (events/s),
 * `detectory hunt` with all Windows Sigma rules as SQL over it, and `detectory scan` of the same
 * events with the same rules, in one table. Each step runs in its own process (peak RSS is per
 * process). Size: DETECTORY_BENCH_HUNT_EVENTS (default 200000).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { renderTable } from '../src/cli/output/table.js';
import { PACKAGE_ROOT } from '../src/cli/paths.js';
import { CLI } from './cli.js';
import { buildScanInput, sharedForBench } from './scan.js';

function run(args: string[]): { summary: Record<string, unknown>; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - t0) / 1000;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`detectory ${args[0]} failed (${r.status}): ${r.stderr.slice(-500)}`);
  return { summary: JSON.parse(last) as Record<string, unknown>, seconds };
}

export async function runHuntBench(): Promise<void> {
  const shared = sharedForBench();
  const n = Number(process.env.DETECTORY_BENCH_HUNT_EVENTS ?? 200_000);
  const input = await buildScanInput(shared, n);
  const store = join(PACKAGE_ROOT, '.bench', `hunt-${n}.duckdb`);
  rmSync(store, { force: true });
  rmSync(store + '.wal', { force: true });
  const rules = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].flatMap((d) => ['--rules', join(shared, 'corpora', 'sigma', d)]);
  const ing = run(['ingest', input, '--store', `duckdb:${store}`, '--json']);
  const hunt = run(['hunt', '--store', `duckdb:${store}`, ...rules, '--format', 'jsonl', '--out', join(PACKAGE_ROOT, '.bench', 'hunt-alerts.jsonl'), '--json']);
  const scan = run(['scan', input, ...rules, '--format', 'jsonl', '--out', join(PACKAGE_ROOT, '.bench', 'scan-alerts.jsonl'), '--json', '--threads', '1']);
  const rows: Array<[string, string | number]> = [
    ['events', n],
    ['ingest seconds', Number(ing.summary.seconds)],
    ['ingest events/s', Number(ing.summary.events_per_second)],
    ['ingest peak MB', Number(ing.summary.peak_rss_mb)],
    ['hunt rules run as SQL', Number(hunt.summary.rules_run)],
    ['hunt seconds (all rules, SQL)', Number(hunt.summary.seconds)],
    ['hunt wall seconds (with rule loading)', Math.round(hunt.seconds * 10) / 10],
    ['hunt alerts', Number(hunt.summary.alerts)],
    ['hunt peak MB', Number(hunt.summary.peak_rss_mb)],
    ['scan seconds (1 thread, with loading)', Number(scan.summary.seconds)],
    ['scan alerts', Number(scan.summary.alerts)],
    ['scan peak MB', Number(scan.summary.peak_rss_mb)],
  ];
  process.stdout.write(renderTable(['hunt vs scan', ''], rows));
}
