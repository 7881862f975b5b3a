/**
 * An engine that `detectory test` runs rules on. Every engine gets the same rules and the same
 * event files (each file once, whatever number of tests read it) and reports every alert with the
 * event it names; the verdicts are computed from that, the same way for every engine.
 */
import type { RuleSet } from '../../engine/rules.js';

export interface EngineHit {
  ruleId: string;
  /** The event file, as given to run(). */
  file: string;
  record_id: number | null;
  timestamp: string | null;
  event_id: number | null;
}

export interface EngineRun {
  /** Events read, per file. */
  events: Map<string, number>;
  hits: EngineHit[];
  /** Rules this engine cannot run (rule id to the reason). */
  skipped: Map<string, string>;
  /** Problems reading or loading a file (read errors, store errors), per file. */
  fileProblems: Map<string, string[]>;
  /** Other problems (correlations, the engine's own notes): shown, not tied to a case. */
  notes: string[];
}

export interface EngineAdapter {
  readonly name: string;
  /** Runs the rules over the files. Throws (EngineError) when the engine itself cannot run at all. */
  run(rules: RuleSet, files: string[]): Promise<EngineRun>;
}

/** The engine cannot run at all (no cluster, store down): every case gets this as its error. */
export class EngineError extends Error {}

export function emptyRun(): EngineRun {
  return { events: new Map(), hits: [], skipped: new Map(), fileProblems: new Map(), notes: [] };
}

export function addFileProblem(run: EngineRun, file: string, line: string): void {
  const l = run.fileProblems.get(file) ?? [];
  l.push(line);
  run.fileProblems.set(file, l);
}
