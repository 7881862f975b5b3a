/**
 * Where a 1-thread scan's time goes, from its timeline (DETECTORY_SCAN_TIMELINE=1, see
 * src/engine/parallel/timeline.ts): the tasks (8 MiB of .evtx chunks each) in order, with their
 * events and milliseconds, and the process's page faults. The first tasks of a scan run slower
 * than the later ones (code not yet optimised by V8, rules compiled and buckets built on first use,
 * the heap growing into fresh memory); the second half of the tasks gives the steady rate, and
 * what the scan took beyond that rate is its warm-up.
 */

export interface TaskTime {
  id: number;
  ms: number;
  events: number;
}

export interface ScanTimeline {
  tasks: TaskTime[];
  /** Minor page faults of the whole process (first touches of memory); undefined if not reported. */
  minorFaults?: number;
}

/** The main thread's tasks and the process's faults, from a scan's standard error. */
export function parseTimeline(stderr: string): ScanTimeline {
  const starts = new Map<number, number>();
  const tasks: TaskTime[] = [];
  let minorFaults: number | undefined;
  for (const line of stderr.split('\n')) {
    let m = /^timeline main ([\d.]+) task (\d+) start$/.exec(line);
    if (m) {
      starts.set(Number(m[2]), Number(m[1]));
      continue;
    }
    m = /^timeline main ([\d.]+) task (\d+) end events (\d+)\b/.exec(line);
    if (m) {
      const id = Number(m[2]);
      const start = starts.get(id);
      if (start === undefined) throw new Error(`timeline: task ${id} ends before it starts`);
      tasks.push({ id, ms: Number(m[1]) - start, events: Number(m[3]) });
      continue;
    }
    m = /^timeline main [\d.]+ faults minor (\d+) /.exec(line);
    if (m) minorFaults = Number(m[1]);
  }
  return { tasks, minorFaults };
}

export interface WarmUp {
  /** Seconds of all tasks together. */
  scanSeconds: number;
  /** Events/s of the first quarter of the tasks. */
  firstQuarterRate: number;
  /** Events/s of the second half of the tasks: the steady rate. */
  steadyRate: number;
  /** Seconds the tasks took beyond their events at the steady rate. */
  excessSeconds: number;
}

const rateOf = (ts: TaskTime[]): number => ts.reduce((s, t) => s + t.events, 0) / (ts.reduce((s, t) => s + t.ms, 0) / 1000);

export function warmUp(tl: ScanTimeline): WarmUp {
  const n = tl.tasks.length;
  if (n < 4) throw new Error(`timeline: ${n} tasks, too few to tell a warm-up from a steady rate`);
  const steadyRate = rateOf(tl.tasks.slice(Math.floor(n / 2)));
  const scanSeconds = tl.tasks.reduce((s, t) => s + t.ms, 0) / 1000;
  const events = tl.tasks.reduce((s, t) => s + t.events, 0);
  return { scanSeconds, firstQuarterRate: rateOf(tl.tasks.slice(0, Math.ceil(n / 4))), steadyRate, excessSeconds: scanSeconds - events / steadyRate };
}
