/**
 * Catalog timings on the shared corpora (DETECTORY_SHARED): full build from scratch, rebuild with
 * nothing changed, rebuild after one file changed, guide T1216 (in-process and through the CLI).
 * Run: npm run build && DETECTORY_SHARED=../shared node dist/bench/catalog.js
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, type BuildOptions } from '../src/catalog/build.js';
import { computeGuide } from '../src/catalog/guide.js';
import { openDb } from '../src/store/db.js';

const GOALS: Record<string, number> = { 'full build': 20, 'no-change rebuild': 2, 'guide T1216 (in process)': 0.2 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function runCatalogBench(): Promise<void> {
  const shared = process.env.DETECTORY_SHARED;
  if (!shared) {
    console.log('DETECTORY_SHARED is not set; nothing to measure');
    return;
  }
  const c = (p: string): string => join(resolve(shared), 'corpora', p);
  const dir = mkdtempSync(join(tmpdir(), 'detectory-bench-catalog-'));
  // one rule copied to a scratch folder, changed between builds (the shared corpora stay untouched)
  const scratch = join(dir, 'scratch');
  mkdirSync(scratch);
  const one = join(scratch, 'changed.yml');
  copyFileSync(c('sigma/rules/windows/process_creation/proc_creation_win_lolbin_pubprn.yml'), one);
  const opts: BuildOptions = { sigma: [c('sigma'), scratch], elastic: [c('elastic')], splunk: [c('splunk')] };
  const results: Array<{ what: string; seconds: number; detail: string }> = [];
  try {
    const dbPath = join(dir, 'bench.duckdb');
    let db = await openDb(dbPath);
    const full = await buildCatalog(db, opts);
    results.push({ what: 'full build', seconds: full.seconds, detail: `${full.files} files, ${full.rules} rules, ${full.problems} problems` });
    const again = await buildCatalog(db, opts);
    results.push({ what: 'no-change rebuild', seconds: again.seconds, detail: `${again.parsedFiles} parsed, ${again.reusedFiles} unchanged` });
    appendFileSync(one, '# changed\n');
    const changed = await buildCatalog(db, opts);
    results.push({ what: 'rebuild, one file changed', seconds: changed.seconds, detail: `${changed.parsedFiles} parsed, ${changed.reusedFiles} unchanged` });
    db.close();
    db = await openDb(dbPath, { readOnly: true });
    const times: number[] = [];
    let g;
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      g = await computeGuide(db, 'T1216');
      times.push((performance.now() - t0) / 1000);
    }
    results.push({ what: 'guide T1216 (in process)', seconds: median(times), detail: `median of 15; first ${times[0].toFixed(3)} s; ${g?.rules.total} rules, ${g?.indicators.length} indicators` });
    db.close();
    const bin = join(dirname(fileURLToPath(import.meta.url)), '../../bin/detectory.js');
    const cli: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      execFileSync(process.execPath, [bin, 'guide', 'T1216', '--json', '--db', dbPath], { stdio: ['ignore', 'ignore', 'inherit'] });
      cli.push((performance.now() - t0) / 1000);
    }
    results.push({ what: 'guide T1216 --json (CLI process)', seconds: median(cli), detail: 'median of 3, node start-up included' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('what                              seconds  goal    detail');
  for (const r of results) {
    const goal = GOALS[r.what];
    const g = goal === undefined ? '' : `< ${goal}${r.seconds < goal ? ' ok' : ' MISSED'}`;
    console.log(`${r.what.padEnd(33)} ${r.seconds.toFixed(3).padStart(7)}  ${g.padEnd(7)} ${r.detail}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runCatalogBench();
