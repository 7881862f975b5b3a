/** The report for people: one row per case (rule, case, each engine's verdict, result), the failures explained below. */
import { renderTable, type TableLayout } from '../../cli/output/table.js';
import type { TestRunReport } from '../run.js';
import type { CaseResult, EngineVerdict } from '../types.js';
import { describeExpectation } from '../verdict.js';
import { verdictLine } from './junit.js';
import { escapeControls } from '../../util/safe-text.js';

function cell(v: EngineVerdict): string {
  switch (v.status) {
    case 'pass':
    case 'fail':
      return `${v.status} ${v.count}${v.note ? '*' : ''}`;
    default:
      return v.status;
  }
}

export function resultsTable(results: CaseResult[], engines: string[], width = 100): string {
  const rows = results.map((r) => [r.ruleTitle, r.case.name, describeExpectation(r.case.expect), ...r.verdicts.map(cell), r.result.toUpperCase()]);
  // Rule and case names shrink first; verdict columns keep their few characters.
  const layout: TableLayout = {
    width,
    columns: [{ weight: 3, min: 12 }, { weight: 2, min: 10 }, { weight: 0, min: 8 }, ...engines.map(() => ({ weight: 0, min: 7 })), { weight: 0, min: 6 }],
  };
  return renderTable(['rule', 'case', 'expected', ...engines, 'result'], rows, layout);
}

/**
 * Why each failed (and skipped) case did not pass: the case, then one line per engine and per
 * difference; then the notes of passed cases (a verdict marked * in the table).
 */
export function failureDetails(results: CaseResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    if (r.result === 'pass') {
      const noted = r.verdicts.filter((v) => 'note' in v && v.note);
      if (noted.length) out.push(`NOTE ${r.ruleTitle} (${r.case.ruleId}) / ${r.case.name}  [${r.case.definedIn}]`, ...noted.map((v) => `  ${verdictLine(v)}`));
      continue;
    }
    out.push(`${r.result.toUpperCase()} ${r.ruleTitle} (${r.case.ruleId}) / ${r.case.name}  [${r.case.definedIn}]`);
    for (const v of r.verdicts) if (v.status !== 'pass') out.push(`  ${verdictLine(v)}`);
    if (r.disagreement.length) out.push('  engines disagree:', ...r.disagreement.map((d) => `    ${d}`));
  }
  // Titles, reasons and file names come from untrusted files: no control character reaches the terminal.
  return out.length ? out.map(escapeControls).join('\n') + '\n' : '';
}

export function summaryTable(rep: TestRunReport): string {
  const rows: Array<[string, string | number]> = [
    ['cases', rep.results.length], ['passed', rep.passed], ['passed with a note', rep.noted], ['failed', rep.failed], ['skipped', rep.skipped],
    ['bad tests files', rep.bad_tests], ['rules loaded', rep.rules_loaded], ['data files', rep.data_files],
    ['SigmaHQ cases of other rules', rep.not_selected],
    ...rep.engines.map((e): [string, string] => [`engine ${e.name}`, e.error ? `error: ${e.error}` : `${e.pass} pass, ${e.fail} fail, ${e.skip} skip; ${e.events} events, ${e.alerts} alerts, ${e.seconds} s`]),
    ['seconds', rep.seconds],
  ];
  return renderTable(['test', ''], rows, 160);
}
