/**
 * `detectory test`'s acceptance: SigmaHQ's whole regression data, every rule of the three SigmaHQ
 * rule folders, on the stream engine and on DuckDB. Every case passes on both, but for the two
 * info.yml whose match_count is stale (test/support/regression.ts): those fail on both engines,
 * naming exactly the events the rule's own lists select (checked by a plain reading of the events).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runRuleTests, type TestRunReport } from '../../src/ruletest/run.js';
import { makeEngine } from '../../src/ruletest/engines/registry.js';
import { junitXml } from '../../src/ruletest/report/junit.js';
import { readEventFile } from '../../src/events/read.js';
import { sharedDir } from '../helpers/shared.js';
import { childrenNamed, parseXml } from '../helpers/xml.js';
import { regressionCases, sigmaRuleDirs, STALE_MATCH_COUNT } from '../support/regression.js';

const shared = sharedDir();

describe('detectory test: SigmaHQ regression data on stream and duckdb', { skip: shared ? false : 'DETECTORY_SHARED is not set: the regression data is in ../shared' }, () => {
  let rep: TestRunReport;
  const problems: string[] = [];

  before(async () => {
    rep = await runRuleTests({
      rulePaths: sigmaRuleDirs(shared!),
      dataDirs: [join(shared!, 'conformance', 'sigma-regression')],
      engines: [makeEngine('stream', {}), makeEngine('duckdb', {})],
      onProblem: (l) => problems.push(l),
    });
  });

  test('finds every case: each info.yml test on its .evtx and on the .json beside it', () => {
    const expected = regressionCases(shared!).reduce((n, c) => n + (c.evtx ? 1 : 0) + (c.json ? 1 : 0), 0);
    assert.ok(expected >= 280, `${expected} cases in the data`);
    assert.equal(rep.results.length, expected);
    assert.equal(rep.bad_tests, 0, problems.join('\n'));
    assert.equal(rep.not_selected, 0, 'every case names a rule of the SigmaHQ folders');
    assert.deepEqual(rep.engines.map((e) => e.error), [undefined, undefined]);
  });

  test('every case passes on both engines, but the stale match_counts', () => {
    const failed = rep.results.filter((r) => r.result !== 'pass');
    assert.deepEqual([...new Set(failed.map((r) => r.case.ruleId))].sort(), Object.keys(STALE_MATCH_COUNT).sort(),
      failed.map((r) => `${r.case.ruleId} ${r.case.name}: ${JSON.stringify(r.verdicts)}`).join('\n'));
    assert.equal(rep.passed, rep.results.length - failed.length);
    for (const e of rep.engines) assert.equal(e.pass, rep.passed, `${e.name} passes`);
  });

  test('the engines never disagree', () => {
    assert.deepEqual(rep.results.flatMap((r) => r.disagreement), []);
  });

  test('a stale match_count fails naming the events the rule selects, on both engines', async () => {
    for (const r of rep.results.filter((x) => STALE_MATCH_COUNT[x.case.ruleId])) {
      const file = r.case.data[0].path;
      const selected: number[] = [];
      for await (const batch of readEventFile(file, () => {})) {
        for (const rec of batch) if (STALE_MATCH_COUNT[r.case.ruleId].selects((rec.event.EventData ?? {}) as Record<string, unknown>)) selected.push(rec.recordId!);
      }
      assert.ok(selected.length > 1, `${file}: the data holds more than the one event counted`);
      for (const v of r.verdicts) {
        assert.equal(v.status, 'fail', `${v.engine} on ${file}`);
        if (v.status !== 'fail') continue;
        assert.deepEqual(v.events.map((e) => e.record_id).sort(), [...selected].sort());
        assert.match(v.why ?? '', new RegExp(`^expected 1 match, got ${selected.length}: `));
        for (const id of selected) assert.ok(v.why!.includes(`#${id}`), `${v.why} names record ${id}`);
        assert.ok(v.why!.includes(file), 'and the file');
      }
    }
  });

  test('its JUnit XML is well-formed: one suite per rule, one testcase per case, a failure per failed case', () => {
    const root = parseXml(junitXml(rep.results, rep.seconds));
    assert.equal(root.name, 'testsuites');
    const suites = childrenNamed(root, 'testsuite');
    assert.equal(suites.length, new Set(rep.results.map((r) => r.case.ruleId)).size);
    const cases = suites.flatMap((s) => childrenNamed(s, 'testcase'));
    assert.equal(cases.length, rep.results.length);
    assert.equal(Number(root.attrs.tests), rep.results.length);
    const failures = cases.flatMap((c) => childrenNamed(c, 'failure'));
    assert.equal(failures.length, rep.failed);
    assert.equal(Number(root.attrs.failures), rep.failed);
    assert.equal(suites.reduce((n, s) => n + Number(s.attrs.failures), 0), rep.failed);
    for (const f of failures) assert.match(f.attrs.message, /expected 1 match, got [23]: .*#\d+/);
  });
});
