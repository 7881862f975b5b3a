/**
 * Web server latency against the full catalog (three corpora, ATT&CK 17.1, 18.0, 18.1): median and p99
 * of the largest technique page (T1059.001), the AN1288 analytic, a rule page and a search, cold (server
 * started with --no-cache: every answer computed from the database) and warm (answers cached); the very
 * first request after start; the server's resident memory after loading and after the runs.
 * Run: npm run build && DETECTORY_SHARED=../shared node dist/bench/run.js web   (or DETECTORY_BENCH_DB=FILE)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI } from './cli.js';
import { fullCatalog } from '../test/helpers/full-catalog.js';

const PAGES: Array<[string, string]> = [
  ['technique T1059.001', '/techniques/T1059.001'],
  ['analytic AN1288', '/attack/AN1288'],
  ['rule (elastic)', '/rules/elastic/b64b183e-1a76-422d-9179-7b389513e74d'],
  ['search pubprn.vbs', '/search?q=pubprn.vbs'],
];
const COLD_RUNS = 100; // a p99 needs ~100 samples: of 20 it is just the slowest
const WARM_RUNS = 200;
const GOAL_P99_MS = 100;

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function start(db: string, cache: boolean): Promise<{ child: ChildProcess; url: string; startMs: number }> {
  const t = performance.now();
  const args = [...CLI, 'serve', '--db', db, '--port', '0', ...(cache ? [] : ['--no-cache'])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/[^\s/]+)\//.exec(out);
      if (m) res(m[1]);
    });
    child.once('exit', (code) => rej(new Error(`server exited with ${code}`)));
  });
  return { child, url, startMs: performance.now() - t };
}

async function time(url: string): Promise<number> {
  const t = performance.now();
  const r = await fetch(url);
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
  return performance.now() - t;
}

export async function runWebBench(): Promise<void> {
  const shared = process.env.DETECTORY_SHARED;
  const db = process.env.DETECTORY_BENCH_DB ?? (shared ? await fullCatalog(resolve(shared)) : undefined);
  if (!db) {
    console.log('DETECTORY_SHARED (or DETECTORY_BENCH_DB) is not set; nothing to measure');
    return;
  }
  const rows: string[][] = [];
  for (const cache of [false, true]) {
    const s = await start(db, cache);
    try {
      const loaded = rssMb(s.child.pid!);
      console.log(`server (${cache ? 'cache on' : 'cache off'}): started in ${(s.startMs / 1000).toFixed(1)} s, ${loaded.toFixed(0)} MB resident after loading`);
      for (const [name, path] of PAGES) {
        const first = await time(s.url + path);
        const runs = cache ? WARM_RUNS : COLD_RUNS;
        const xs: number[] = [];
        for (let i = 0; i < runs; i++) xs.push(await time(s.url + path));
        const p99 = quantile(xs, 0.99);
        rows.push([name, cache ? 'warm' : 'cold', first.toFixed(1), quantile(xs, 0.5).toFixed(1), p99.toFixed(1), String(runs), p99 < GOAL_P99_MS ? 'yes' : 'NO']);
      }
      console.log(`server (${cache ? 'cache on' : 'cache off'}): ${rssMb(s.child.pid!).toFixed(0)} MB resident after the runs`);
    } finally {
      s.child.kill('SIGTERM');
    }
  }
  const head = ['page', 'mode', 'first ms', 'median ms', 'p99 ms', 'runs', `p99<${GOAL_P99_MS}`];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
}

if (process.argv[1] && resolve(process.argv[1]).endsWith(join('bench', 'web.js'))) await runWebBench();
