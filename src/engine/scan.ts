/**
 * The scan pipeline: rules loaded and compiled once, event files streamed through the matcher,
 * alerts handed to a sink as they happen (in file order), correlation alerts at the end, and a
 * summary. With several threads, files and parts of large .evtx files are matched on worker
 * threads and their results put back in order.
 */
import { availableParallelism } from 'node:os';
import { formatProblem } from '../model/index.js';
import { listEventFiles } from '../events/read.js';
import { type ReadProblem, UNREADABLE_REASONS } from '../events/types.js';
import type { Placeholders } from '../formats/sigma/index.js';
import { type Alert, LEVEL_ORDER } from './alert.js';
import { type Hit, MAX_HITS, runCorrelations } from './correlation.js';
import { matchContext, scanFile } from './file-scan.js';
import { compileRules, type ListedRuleFiles } from './cache/rule-cache.js';
import { planForWorkers, type ScanWorkers, sendEarlyPlan, startPool, startScanWorkers, stopScanWorkers, type TaskResult, workerMaxOldMb, workerSemiSpaceMb } from './parallel/pool.js';
import { MULTI_THREAD_INLINING_FLAGS, SCAN_JIT_FLAGS, setJitFlags } from './parallel/jit.js';
import { SCAN_GC_FLAGS } from './parallel/young-generation.js';
import { defaultThreads, planTasks, type ScanTask } from './parallel/tasks.js';
import { DecodeThread } from './parallel/decode-thread.js';
import { isElasticRuleFile } from './rule-files.js';
import { mark, markFaults, markNodeOptions, markProcessCpu, markThreadCpu } from './parallel/timeline.js';

export interface ScanOptions {
  rulePaths: string[];
  /** The rule files of rulePaths, when the caller has listed them (listing 3,700 files takes 20-90 ms). */
  ruleFiles?: ListedRuleFiles;
  eventPaths: string[];
  minLevel?: string;
  placeholders?: Placeholders;
  /** Matching threads; default: every core when the input is large enough to pay for it, else 1. */
  threads?: number;
  /** Chunks of a large .evtx file per worker task (tuning and tests). */
  chunksPerTask?: number;
  /** Tests: the main thread scans only once every worker thread has a task (see PoolOptions.workersFirst). */
  workersFirst?: boolean;
  /**
   * How 2 threads share a scan without Elastic rules: 'stage' (default), one decodes the events and
   * the other matches them (parallel/decode-thread.ts); 'data', both decode and match, each its
   * own part of the input (parallel/pool.ts, always used with 3 threads or more, or Elastic rules).
   */
  split?: 'stage' | 'data';
  /** Rule cache folder (see cache/rule-cache.ts); undefined: rules are compiled without a cache. */
  cacheDir?: string;
  /** Also scan deleted records carved from .evtx chunk slack; their alerts say `recovered`. */
  recover?: boolean;
  onAlert(a: Alert): void;
  /** Every problem, one line each (rules and events). */
  onProblem(line: string): void;
  onProgress?(p: { done: number; total: number; events: number; file: string }): void;
}

export interface ScanSummary {
  files: number;
  events: number;
  rule_files: number;
  rules_loaded: number;
  rules_skipped: number;
  skipped_by_reason: Record<string, number>;
  correlations: number;
  filters: number;
  alerts: number;
  event_problems: number;
  event_problems_by_reason: Record<string, number>;
  unreadable_inputs: number;
  threads: number;
  /** With several threads: how they shared the scan ('stage': one decoded, one matched; 'data': each decoded and matched its own part). */
  split?: 'stage' | 'data';
  /** Time to read and compile the rules, included in `seconds`. */
  load_seconds: number;
  /** Where the compiled rules came from: the cache ("hit"), compiled and stored ("built"), or compiled with the cache off ("off"). */
  rule_cache: 'hit' | 'built' | 'off';
  seconds: number;
  /**
   * The command's time before the scan starts, not in `seconds`: from the process start (Node, the
   * modules, the command line, listing the rule files). Set by the CLI.
   */
  start_seconds?: number;
  peak_rss_mb: number;
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}


