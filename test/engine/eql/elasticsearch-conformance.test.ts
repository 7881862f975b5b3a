import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireShared } from '../../helpers/shared.js';
import {
  ENDGAME_SHAPE, SAMPLE_SHAPE, caseMode, expectedAlternatives, loadEndgameEvents, loadQueries, loadSampleEvents, runQuery, sameIds,
} from './conformance-support.js';
import type { ConformanceQuery, Outcome } from './conformance-support.js';

/**
 * Elasticsearch's EQL conformance suite (../shared/conformance/eql-elasticsearch), run by the EQL
 * engine in the Elasticsearch dialect. Every query must return exactly the expected event ids, in
 * order. Queries flagged case_insensitive run with Elasticsearch 7.10's case_sensitive: false mode.
 *
 * test_queries.toml shares many queries with test_queries_unsupported.toml: Elasticsearch's own
 * harness skips those (by query text), and so does this one for test_queries.toml; they are checked
 * in the unsupported test below instead.
 *
 * test_queries_unsupported.toml: each query must be rejected with an error that has a position,
 * except those listed in VALID_IN_ES_DIALECT: they are valid Elasticsearch EQL (the file predates
 * today's dialect), so the engine runs them, with Elasticsearch's semantics.
 */
const VALID_IN_ES_DIALECT: Record<string, string> = {
  twoSequencesWithKeys: 'a sequence with per-stage keys',
  twoSequencesWithTwoKeys: 'a sequence with per-stage keys',
  missingField1: '!: null',
  equalsNullHead: ': null and head',
  processWithStringComparisonCaseInsensitive1: 'string ordering against constants',
  processWithStringComparisonCaseInsensitive2: 'string ordering against constants',
  processWithStringComparisonCaseInsensitive3: 'string ordering against constants',
  processWithStringComparisonCaseInsensitive4: 'string ordering against constants',
  simpleTail: 'the tail pipe',
  fakeField: ': with a wildcard on a missing field',
  fakeFieldWithHead1: '!: on a missing field (Elasticsearch: a must_not, so it matches)',
  fakeFieldWithHead2: 'not (:) on a missing field (Elasticsearch: a must_not, so it matches)',
  invalidFieldName: '!: null',
  badFieldWithLength: 'length() of a missing field',
  exitCodeGtZero: 'comparison with a constant',
  zeroLteExitCode: 'comparison with a constant',
  exitCodeLteZero: 'comparison with a constant',
  exitCodeLtOne: 'comparison with a constant',
  exitCodeGtMinusOne: 'comparison with a constant',
  minusOneLtExitCode: 'comparison with a constant',
  notExitCodeGtWithHead1: 'not (comparison)',
  notExitCodeGtWithHead2: 'not (comparison)',
  notExitCodeGtWithHead3: 'not (comparison)',
  simpleStringEquality: ': with a constant',
  matchLite1: 'matchLite, a whole-value regex function of the dialect (additional_test_queries.toml uses it)',
  matchLite2: 'matchLite', matchLite3: 'matchLite', matchLite4: 'matchLite',
  match1: 'match, a whole-value regex function (additional_test_queries.toml uses it)',
  substring3: 'substring', concatCaseInsensitive: 'concat', nestedSetComparisons: 'true : (in ...)',
  betweenCaseSensitive: 'between', lengthCaseSensitive: 'length of between',
};

/**
 * Queries of VALID_IN_ES_DIALECT whose expected ids the file sets by the null semantics of the
 * Python implementation (its own comments: "no longer valid, since this returns `null`"), with the
 * ids Elasticsearch gives: `!:` and `not (:)` become a must_not around the wildcard query, which
 * every document without the field meets. Every other valid query must give the file's ids.
 */
const ES_IDS: Record<string, number[]> = {
  fakeFieldWithHead1: [1, 2, 3, 4],
  fakeFieldWithHead2: [1, 2, 3, 4],
};

function outcomeText(o: Outcome): string {
  return o.ok ? JSON.stringify(o.ids) : o.error;
}

