/**
 * Elastic rules' share of the scan (issue 11's speed goal): events/s of `detectory scan` with the
 * Windows Sigma rules alone, then with the Windows Elastic rules added, on the same input in the same
 * run (alternated, ROUNDS times each, the order reversed every round, so a loaded machine weighs on all alike), and their ratio, per
 * thread count (1 and 2; DETECTORY_BENCH_THREADS="2" for one). Loading (rule files, Sigma automata,
 * EQL analysis) is timed apart. The load average is printed next to every round: a shared machine
 * makes single timings noisy.
 * Input: EVTX-ATTACK-SAMPLES (DETECTORY_BENCH_INPUT to change it, e.g. the 1 GiB file of bench/scale.ts).
 * A third configuration runs one sequence rule alone (seed 003's, Elastic's "Windows Script
 * Interpreter Executing Process via WMI"): the cost of the EVTX reading, the ECS documents of the
 * events its index and class admit, and the sequence state, without the other rules.
 * DETECTORY_BENCH_BASELINE=DIR adds the Sigma-only scan of another built checkout (its
 * bin/detectory.js) to the same rounds, e.g. the commit on which issue 11 was written: its goal
 * names "today's Sigma-only scan rate", which such a build measures on this machine, in this run.
 * Then the same ratio in CPU time (one thread, in this process: events per CPU second from the first
 * event to the end), which a loaded machine disturbs far less than wall time.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { renderTable } from '../src/cli/output/table.js';
import { scan, type ScanSummary } from '../src/engine/scan.js';
import { sharedForBench } from './scan.js';
import { runScan } from './scale.js';

const ROUNDS = Number(process.env.DETECTORY_BENCH_ROUNDS ?? 3);
const THREADS = (process.env.DETECTORY_BENCH_THREADS ?? '1,2').split(',').map(Number).filter((n) => n >= 1);

const rate = (s: ScanSummary): number => s.events / (s.seconds - s.load_seconds);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load1 = (): string => loadavg()[0].toFixed(1);

/** One scan configured in the rounds: its rule paths, and the build that runs it (undefined: this one). */
interface Config {
  name: string;
  rules: string[];
  cli?: string[];
}

/** The optional baseline build (DETECTORY_BENCH_BASELINE): its bin script and a name with its commit. */
function baselineConfig(sigma: string): Config | undefined {
  const dir = process.env.DETECTORY_BENCH_BASELINE;
  if (!dir) return undefined;
  const git = spawnSync('git', ['-C', dir, 'log', '-1', '--format=%h %cs'], { encoding: 'utf8' });
  const commit = git.status === 0 ? git.stdout.trim() : resolve(dir);
  return { name: `Sigma Windows, build ${commit}`, rules: [sigma], cli: [join(resolve(dir), 'bin', 'detectory.js')] };
}

/** Per round, a's rate over b's, and their median: "median M (per round r1 r2 ...)". */
function ratioLine(a: number[], b: number[]): string {
  const ratios = a.map((r, i) => r / b[i]);
  return `median ${median(ratios).toFixed(3)} (per round ${ratios.map((r) => r.toFixed(3)).join(' ')})`;
}