export async function scan(opts: ScanOptions): Promise<ScanSummary> {
  const t0 = performance.now();
  mark('scan start');
  markNodeOptions();
  // The event files first, to start the worker threads while this thread loads the rules; their
  // problems are reported after the rules' (the order of a scan's problem lines stays the same).
  const listProblems: ReadProblem[] = [];
  const { files } = listEventFiles(opts.eventPaths, (p) => listProblems.push(p));
  const tasks = planTasks(files, opts.chunksPerTask);
  if (opts.recover) for (const t of tasks) t.recover = true;
  const totalBytes = tasks.reduce((a, t) => a + t.bytes, 0);
  // Whether 2 threads would split the scan by stage is known here only when the caller listed the rule files (the CLI does).
  const stageable = opts.ruleFiles !== undefined && splitsByStage(opts, opts.ruleFiles.files);
  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(totalBytes, availableParallelism(), stageable), tasks.length || 1));
  // Started once the rule files are listed (their young generation depends on the rules: workerSemiSpaceMb).
  let started: ScanWorkers | undefined;
  let decoder: DecodeThread | undefined;
  const startWorkers = threads > 1 ? (ruleFiles: string[]): ScanWorkers | DecodeThread => {
    // Before the other thread starts: its isolate and this one compile with it (see jit.ts).
    setJitFlags(MULTI_THREAD_INLINING_FLAGS);
    if (threads === 2 && splitsByStage(opts, ruleFiles)) return (decoder = new DecodeThread(tasks));
    // Before the workers start: their isolates and this one tier up later (see jit.ts).
    setJitFlags([...SCAN_JIT_FLAGS, ...SCAN_GC_FLAGS]);
    return (started = startScanWorkers(threads - 1, workerSemiSpaceMb(ruleFiles), workerMaxOldMb(ruleFiles, tasks)));
  } : undefined;
  try {
    return await scanWith(opts, t0, files, tasks, threads, listProblems, startWorkers);
  } finally {
    if (started) await stopScanWorkers(started.workers);
    if (decoder) await decoder.stop();
  }
}

/**
 * Whether 2 threads split the scan by stage (decode-thread.ts) rather than by data: without Elastic
 * rules (.toml files), unless the caller asks for the data split. 256 MiB bench file, all SigmaHQ
 * rules, the same loaded VM: split by data, 2 threads took 3.67-4.22 s where 1 thread took 3.33-4.12
 * (3 alternated pairs); split by stage, 3.16-3.52 s against 3.40-4.05 (6 of 6 alternated pairs
 * faster), peak RSS 303-339 MB against 297-306, the same output byte for byte. The matching thread
 * then waited for events 0.7-0.9 s of a scan; since the wire sends only what changes (event-wire.ts)
 * and the reader reuses repeated strings, the decoding thread is the one waiting (416 ms of a 1.96 s
 * scan): matching is the slower stage. (Used with 2 threads only: more split by data.)
 */
function splitsByStage(opts: ScanOptions, ruleFiles: string[]): boolean {
  return (opts.split ?? 'stage') === 'stage' && !opts.workersFirst && !ruleFiles.some(isElasticRuleFile);
}

