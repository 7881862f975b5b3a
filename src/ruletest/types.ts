/**
 * Rule tests (`detectory test`): what a test case says, what each engine found, and the verdicts.
 * A case names one rule (by id), the event files it runs on, and what the rule must do there.
 */

/** What a rule must do on the events of a case. */
export type Expectation =
  /** Exactly n alerts of the rule (our match_count; SigmaHQ's with --strict-count). */
  | { kind: 'count'; n: number }
  /**
   * SigmaHQ's match_count by default: at least n alerts. Fewer means events the rule matched when the
   * count was written are lost (a regression): fail. More passes with a note naming the events, because
   * SigmaHQ's own runner checks only that the rule fires, and some counts are older than the rule's lists.
   */
  | { kind: 'recorded'; n: number }
  /** At least one alert (SigmaHQ info.yml without match_count: the rule must fire). */
  | { kind: 'fires' }
  /** Every event of the case raises the rule (our `match: true`). */
  | { kind: 'all' }
  /** No event raises the rule (our `match: false`). */
  | { kind: 'none' };

/** One event file of a case: the file read, and the name people see (inline events: the tests file and case). */
export interface DataFile {
  path: string;
  label: string;
}

export interface TestCase {
  /** The rule's id (Sigma id, Elastic rule_id). */
  ruleId: string;
  /** Where the case is written (info.yml, <rule>.tests.yml). */
  definedIn: string;
  /** Its name within the rule's cases. */
  name: string;
  source: 'sigma-regression' | 'detectory';
  data: DataFile[];
  expect: Expectation;
}

/** An event as the engines name it: the file (its label) and what identifies it there. */
export interface EventRef {
  label: string;
  record_id: number | null;
  timestamp: string | null;
  event_id: number | null;
}

export type EngineVerdict =
  | { engine: string; status: 'pass' | 'fail'; count: number; events: EventRef[]; why?: string; note?: string }
  /** The engine cannot run this rule (an Elastic rule on a SQL engine, a rule the matcher refuses). */
  | { engine: string; status: 'skip'; reason: string }
  /** The engine, or the case's data, failed: counted as a failure, never as a pass. */
  | { engine: string; status: 'error'; message: string };

export interface CaseResult {
  case: TestCase;
  ruleTitle: string;
  rulePath: string;
  verdicts: EngineVerdict[];
  /** Engines that ran gave different events: each difference named. */
  disagreement: string[];
  /** pass: every engine ran and gave the expected result, all alike; skip: none failed but some could not run the rule. */
  result: 'pass' | 'fail' | 'skip';
}

/** A problem met while finding or reading tests, rules or data: one line each, the run goes on. */
export interface TestProblem {
  file: string;
  reason: string;
  message: string;
}