export async function runScanElasticBench(): Promise<void> {
  const shared = sharedForBench();
  const input = process.env.DETECTORY_BENCH_INPUT ?? join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES');
  const sigma = join(shared, 'corpora', 'sigma', 'rules', 'windows');
  const elastic = join(shared, 'corpora', 'elastic', 'rules', 'windows');
  const sequence = join(elastic, 'initial_access_scripts_process_started_via_wmi.toml');
  const baseline = baselineConfig(sigma);
  const configs: Config[] = [
    { name: 'Sigma Windows', rules: [sigma] },
    { name: 'Sigma + Elastic Windows', rules: [sigma, elastic] },
    // Seed 003's rule, when the corpus has it (a renamed file drops the row rather than the bench).
    ...(existsSync(sequence) ? [{ name: 'one Elastic sequence rule (seed 003)', rules: [sequence] }] : []),
    ...(baseline ? [baseline] : []),
  ];
  for (const threads of THREADS) {
    const rates: number[][] = configs.map(() => []);
    const loads: string[][] = configs.map(() => []);
    const last: ScanSummary[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // In list order in even rounds, reversed in odd ones (a drifting machine favours none).
      const entries = [...configs.entries()];
      for (const [i, c] of round % 2 ? entries.reverse() : entries) {
        const before = load1();
        last[i] = runScan(input, c.rules, undefined, threads, c.cli);
        rates[i].push(rate(last[i]));
        loads[i].push(`${before}-${load1()}`);
      }
    }
    const rows = configs.map((c, i) => [c.name, last[i].threads, last[i].rules_loaded, last[i].events, last[i].alerts, last[i].load_seconds,
      rates[i].map(Math.round).join(' '), loads[i].join(' '), Math.round(median(rates[i])), last[i].peak_rss_mb]);
    const t = `${threads} thread${threads > 1 ? 's' : ''}`;
    process.stdout.write(`\nscan-elastic: ${input}, ${t}, ${ROUNDS} alternated round${ROUNDS > 1 ? 's' : ''}\n`);
    process.stdout.write(renderTable(['rules', 'threads', 'loaded', 'events', 'alerts', 'load s', 'events/s per round', 'load avg per round', 'median events/s', 'peak RSS MB'], rows));
    // Issue 11's goal: >= 0.50 of the Sigma-only rate of the day it was written (the baseline build);
    // the ratio to this build's own Sigma-only rate is the stricter one.
    process.stdout.write(`Sigma+Elastic / Sigma-only rate of this build, ${t}: ${ratioLine(rates[1], rates[0])}\n`);
    if (baseline) process.stdout.write(`Sigma+Elastic / ${baseline.name}, ${t}: ${ratioLine(rates[1], rates[configs.indexOf(baseline)])}; issue 11's goal >= 0.50\n`);
  }
}

/** Events per CPU second of a one-thread scan in this process, loading left out (it ends at the first progress report). */
async function cpuRate(input: string, rules: string[]): Promise<number> {
  let start: NodeJS.CpuUsage | undefined;
  const s = await scan({ rulePaths: rules, eventPaths: [input], threads: 1, onAlert: () => undefined, onProblem: () => undefined, onProgress: () => { start ??= process.cpuUsage(); } });
  const used = process.cpuUsage(start);
  return s.events / ((used.user + used.system) / 1e6);
}

export async function runScanElasticCpu(): Promise<void> {
  const shared = sharedForBench();
  const input = process.env.DETECTORY_BENCH_INPUT ?? join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES');
  const sigma = join(shared, 'corpora', 'sigma', 'rules', 'windows');
  const elastic = join(shared, 'corpora', 'elastic', 'rules', 'windows');
  const ratios: string[] = [];
  const rates: number[][] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    const before = load1();
    let a: number;
    let b: number;
    if (round % 2) {
      b = await cpuRate(input, [sigma, elastic]);
      a = await cpuRate(input, [sigma]);
    } else {
      a = await cpuRate(input, [sigma]);
      b = await cpuRate(input, [sigma, elastic]);
    }
    rates[0].push(a);
    rates[1].push(b);
    ratios.push(`${(b / a).toFixed(3)} (load ${before}-${load1()})`);
  }
  const r = rates[1].map((b, i) => b / rates[0][i]);
  process.stdout.write(`\nscan-elastic (CPU time, 1 thread, in process): ${input}\n`);
  process.stdout.write(`Sigma only: ${rates[0].map(Math.round).join(' ')} events per CPU second; Sigma + Elastic: ${rates[1].map(Math.round).join(' ')}\n`);
  process.stdout.write(`Sigma+Elastic / Sigma-only CPU rate: median ${median(r).toFixed(3)} (per round ${ratios.join(', ')}; this build's own Sigma-only rate, the stricter ratio)\n`);
}
