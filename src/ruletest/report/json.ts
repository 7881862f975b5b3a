/** `--json`: one line per case, then one summary line: {"summary": {...}}. */
import type { TestRunReport } from '../run.js';
import type { CaseResult } from '../types.js';
import { eventName } from '../verdict.js';

export function caseJson(r: CaseResult): string {
  const engines: Record<string, unknown> = {};
  for (const v of r.verdicts) {
    if ('events' in v) engines[v.engine] = { status: v.status, count: v.count, events: v.events.map(eventName), ...(v.why ? { why: v.why } : {}), ...(v.note ? { note: v.note } : {}) };
    else if (v.status === 'skip') engines[v.engine] = { status: 'skip', reason: v.reason };
    else engines[v.engine] = { status: 'error', message: v.message };
  }
  return JSON.stringify({
    rule: { id: r.case.ruleId, title: r.ruleTitle, path: r.rulePath },
    case: { name: r.case.name, source: r.case.source, defined_in: r.case.definedIn, data: r.case.data.map((d) => d.label), expect: r.case.expect },
    result: r.result,
    engines,
    disagreement: r.disagreement,
  });
}

export function summaryJson(rep: TestRunReport): string {
  const { results: _results, ...summary } = rep;
  return JSON.stringify({ summary });
}
