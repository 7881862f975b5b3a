/**
 * A timeline of a scan's threads, for tuning (off unless DETECTORY_SCAN_TIMELINE is set): each
 * thread writes `timeline <thread> <ms since the process started> <what>` lines to stderr, and
 * the CPU time of every thread of the process (V8's helper threads too) at the end. Times come from
 * one clock (the epoch), so the lines of the main thread and the workers line up.
 */
import { readdirSync, readFileSync, writeSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';

export const TIMELINE = !!process.env.DETECTORY_SCAN_TIMELINE;

/** The process start, ms since the epoch (the main thread's time origin; a worker's is its own start). */
const START = Number(process.env.DETECTORY_SCAN_TIMELINE_START ?? 0) || performance.timeOrigin;
if (TIMELINE && isMainThread) process.env.DETECTORY_SCAN_TIMELINE_START = String(START);

export function mark(what: string): void {
  if (!TIMELINE) return;
  const ms = performance.timeOrigin + performance.now() - START;
  writeSync(2, `timeline ${isMainThread ? 'main' : `w${threadId}`} ${ms.toFixed(1)} ${what}\n`);
}

/** The node options the process started with (bin/detectory.js's shebang gives V8's young generation and helper threads). */
export function markNodeOptions(): void {
  if (!TIMELINE) return;
  mark(`node options ${process.execArgv.join(' ') || '(none)'}`);
}

/** The fields of a /proc stat line after the name (the name may hold spaces and parentheses): field 3 first. */
const afterName = (stat: string): string[] => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

/** CPU ms (user + system) of a /proc stat line. */
function statCpu(stat: string): { name: string; ms: number } {
  const f = afterName(stat);
  // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name; clock ticks of 10 ms.
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ms: (Number(f[11]) + Number(f[12])) * 10 };
}

/** This thread's CPU time so far. */
export function markThreadCpu(what: string): void {
  if (!TIMELINE) return;
  try {
    mark(`${what} cpu ${statCpu(readFileSync('/proc/thread-self/stat', 'utf8')).ms} ms`);
  } catch {
    // Not Linux.
  }
}

/** The process's page faults so far (minor: a first touch of memory; major: read from disk). */
export function markFaults(): void {
  if (!TIMELINE) return;
  try {
    // minflt and majflt are fields 10 and 12, the 8th and 10th after the name.
    const f = afterName(readFileSync('/proc/self/stat', 'utf8'));
    mark(`faults minor ${f[7]} major ${f[9]}`);
  } catch {
    // Not Linux.
  }
}

/** Every live thread's CPU time, by name (the main thread's, V8's helpers', libuv's...). */
export function markProcessCpu(): void {
  if (!TIMELINE) return;
  try {
    const threads: string[] = [];
    for (const tid of readdirSync('/proc/self/task')) {
      const { name, ms } = statCpu(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'));
      if (ms) threads.push(`${tid}:${name.replace(/\s+/g, '_')}=${ms}`);
    }
    mark(`threads cpu ${threads.join(' ')}`);
  } catch {
    // Not Linux.
  }
}
