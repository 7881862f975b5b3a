/**
 * Elastic rules' share of the scan (issue 11's speed goal): events/s of `detectory scan` with the
 * Windows Sigma rules alone, then with the Windows Elastic rules added, on the same input in the same
 * run (alternated, ROUNDS times each, so a loaded machine weighs on both alike), and their ratio.
 * Input: EVTX-ATTACK-SAMPLES (DETECTORY_BENCH_INPUT to change it). One thread; loading timed apart.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { renderTable } from '../src/cli/output/table.js';
import { PACKAGE_ROOT } from '../src/cli/paths.js';
import type { ScanSummary } from '../src/engine/scan.js';
import { sharedForBench } from './scan.js';

const ROUNDS = Number(process.env.DETECTORY_BENCH_ROUNDS ?? 3);

function scanOnce(input: string, rules: string[]): ScanSummary {
  const args = [join(PACKAGE_ROOT, 'bin', 'detectory.js'), 'scan', input, '--format', 'jsonl', '--out', '/dev/null', '--json', '--threads', '1',
    ...rules.flatMap((r) => ['--rules', r])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`scan exited ${run.status}: ${run.stderr.slice(-500)}`);
  return JSON.parse(run.stderr.trim().split('\n').pop()!) as ScanSummary;
}

const rate = (s: ScanSummary): number => s.events / (s.seconds - s.load_seconds);

export async function runScanElasticBench(): Promise<void> {
  const shared = sharedForBench();
  const input = process.env.DETECTORY_BENCH_INPUT ?? join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES');
  const sigma = join(shared, 'corpora', 'sigma', 'rules', 'windows');
  const elastic = join(shared, 'corpora', 'elastic', 'rules', 'windows');
  const configs: Array<[string, string[]]> = [['Sigma Windows', [sigma]], ['Sigma + Elastic Windows', [sigma, elastic]]];
  const rates: number[][] = configs.map(() => []);
  const last: ScanSummary[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, rules]] of configs.entries()) {
      last[i] = scanOnce(input, rules);
      rates[i].push(rate(last[i]));
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = configs.map(([name], i) => [name, last[i].rules_loaded, last[i].events, last[i].alerts, rates[i].map(Math.round).join(' '), Math.round(median(rates[i])), last[i].peak_rss_mb]);
  process.stdout.write(`\nscan-elastic: ${input}, one thread, ${ROUNDS} alternated rounds\n`);
  process.stdout.write(renderTable(['rules', 'loaded', 'events', 'alerts', 'events/s per round', 'median events/s', 'peak RSS MB'], rows));
  const ratios = rates[1].map((r, i) => r / rates[0][i]);
  process.stdout.write(`Sigma+Elastic / Sigma-only rate: median ${median(ratios).toFixed(2)} (per round ${ratios.map((r) => r.toFixed(2)).join(' ')}; goal >= 0.50)\n`);
}
