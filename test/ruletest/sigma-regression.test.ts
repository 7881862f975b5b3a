/**
 * `detectory test`'s acceptance: SigmaHQ's whole regression data, every rule of the three SigmaHQ
 * rule folders, on the stream engine and on DuckDB. Every case passes on both. The two info.yml whose
 * match_count is stale (test/support/regression.ts) pass with a note naming exactly the events the
 * rule's own lists select (checked by a plain reading of the events); with --strict-count they fail.
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
import { dirname } from 'node:path';
import type { CaseResult } from '../../src/ruletest/types.js';

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

  test('every case passes on both engines; only the stale match_counts carry a note', () => {
    const failed = rep.results.filter((r) => r.result !== 'pass');
    assert.deepEqual(failed.map((r) => `${r.case.ruleId} ${r.case.name}: ${JSON.stringify(r.verdicts)}`), []);
    assert.equal(rep.passed, rep.results.length);
    for (const e of rep.engines) assert.equal(e.pass, rep.passed, `${e.name} passes`);
    const noted = rep.results.filter((r) => r.verdicts.some((v) => 'note' in v && v.note));
    assert.deepEqual([...new Set(noted.map((r) => r.case.ruleId))].sort(), Object.keys(STALE_MATCH_COUNT).sort());
    assert.equal(rep.noted, noted.length);
  });

  test('the engines never disagree', () => {
    assert.deepEqual(rep.results.flatMap((r) => r.disagreement), []);
  });

  /** The record ids of the case's file that the rule's own lists select, read without the engine. */
  async function selectedBy(r: CaseResult): Promise<number[]> {
    const selected: number[] = [];
    for await (const batch of readEventFile(r.case.data[0].path, () => {})) {
      for (const rec of batch) if (STALE_MATCH_COUNT[r.case.ruleId].selects((rec.event.EventData ?? {}) as Record<string, unknown>)) selected.push(rec.recordId!);
    }
    return selected.sort();
  }

  test('a stale match_count passes with a note naming the events the rule selects, on both engines', async () => {
    const stale = rep.results.filter((x) => STALE_MATCH_COUNT[x.case.ruleId]);
    assert.equal(stale.length, 4, 'two info.yml, each on its .evtx and .json');
    for (const r of stale) {
      const file = r.case.data[0].path;
      const selected = await selectedBy(r);
      assert.ok(selected.length > 1, `${file}: the data holds more than the one event counted`);
      for (const v of r.verdicts) {
        assert.equal(v.status, 'pass', `${v.engine} on ${file}`);
        if (v.status !== 'pass') continue;
        assert.deepEqual(v.events.map((e) => e.record_id).sort(), selected);
        assert.match(v.note ?? '', new RegExp(`^${selected.length} matches where info.yml records 1: `));
        for (const id of selected) assert.ok(v.note!.includes(`#${id}`), `${v.note} names record ${id}`);
        assert.ok(v.note!.includes(file), 'and the file');
      }
    }
  });

  test('with --strict-count the stale match_counts fail, naming the same events', async () => {
    const stale = rep.results.filter((x) => STALE_MATCH_COUNT[x.case.ruleId] && x.case.name.endsWith('(evtx)'));
    const strict = await runRuleTests({
      rulePaths: [...new Set(stale.map((r) => r.rulePath))],
      dataDirs: stale.map((r) => dirname(r.case.definedIn)),
      engines: [makeEngine('stream', {}), makeEngine('duckdb', {})],
      strictCount: true,
      onProblem: () => {},
    });
    assert.equal(strict.results.length, 4);
    assert.equal(strict.failed, 4);
    for (const r of strict.results) {
      const selected = await selectedBy(r);
      for (const v of r.verdicts) {
        assert.equal(v.status, 'fail', `${v.engine} on ${r.case.data[0].path}`);
        if (v.status === 'fail') assert.match(v.why ?? '', new RegExp(`^expected 1 match, got ${selected.length}: `));
      }
    }
  });

  test('its JUnit XML is well-formed: one suite per rule, one testcase per case, no failure, the notes in system-out', () => {
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
    assert.equal(failures.length, 0);
    const out = cases.flatMap((c) => childrenNamed(c, 'system-out')).map((o) => o.text).join('\n');
    assert.equal(out.match(/note: \d+ matches where info\.yml records 1: /g)?.length, 8, 'each stale case, on both engines');
  });
});
