/**
 * The scan pipeline: rules loaded and compiled once, event files streamed through the matcher,
 * alerts handed to a sink as they happen, correlation alerts at the end, and a summary.
 */
import type { Problem, Rule } from '../model/index.js';
import { formatProblem } from '../model/index.js';
import { flattenEvent, type FlatEvent } from '../events/normalize.js';
import { listEventFiles, readEventFile } from '../events/read.js';
import type { ReadProblem } from '../events/types.js';
import type { Placeholders } from '../formats/sigma/index.js';
import { type Alert, LEVEL_ORDER } from './alert.js';
import { type Hit, MAX_HITS, referencedRuleKeys, runCorrelations, suppressedRuleKeys } from './correlation.js';
import { type CompiledVariant, Matcher } from './matcher.js';
import { loadRules } from './rules.js';

export interface ScanOptions {
  rulePaths: string[];
  eventPaths: string[];
  minLevel?: string;
  placeholders?: Placeholders;
  onAlert(a: Alert): void;
  /** Every problem, one line each (rules and events). */
  onProblem(line: string): void;
  onProgress?(p: { file: string; fileIndex: number; files: number; events: number }): void;
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
  /** Time to read and compile the rules, included in `seconds`. */
  load_seconds: number;
  seconds: number;
  peak_rss_mb: number;
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export async function scan(opts: ScanOptions): Promise<ScanSummary> {
  const t0 = performance.now();
  const ruleSet = loadRules(opts.rulePaths, { placeholders: opts.placeholders });
  const skippedByReason: Record<string, number> = {};
  let unreadable = 0;
  for (const p of ruleSet.problems) {
    opts.onProblem(formatProblem(p));
    if (p.reason === 'unreadable') unreadable++;
    else if (p.reason !== 'filter-unused') count(skippedByReason, p.reason);
  }
  const matcher = new Matcher(ruleSet.detections);
  const loadSeconds = (performance.now() - t0) / 1000;
  for (const s of matcher.skipped) {
    count(skippedByReason, s.reason);
    if (s.reason === 'compile-error') opts.onProblem(formatProblem({ file: s.rule.path, reason: s.reason, message: s.message }));
  }
  const minLevel = opts.minLevel ? LEVEL_ORDER[opts.minLevel] : undefined;
  const correlationKeys = referencedRuleKeys(ruleSet.correlations);
  const suppressed = suppressedRuleKeys(ruleSet.correlations);
  const hits: Hit[] = [];
  let hitsDropped = 0;
  let untimed = 0;
  const eventProblems: Record<string, number> = {};
  const onReadProblem = (p: ReadProblem): void => {
    count(eventProblems, p.reason);
    if (p.reason === 'unreadable' || p.reason === 'not-evtx' || p.reason === 'unsupported-version') unreadable++;
    opts.onProblem(formatProblem({ file: p.file, where: p.where, reason: p.reason, message: p.message }));
  };
  const { files } = listEventFiles(opts.eventPaths, onReadProblem);
  let events = 0;
  let alerts = 0;
  for (const [fi, file] of files.entries()) {
    opts.onProgress?.({ file, fileIndex: fi, files: files.length, events });
    try {
      for await (const batch of readEventFile(file, onReadProblem)) {
        for (const rec of batch) {
          events++;
          const ev = flattenEvent(rec);
          const matches = matcher.match(ev);
          for (const m of matches) {
            const keys = ruleKeys(m.rule);
            if (keys.some((k) => correlationKeys.has(k))) {
              const hit = toHit(m, ev);
              if (Number.isNaN(hit.time)) untimed++;
              else if (hits.length < MAX_HITS) hits.push(hit);
              else hitsDropped++;
            }
            if (keys.some((k) => suppressed.has(k))) continue;
            if (minLevel !== undefined && (LEVEL_ORDER[m.rule.level ?? 'medium'] ?? 2) < minLevel) continue;
            alerts++;
            opts.onAlert(toAlert(m, ev));
          }
        }
        opts.onProgress?.({ file, fileIndex: fi, files: files.length, events });
      }
    } catch (e) {
      // A reader must not throw; if one does, the file is reported and the run goes on.
      onReadProblem({ file, reason: 'read-error', message: (e as Error).message });
    }
  }
  if (untimed) opts.onProblem(`correlations: ${untimed} matches without a valid timestamp were left out of correlations`);
  if (hitsDropped) opts.onProblem(`correlations: ${hitsDropped} matches beyond ${MAX_HITS} were not kept`);
  const corr = runCorrelations(ruleSet.correlations, hits);
  for (const p of corr.problems) {
    opts.onProblem(formatProblem(p));
    count(skippedByReason, p.reason);
  }
  for (const a of corr.alerts) {
    if (minLevel !== undefined && (LEVEL_ORDER[a.rule.level] ?? 2) < minLevel) continue;
    alerts++;
    opts.onAlert(a);
  }
  const rulesSkipped = Object.values(skippedByReason).reduce((a, b) => a + b, 0);
  return {
    files: files.length,
    events,
    rule_files: ruleSet.files,
    rules_loaded: matcher.loaded.length,
    rules_skipped: rulesSkipped,
    skipped_by_reason: skippedByReason,
    correlations: ruleSet.correlations.length,
    filters: ruleSet.filters.length,
    alerts,
    event_problems: Object.values(eventProblems).reduce((a, b) => a + b, 0),
    event_problems_by_reason: eventProblems,
    unreadable_inputs: unreadable,
    load_seconds: Math.round(loadSeconds * 100) / 100,
    seconds: Math.round((performance.now() - t0) / 10) / 100,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function ruleKeys(r: Rule): string[] {
  return r.extra.name ? [r.id, String(r.extra.name)] : [r.id];
}

function eventInfo(ev: FlatEvent): Alert['event'] {
  const f = ev.fields;
  const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    file: ev.record.file,
    record_id: ev.record.recordId ?? null,
    timestamp: ev.record.timestamp ?? null,
    computer: s(f.Computer),
    channel: ev.channel || null,
    event_id: Number.isNaN(ev.eventId) ? null : ev.eventId,
  };
}

export function toAlert(m: CompiledVariant, ev: FlatEvent): Alert {
  const matched: Alert['matched'] = {};
  for (const [shown, field] of m.shownFields) {
    const v = ev.fields[field];
    if (v !== undefined) matched[shown] = v;
  }
  return {
    rule: { id: m.rule.id, title: m.rule.title, level: m.rule.level ?? 'medium', source: 'sigma' },
    event: eventInfo(ev),
    techniques: m.rule.techniques,
    matched,
  };
}

function toHit(m: CompiledVariant, ev: FlatEvent): Hit {
  return {
    ruleId: m.rule.id,
    ruleName: m.rule.extra.name as string | undefined,
    time: ev.record.timestamp ? Date.parse(ev.record.timestamp) : NaN,
    fields: ev.fields,
    event: eventInfo(ev),
  };
}

export type { Problem };
