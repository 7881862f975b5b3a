/**
 * Start fast, scale with cores: every SigmaHQ rule (rules, emerging threats, threat hunting) ready
 * cold (empty cache) and warm (from the cache), then `detectory scan` of a large EVTX file with 1
 * and 2 threads: events/s end to end (rule loading included) and after loading, and peak RSS. Each
 * measure runs DETECTORY_BENCH_REPEAT times (default 3) in its own process; the table shows the
 * best run and the spread, because a shared machine makes single timings noisy. The 1- and 2-thread
 * scans take turns running first, round by round.
 * The EVTX file (DETECTORY_BENCH_EVTX_MB, default 256) is built once with
 * shared/tools/make-big-evtx.py under the system temp folder (DETECTORY_BENCH_EVTX names another).
 * Each round also runs two 1-thread scans at once, as separate processes: their combined events/s
 * against one alone is what this machine gives a second thread at best (nothing shared, no start-up
 * saved): the ceiling of the 2-thread scan's speed-up.
 * The 1-thread scans run with the scan's timeline on (warm-up.ts): a last table splits each one's
 * time into start-up, rule loading and the tasks, the first tasks' rate against the steady rate of
 * the later ones, the time spent beyond that steady rate (warm-up), and the process's page faults.
 * Run: npm run bench -- scale
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTable } from '../src/cli/output/table.js';
import { CLI } from './cli.js';
import type { ScanSummary } from '../src/engine/scan.js';
import { sharedForBench } from './scan.js';
import { parseTimeline, type ScanTimeline, warmUp, type WarmUp } from './warm-up.js';

/** The large EVTX input of `mb` MiB (built once under the system temp folder unless `file` names one). */
export function bigEvtx(shared: string, mb = Number(process.env.DETECTORY_BENCH_EVTX_MB ?? 256), file = process.env.DETECTORY_BENCH_EVTX ?? join(tmpdir(), `detectory-bench-${mb}mb.evtx`)): string {
  if (existsSync(file) && statSync(file).size > 4096) return file;
  const r = spawnSync('python3', [join(shared, 'tools', 'make-big-evtx.py'), file, '--mb', String(mb), '--src', join(shared, 'evtx')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make-big-evtx.py failed (${r.status})`);
  process.stdout.write(`built ${file}: ${r.stdout.trim()}\n`);
  return file;
}

const scanArgs = (input: string, rules: string[], threads: number, cli: readonly string[] = CLI): string[] => [...cli, 'scan', input, '--format', 'jsonl', '--out', '/dev/null', '--json',
  '--threads', String(threads), ...rules.flatMap((r) => ['--rules', r])];

const summaryOf = (status: number | null, stderr: string): ScanSummary => {
  if (status !== 0) throw new Error(`scan exited ${status}: ${stderr.slice(-500)}`);
  // The summary is the last JSON line (a timeline, when asked for, comes before it).
  const line = stderr.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) throw new Error(`scan printed no summary: ${stderr.slice(-500)}`);
  return JSON.parse(line) as ScanSummary;
};

/** A scan process's environment: cacheDir is its DETECTORY_CACHE (undefined: this process's). */
const scanEnv = (cacheDir: string | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, ...(cacheDir === undefined ? {} : { DETECTORY_CACHE: cacheDir }), ...extra });

/**
 * `detectory scan INPUT --rules ...` in its own process, its JSON summary. `cli`: the node arguments
 * that start detectory (default: this checkout's; another build's bin script to compare with it).
 */
export function runScan(input: string, rules: string[], cacheDir: string | undefined, threads: number, cli: readonly string[] = CLI): ScanSummary {
  return runScanTimed(input, rules, cacheDir, threads, false, cli).summary;
}

/** runScan, with the scan's timeline (warm-up.ts) when `timeline` is set. */
function runScanTimed(input: string, rules: string[], cacheDir: string | undefined, threads: number, timeline: boolean, cli: readonly string[] = CLI): { summary: ScanSummary; timeline?: ScanTimeline } {
  const env = scanEnv(cacheDir, timeline ? { DETECTORY_SCAN_TIMELINE: '1' } : {});
  const r = spawnSync(process.execPath, scanArgs(input, rules, threads, cli), { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env, maxBuffer: 64 << 20 });
  const summary = summaryOf(r.status, r.stderr);
  return { summary, timeline: timeline ? parseTimeline(r.stderr) : undefined };
}

/** runScan in the background (to run two at once). */
function startScan(input: string, rules: string[], cacheDir: string, threads: number): Promise<ScanSummary> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, scanArgs(input, rules, threads), { stdio: ['ignore', 'ignore', 'pipe'], env: scanEnv(cacheDir) });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-(1 << 20));
    });
    child.on('error', fail);
    child.on('close', (status) => {
      try {
        done(summaryOf(status, stderr));
      } catch (e) {
        fail(e as Error);
      }
    });
  });
}

interface Measure {
  name: string;
  unit: string;
  /** Higher is better (events/s) or lower (seconds). */
  higher: boolean;
  values: number[];
  rss: number[];
}

function row(m: Measure): Array<string | number> {
  const best = m.higher ? Math.max(...m.values) : Math.min(...m.values);
  const i = m.values.indexOf(best);
  const fmt = (v: number): string => (m.unit === 's' ? v.toFixed(2) : String(Math.round(v)));
  return [m.name, `${fmt(best)} ${m.unit}`, `${fmt(Math.min(...m.values))} - ${fmt(Math.max(...m.values))}`, m.rss[i], m.values.length];
}

export async function runScaleBench(): Promise<void> {
  const shared = sharedForBench();
  const repeat = Math.max(1, Number(process.env.DETECTORY_BENCH_REPEAT ?? 3));
  const rules = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => join(shared, 'corpora', 'sigma', d));
  const input = bigEvtx(shared);
  const work = mkdtempSync(join(tmpdir(), 'detectory-bench-scale-'));
  const empty = join(work, 'empty.jsonl');
  writeFileSync(empty, '');
  const load0 = loadavg();
  const m = (name: string, unit: string, higher: boolean): Measure => ({ name, unit, higher, values: [], rss: [] });
  const cold = m('rules ready, cold (empty cache)', 's', false);
  const warm = m('rules ready, warm (from the cache)', 's', false);
  // The same from the process start: Node, the modules and the command line (start_seconds) come first.
  const coldStart = m('rules ready, cold, from the process start', 's', false);
  const warmStart = m('rules ready, warm, from the process start', 's', false);
  const scans = [1, 2].map((threads) => ({
    threads,
    e2e: m(`scan, ${threads} thread${threads > 1 ? 's' : ''}: events/s end to end (warm)`, 'ev/s', true),
    fromStart: m(`scan, ${threads} thread${threads > 1 ? 's' : ''}: events/s from the process start (warm)`, 'ev/s', true),
    after: m(`scan, ${threads} thread${threads > 1 ? 's' : ''}: events/s after loading`, 'ev/s', true),
  }));
  // Two 1-thread scans at once: their events/s together (each end to end, rule loading included).
  const pair = m('two 1-thread scans at once: events/s together (end to end)', 'ev/s', true);
  let events = 0;
  const alerts = new Set<number>();
  // Where each round's 1-thread scan spent its time (its timeline).
  const phases: Array<{ start: number; load: number; warm: WarmUp; faults?: number }> = [];
  try {
    for (let i = 0; i < repeat; i++) {
      const cache = join(work, `cache-${i}`);
      const c = runScan(empty, rules, cache, 1);
      if (c.rule_cache !== 'built') throw new Error(`expected a cold start, got ${c.rule_cache}`);
      cold.values.push(c.load_seconds);
      cold.rss.push(c.peak_rss_mb);
      coldStart.values.push(c.load_seconds + (c.start_seconds ?? NaN));
      coldStart.rss.push(c.peak_rss_mb);
      const w = runScan(empty, rules, cache, 1);
      if (w.rule_cache !== 'hit') throw new Error(`expected a warm start, got ${w.rule_cache}`);
      warm.values.push(w.load_seconds);
      warm.rss.push(w.peak_rss_mb);
      warmStart.values.push(w.load_seconds + (w.start_seconds ?? NaN));
      warmStart.rss.push(w.peak_rss_mb);
      // 1 thread first in even rounds, 2 threads first in odd ones: a machine speeding up or slowing
      // down within a round then favours neither.
      for (const s of i % 2 ? [...scans].reverse() : scans) {
        const timed = runScanTimed(input, rules, cache, s.threads, s.threads === 1);
        const r = timed.summary;
        if (timed.timeline) phases.push({ start: r.start_seconds ?? NaN, load: r.load_seconds, warm: warmUp(timed.timeline), faults: timed.timeline.minorFaults });
        events = r.events;
        alerts.add(r.alerts);
        s.e2e.values.push(r.events / r.seconds);
        s.e2e.rss.push(r.peak_rss_mb);
        s.fromStart.values.push(r.events / (r.seconds + (r.start_seconds ?? NaN)));
        s.fromStart.rss.push(r.peak_rss_mb);
        s.after.values.push(r.events / Math.max(1e-3, r.seconds - r.load_seconds));
        s.after.rss.push(r.peak_rss_mb);
      }
      const both = await Promise.all([startScan(input, rules, cache, 1), startScan(input, rules, cache, 1)]);
      pair.values.push(both.reduce((sum, r) => sum + r.events / r.seconds, 0));
      pair.rss.push(Math.max(...both.map((r) => r.peak_rss_mb)));
      rmSync(cache, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rows = [cold, coldStart, warm, warmStart, ...scans.flatMap((s) => [s.e2e, s.fromStart, s.after]), pair].map(row);
  const rss1 = Math.min(...scans[0].e2e.rss);
  const rss2 = Math.min(...scans[1].e2e.rss);
  process.stdout.write(`\nscale: ${rules.length} SigmaHQ folders; ${input} (${(statSync(input).size / 1048576).toFixed(0)} MiB, ${events} events, alerts per run: ${[...alerts].join(', ')})\n`);
  process.stdout.write(`load average before: ${load0.map((x) => x.toFixed(2)).join(' ')}, after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  process.stdout.write(renderTable(['measure', 'best', 'spread (min - max)', 'peak RSS MB (best run)', 'runs'], rows));
  process.stdout.write(`peak RSS, 2 threads / 1 thread (lowest of each): ${rss2} / ${rss1} MB = ${(rss2 / rss1).toFixed(2)}x\n`);
  // Per round (the 1- and 2-thread scans of a round run one after the other): less exposed to the
  // machine's speed changing between rounds than best against best.
  const perRound = (a: number[], b: number[]): string => {
    const r = a.map((x, i) => x / b[i]);
    const sorted = [...r].sort((x, y) => x - y);
    const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    return `median ${median.toFixed(2)} (rounds: ${r.map((x) => x.toFixed(2)).join(' ')})`;
  };
  process.stdout.write(`2 threads / 1 thread, events/s end to end, per round: ${perRound(scans[1].e2e.values, scans[0].e2e.values)}\n`);
  process.stdout.write(`2 threads / 1 thread, peak RSS, per round: ${perRound(scans[1].e2e.rss, scans[0].e2e.rss)}\n`);
  process.stdout.write(`two 1-thread scans at once / one alone, events/s, per round (the machine's ceiling for 2 threads): ${perRound(pair.values, scans[0].e2e.values)}\n`);
  // The 1-thread scan's time, per round: what comes before the first event, the tasks in order (the
  // first ones slower: warm-up), and the end-to-end rate the scan would have had at its steady rate
  // from the first event on (loading included, as in "end to end").
  process.stdout.write(`\n1-thread scan, where the time goes (per round; timeline of the scan, ${events} events):\n`);
  process.stdout.write(renderTable(
    ['round', 'start-up s', 'rules s', 'tasks s', 'first quarter ev/s', 'steady ev/s (second half)', 'warm-up s (beyond steady)', 'minor page faults', 'end to end ev/s', 'end to end at steady rate'],
    phases.map((p, i) => [i + 1, p.start.toFixed(2), p.load.toFixed(2), p.warm.scanSeconds.toFixed(2), Math.round(p.warm.firstQuarterRate), Math.round(p.warm.steadyRate),
      p.warm.excessSeconds.toFixed(2), p.faults ?? '-', Math.round(scans[0].e2e.values[i]), Math.round(events / (p.load + events / p.warm.steadyRate))]),
  ));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runScaleBench();