/** Undefined when the outcome's ids are one of `expected` (default: the query's own), else what differs. */
function checkIds(q: ConformanceQuery, o: Outcome, expected: number[][] = expectedAlternatives(q)): string | undefined {
  if (!o.ok) return `rejected: ${o.error}`;
  return expected.some((x) => sameIds(x, o.ids)) ? undefined : `expected ${expected.map((x) => JSON.stringify(x)).join(' or ')}, got ${JSON.stringify(o.ids)}`;
}

test('Elasticsearch EQL conformance', async (t) => {
  const shared = requireShared(t, 'the EQL conformance suites');
  if (!shared) return;
  const events = loadEndgameEvents(shared);
  const unsupported = loadQueries(shared, 'eql-elasticsearch/test_queries_unsupported.toml');
  const unsupportedText = new Set(unsupported.map((q) => q.query.trim()));

  for (const suite of ['test_queries.toml', 'additional_test_queries.toml']) {
    await t.test(suite, () => {
      const queries = loadQueries(shared, `eql-elasticsearch/${suite}`);
      assert.ok(queries.length > 0);
      const failures: string[] = [];
      let run = 0;
      let skipped = 0;
      for (const q of queries) {
        if (suite === 'test_queries.toml' && unsupportedText.has(q.query.trim())) {
          skipped++;
          continue;
        }
        run++;
        const problem = checkIds(q, runQuery(q.query, events, 'serial_event_id', { caseInsensitive: caseMode(q) }, ENDGAME_SHAPE));
        if (problem) failures.push(`${q.name}: ${problem}`);
      }
      t.diagnostic(`${suite}: ${run - failures.length}/${run} passed${skipped ? `, ${skipped} skipped as listed in test_queries_unsupported.toml` : ''}`);
      assert.deepEqual(failures, []);
    });
  }

  await t.test('test_sample.toml', () => {
    const sampleEvents = loadSampleEvents(shared);
    const queries = loadQueries(shared, 'eql-elasticsearch/test_sample.toml');
    assert.ok(queries.length > 0);
    const failures: string[] = [];
    for (const q of queries) {
      const o = runQuery(q.query, sampleEvents, 'id', {}, SAMPLE_SHAPE);
      const problem = checkIds(q, o);
      if (problem) failures.push(`${q.name}: ${problem}`);
    }
    t.diagnostic(`test_sample.toml: ${queries.length - failures.length}/${queries.length} passed`);
    assert.deepEqual(failures, []);
  });

  await t.test('test_queries_unsupported.toml', () => {
    assert.ok(unsupported.length > 0);
    let rejected = 0;
    const accepted: string[] = [];
    const failures: string[] = [];
    for (const q of unsupported) {
      const o = runQuery(q.query, events, 'serial_event_id', { caseInsensitive: caseMode(q) }, ENDGAME_SHAPE);
      const name = q.name ?? '?';
      if (!o.ok) {
        assert.match(o.error, /^\d+:\d+: \S/, `${name}: the error names a position`);
        rejected++;
        if (Object.hasOwn(VALID_IN_ES_DIALECT, name)) failures.push(`${name}: listed as valid but rejected: ${o.error}`);
      } else if (Object.hasOwn(VALID_IN_ES_DIALECT, name)) {
        const esIds = Object.hasOwn(ES_IDS, name) ? ES_IDS[name] : undefined;
        const problem = checkIds(q, o, esIds ? [esIds] : undefined);
        if (problem) failures.push(`${name}: ${problem}`);
        accepted.push(`${name} (${VALID_IN_ES_DIALECT[name]}): ${outcomeText(o)}${esIds ? " (Elasticsearch's ids, not the file's Python-era expectation)" : ' (the file\'s expected ids)'}`);
      } else failures.push(`${name}: accepted, not listed as valid: ${outcomeText(o)}`);
    }
    t.diagnostic(`test_queries_unsupported.toml: ${rejected}/${unsupported.length} rejected with a positioned error, ${accepted.length} valid in the Elasticsearch dialect and run`);
    for (const a of accepted) t.diagnostic(`valid: ${a}`);
    assert.deepEqual(failures, []);
  });
});
