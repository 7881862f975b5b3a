/**
 * Scan throughput: events/s and peak RSS of `detectory scan` over a large JSONL input built from
 * the shared samples, with 1, 100, 1000 and all Windows Sigma rules. Each size runs in its own
 * process (peak RSS is per process). Rule loading is timed apart from matching.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listEventFiles, readEventFile } from '../src/events/read.js';
import { loadRules } from '../src/engine/rules.js';
import { planRule } from '../src/engine/plan.js';
import { renderTable } from '../src/cli/output/table.js';
import { PACKAGE_ROOT } from '../src/cli/paths.js';
import { CLI } from './cli.js';
import type { ScanSummary } from '../src/engine/scan.js';

const BENCH_DIR = join(PACKAGE_ROOT, '.bench');

export function sharedForBench(): string {
  const dir = process.env.DETECTORY_SHARED ?? join(PACKAGE_ROOT, '..', 'shared');
  if (!existsSync(dir)) throw new Error(`benchmarks need the shared data: set DETECTORY_SHARED (tried ${dir})`);
  return dir;
}

/** Decoded sample events (EVTX-ATTACK-SAMPLES and the Sigma regression data), repeated to `target` lines. */
export async function buildScanInput(shared: string, target: number): Promise<string> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const out = join(BENCH_DIR, `scan-input-${target}.jsonl`);
  if (existsSync(out) && statSync(out).size > 0) return out;
  const lines: string[] = [];
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES'), join(shared, 'conformance', 'sigma-regression')], () => {});
  for (const f of files.filter((x) => x.endsWith('.evtx'))) {
    for await (const batch of readEventFile(f, () => {})) {
      for (const r of batch) lines.push(JSON.stringify({ Event: r.event }));
    }
  }
  const ws = createWriteStream(out);
  for (let n = 0; n < target; n++) {
    if (!ws.write(lines[n % lines.length] + '\n')) await new Promise<void>((res) => ws.once('drain', () => res()));
  }
  await new Promise<void>((res) => ws.end(() => res()));
  return out;
}

function windowsRuleFiles(shared: string): string[] {
  const dirs = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => join(shared, 'corpora', 'sigma', d));
  const set = loadRules(dirs);
  const files = new Set<string>();
  for (const r of set.detections) if (!('skip' in planRule(r))) files.add(r.path);
  // Process-creation rules first: the "1 rule" run then does real work on the most common events.
  return [...files].sort((a, b) => Number(!a.includes('process_creation')) - Number(!b.includes('process_creation')) || a.localeCompare(b));
}

export async function runScanBench(): Promise<void> {
  const shared = sharedForBench();
  const target = Number(process.env.DETECTORY_BENCH_EVENTS ?? 300_000);
  const input = await buildScanInput(shared, target);
  const ruleFiles = windowsRuleFiles(shared);
  const sizes = [1, 100, 1000, ruleFiles.length];
  const rows: Array<Array<string | number>> = [];
  let base = 0;
  for (const n of sizes) {
    const listFile = join(BENCH_DIR, `rules-${n}.txt`);
    writeFileSync(listFile, ruleFiles.slice(0, n).join('\n'));
    const args = [...CLI, 'scan', input, '--format', 'jsonl', '--out', '/dev/null', '--json',
      ...ruleFiles.slice(0, n).flatMap((f) => ['--rules', f])];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
    const stderr = run.stderr;
    if (run.status !== 0) throw new Error(`scan with ${n} rules exited ${run.status}: ${stderr.slice(-500)}`);
    const summary = JSON.parse(stderr.trim().split('\n').pop()!) as ScanSummary;
    const matchSeconds = summary.seconds - summary.load_seconds;
    const rate = summary.events / matchSeconds;
    if (n === 1) base = matchSeconds;
    rows.push([n === ruleFiles.length ? `${n} (all Windows)` : n, summary.rules_loaded, summary.events, summary.load_seconds.toFixed(2),
      matchSeconds.toFixed(2), Math.round(rate), summary.alerts, summary.peak_rss_mb, (matchSeconds / base).toFixed(2)]);
  }
  process.stdout.write(`\nscan: ${input} (${(statSync(input).size / 1e6).toFixed(0)} MB), one core\n`);
  process.stdout.write(renderTable(['rules', 'loaded', 'events', 'load s', 'scan s', 'events/s', 'alerts', 'peak RSS MB', 'time vs 1 rule'], rows));
}

export function listBenchInputs(): string[] {
  return existsSync(BENCH_DIR) ? readdirSync(BENCH_DIR) : [];
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
