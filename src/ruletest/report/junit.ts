/**
 * JUnit XML for CI systems: one <testsuite> per rule (name: the rule's title, id and file in
 * properties-like attributes), one <testcase> per case (classname: the rule id, name: the case),
 * a <failure> naming what differed (expected vs found per engine, events by file and record id,
 * engines that disagree), <skipped> when an engine could not run the rule and none failed.
 */
import type { CaseResult, EngineVerdict } from '../types.js';
import { describeExpectation } from '../verdict.js';
import { element, xmlText } from './xml.js';
import { escapeControls } from '../../util/safe-text.js';

export function verdictLine(v: EngineVerdict): string {
  switch (v.status) {
    case 'pass':
      return `${v.engine}: pass (${v.count})${v.note ? `: note: ${v.note}` : ''}`;
    case 'fail':
      return `${v.engine}: fail: ${v.why ?? ''}`;
    case 'skip':
      return `${v.engine}: skip: ${v.reason}`;
    case 'error':
      return `${v.engine}: error: ${v.message}`;
  }
}

/** What a failed case's message says: the first problem, in one line. */
export function failureMessage(r: CaseResult): string {
  if (r.disagreement.length) return `engines disagree on ${r.disagreement.length} event(s): ${r.disagreement[0]}`;
  const v = r.verdicts.find((x) => x.status === 'fail' || x.status === 'error');
  return v ? verdictLine(v) : '';
}

function failureType(r: CaseResult): string {
  if (r.disagreement.length) return 'engines-disagree';
  return r.verdicts.some((v) => v.status === 'fail') ? 'wrong-matches' : 'error';
}

function testcase(r: CaseResult): string {
  const details = [
    `expected: ${describeExpectation(r.case.expect)}`,
    `data: ${r.case.data.map((d) => d.label).join(', ')}`,
    ...r.verdicts.map(verdictLine),
    ...(r.disagreement.length ? ['engines disagree:', ...r.disagreement.map((d) => `  ${d}`)] : []),
  ].map(escapeControls).join('\n'); // one line per item, whatever a file name holds
  let body: string;
  if (r.result === 'fail') body = element('failure', { message: escapeControls(failureMessage(r)), type: failureType(r) }, xmlText(details));
  else if (r.result === 'skip') body = element('skipped', { message: r.verdicts.filter((v) => v.status === 'skip').map(verdictLine).join('; ') });
  else body = element('system-out', {}, xmlText(details));
  return element('testcase', { classname: r.case.ruleId, name: r.case.name, file: r.case.definedIn }, body);
}

export function junitXml(results: CaseResult[], seconds: number): string {
  const byRule = new Map<string, CaseResult[]>();
  for (const r of results) byRule.set(r.case.ruleId, [...(byRule.get(r.case.ruleId) ?? []), r]);
  const suites: string[] = [];
  for (const [id, rs] of byRule) {
    const failures = rs.filter((r) => r.result === 'fail').length;
    const skipped = rs.filter((r) => r.result === 'skip').length;
    suites.push(element('testsuite', { name: `${rs[0].ruleTitle} (${id})`, file: rs[0].rulePath || undefined, tests: rs.length, failures, errors: 0, skipped },
      '\n' + rs.map((r) => `    ${testcase(r)}\n`).join('') + '  '));
  }
  const failures = results.filter((r) => r.result === 'fail').length;
  const skipped = results.filter((r) => r.result === 'skip').length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n`
    + element('testsuites', { name: 'detectory test', tests: results.length, failures, errors: 0, skipped, time: seconds },
      '\n' + suites.map((s) => `  ${s}\n`).join('')) + '\n';
}
