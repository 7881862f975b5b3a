/**
 * The young generation of scan workers. V8's --max-semi-space-size flag is process-wide and wins
 * over a Worker's resourceLimits.maxYoungGenerationSizeMb: with bin/detectory.js's shebang (64 MiB
 * semi-spaces, for the main thread) every worker got 2 x 64 MiB of semi-spaces whatever its
 * resourceLimits said. A heap reads the flag once, when its isolate is made, so the flag is set to
 * the workers' size just before they start and put back once they are running.
 */
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';

const FLAG = /^--max[-_]semi[-_]space[-_]size=(\d+)$/;

/** The process's own semi-space flag (command line, else NODE_OPTIONS), in MiB; 0: V8's default. */
export function processSemiSpaceMb(execArgv: string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): number {
  let mb = 0;
  for (const a of [...nodeOptions.split(/\s+/), ...execArgv]) {
    const m = FLAG.exec(a);
    if (m) mb = Number(m[1]);
  }
  return mb;
}

/**
 * Starts workers (made by `start`) whose semi-spaces are `semiSpaceMb` MiB each, then restores the
 * process flag once every one of them is online (or gone).
 */
export function startWithSemiSpace(semiSpaceMb: number, start: () => Worker[]): Worker[] {
  setFlagsFromString(`--max-semi-space-size=${semiSpaceMb}`);
  let workers: Worker[] = [];
  try {
    workers = start();
  } finally {
    let waiting = workers.length;
    const restore = (): void => {
      if (--waiting <= 0) setFlagsFromString(`--max-semi-space-size=${processSemiSpaceMb()}`);
    };
    if (waiting === 0) restore();
    for (const w of workers) {
      let done = false;
      const once = (): void => {
        if (done) return;
        done = true;
        restore();
      };
      w.once('online', once);
      w.once('exit', once);
    }
  }
  return workers;
}

/**
 * V8 flags of a multi-thread scan's garbage collection (process-wide, read at each scavenge). Each
 * isolate scavenges its young generation on its own thread instead of splitting the work with V8's
 * helper threads: with as many scanning threads as cores, the helpers only take CPU from the other
 * scanning thread, and the collecting thread waits for them. 2-thread scans of the 256 MiB bench
 * file, seconds of the whole scan, alternated runs, the same alerts and peak RSS in each pair: all
 * SigmaHQ rules, 5 pairs: 3.41-3.61 s against 3.51-3.61 (the flag on the command line instead, 9
 * pairs: 3.46-4.06 against 3.67-4.24); the Windows Sigma and Elastic rules, 4 pairs: 6.06-6.65 s
 * against 6.24-6.78. A small gain, within this VM's noise on its own, but lower in every sorted rank.
 */
export const SCAN_GC_FLAGS: readonly string[] = ['--no-parallel-scavenge'];