async function scanWith(opts: ScanOptions, t0: number, files: string[], tasks: ScanTask[], threads: number, listProblems: ReadProblem[],
  startWorkers: ((ruleFiles: string[]) => ScanWorkers | DecodeThread) | undefined): Promise<ScanSummary> {
  // The workers start as soon as the rule files are listed, so that their start-up (a Node
  // environment, the modules) runs while this thread reads the rules (a decoding thread reads
  // the events meanwhile).
  let started: ScanWorkers | undefined;
  let decoder: DecodeThread | undefined;
  const onListed = startWorkers && ((ruleFiles: string[]): void => {
    const w = startWorkers(ruleFiles);
    if (w instanceof DecodeThread) decoder = w;
    else started = w;
  });
  // A cold start stores its cache files once the events are scanned: the first event does not wait for them.
  // A cached plan goes to the workers as soon as it is read; they use it only if it passes its checks here.
  const onPlanRead = startWorkers ? (p: { blob: Uint8Array; key: string }) => {
    mark('plan read');
    if (started) sendEarlyPlan(started, p);
  } : undefined;
  const compiled = await compileRules(opts.rulePaths, { placeholders: opts.placeholders, cacheDir: opts.cacheDir, onNote: opts.onProblem, deferStore: true, onPlanRead, onListed, listed: opts.ruleFiles });
  mark('rules compiled');
  const workerPlan = started && (await planForWorkers(started, compiled.plan));
  const done = { n: 0, events: 0 };
  const onDone = (r: TaskResult): void => {
    done.events += r.events;
    opts.onProgress?.({ done: ++done.n, total: tasks.length, events: done.events, file: tasks[r.id].file });
  };
  // The workers get their rules and first tasks now: they scan while this thread builds its Elastic
  // runner (the plan holds the Elastic rules too: the workers compile their own runner from it).
  const pool = started && startPool(started, { plan: workerPlan, minLevel: opts.minLevel }, tasks, { workersFirst: opts.workersFirst, onDone });
  const { ruleSet, matcher } = compiled;
  const alertSink: { emit: (a: Alert) => void } = { emit: () => undefined };
  // Compiling the Elastic rules (EQL analysis, KQL trees, the rule index) is part of loading.
  const elastic = ruleSet.elastic.length
    // With worker threads, this thread's own tasks hold their events for the stateful rules until
    // their turn (as the workers' results do): only the part those rules read is kept.
    // (Imported only then: the Elastic runner, ECS mapping and EQL engine are a third of the scan's modules.)
    ? new (await import('./elastic/runner.js')).ElasticRunner(ruleSet.elastic, (a) => alertSink.emit(a), (p) => opts.onProblem(formatProblem(p)), opts.minLevel ? LEVEL_ORDER[opts.minLevel] : undefined, { cutOrdered: threads > 1 })
    : undefined;
  const loadSeconds = (performance.now() - t0) / 1000;
  markThreadCpu('loaded');
  const skippedByReason: Record<string, number> = {};
  let unreadable = 0;
  for (const p of ruleSet.problems) {
    opts.onProblem(formatProblem(p));
    if (p.reason === 'unreadable') unreadable++;
    else if (p.reason !== 'filter-unused') count(skippedByReason, p.reason);
  }
  const eventProblems: Record<string, number> = {};
  const onReadProblem = (p: ReadProblem): void => {
    count(eventProblems, p.reason);
    if (UNREADABLE_REASONS.has(p.reason)) unreadable++;
    opts.onProblem(formatProblem({ file: p.file, where: p.where, reason: p.reason, message: p.message }));
  };
  for (const p of listProblems) onReadProblem(p);

  const hits: Hit[] = [];
  let hitsDropped = 0;
  let untimed = 0;
  let events = 0;
  let alerts = 0;
  const keep = (h: Hit[]): void => {
    for (const x of h) {
      if (hits.length < MAX_HITS) hits.push(x);
      else hitsDropped++;
    }
  };
  const emit = (a: Alert): void => {
    alerts++;
    opts.onAlert(a);
  };
  alertSink.emit = emit;

  if (elastic) {
    for (const s of elastic.skipped) {
      count(skippedByReason, `elastic: ${s.reason}`);
      if (s.reason === 'eql-unsupported' || s.reason === 'unsupported-condition' || s.reason.endsWith('-settings')) opts.onProblem(formatProblem({ file: s.rule.path, reason: s.reason, message: s.message }));
    }
  }

  const loaded = matcher.loaded.length + (elastic?.loaded.length ?? 0);
  for (const s of matcher.skipped) reportSkip(s.rule.path, s.reason, s.message);
  const ctx = matchContext(matcher, ruleSet.correlations, opts.minLevel);
  if (elastic?.size) ctx.elastic = elastic;
  const take = (r: { events: number; untimed: number; hits: Hit[] }): void => {
    events += r.events;
    untimed += r.untimed;
    keep(r.hits);
  };
  if (decoder && elastic) throw new Error('internal: Elastic rules in a scan split by stage');
  if (!pool) {
    if (ctx.elastic) ctx.ordered = (o) => elastic!.ordered(o);
    for (const [i, t] of tasks.entries()) {
      opts.onProgress?.({ done: i, total: tasks.length, events, file: t.file });
      const before = events;
      mark(`task ${t.id} start`);
      const r = await scanFile(t.file, ctx, emit, onReadProblem, t.range, (n) => {
        opts.onProgress?.({ done: i, total: tasks.length, events: before + n, file: t.file });
      }, t.recover, decoder && ((onProblem) => decoder!.events(t, onProblem)));
      markThreadCpu(`task ${t.id} end events ${r.events}${decoder ? ` waited ${Math.round(decoder.waitedMs)} ms` : ''}`);
      take(r);
    }
    elastic?.finish();
  } else {
    // This thread scans too. Its task is normally the next in order: it emits its alerts as they come,
    // as a one-thread scan does; else they wait with the workers' results so that order is kept.
    const local = async (t: ScanTask, inOrder: boolean): Promise<TaskResult> => {
      const alerts: Alert[] = [];
      const problems: ReadProblem[] = [];
      const notes: string[] = [];
      mark(`task ${t.id} start`);
      ctx.ordered = inOrder && elastic ? (o) => elastic.ordered(o) : undefined;
      const r = inOrder
        ? await scanFile(t.file, ctx, emit, onReadProblem, t.range, undefined, t.recover)
        : await scanFile(t.file, ctx, (a) => alerts.push(a), (p) => problems.push(p), t.range, undefined, t.recover);
      markThreadCpu(`task ${t.id} end events ${r.events}`);
      return { type: 'result', id: t.id, events: r.events, alerts, hits: r.hits, untimed: r.untimed, problems, ordered: r.ordered, notes };
    };
    await pool.run(local, (r) => {
      for (const p of r.problems) onReadProblem(p);
      for (const line of r.notes) opts.onProblem(line);
      // The task's alerts, with the stateful Elastic rules run on its events at their places.
      let k = 0;
      for (const o of r.ordered) {
        while (k < o.at) emit(r.alerts[k++]);
        elastic!.ordered(o);
      }
      while (k < r.alerts.length) emit(r.alerts[k++]);
      take(r);
    });
    elastic?.finish();
  }

  function reportSkip(path: string, reason: string, message: string): void {
    count(skippedByReason, reason);
    if (reason === 'compile-error') opts.onProblem(formatProblem({ file: path, reason, message }));
  }

  if (untimed) opts.onProblem(`correlations: ${untimed} matches without a valid timestamp were left out of correlations`);
  if (hitsDropped) opts.onProblem(`correlations: ${hitsDropped} matches beyond ${MAX_HITS} were not kept`);
  const corr = runCorrelations(ruleSet.correlations, hits);
  for (const p of corr.problems) {
    opts.onProblem(formatProblem(p));
    count(skippedByReason, p.reason);
  }
  const minLevel = opts.minLevel ? LEVEL_ORDER[opts.minLevel] : undefined;
  for (const a of corr.alerts) {
    if (minLevel !== undefined && (LEVEL_ORDER[a.rule.level] ?? 2) < minLevel) continue;
    emit(a);
  }
  compiled.store();
  markThreadCpu('end');
  markProcessCpu();
  markFaults();
  return {
    files: files.length,
    events,
    rule_files: ruleSet.files,
    rules_loaded: loaded,
    rules_skipped: Object.values(skippedByReason).reduce((a, b) => a + b, 0),
    skipped_by_reason: skippedByReason,
    correlations: ruleSet.correlations.length,
    filters: ruleSet.filters.length,
    alerts,
    event_problems: Object.values(eventProblems).reduce((a, b) => a + b, 0),
    event_problems_by_reason: eventProblems,
    unreadable_inputs: unreadable,
    threads,
    ...(decoder ? { split: 'stage' as const } : pool ? { split: 'data' as const } : {}),
    load_seconds: Math.round(loadSeconds * 100) / 100,
    rule_cache: compiled.cache,
    seconds: Math.round((performance.now() - t0) / 10) / 100,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
