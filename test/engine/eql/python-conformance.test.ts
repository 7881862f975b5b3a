import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireShared } from '../../helpers/shared.js';
import { ENDGAME_SHAPE, caseMode, expectedAlternatives, loadEndgameEvents, loadQueries, runQuery, sameIds } from './conformance-support.js';

/**
 * The Python EQL (Endgame) conformance suite (../shared/conformance/eql-python/test_queries.toml),
 * run in the engine's `endgame` dialect: Python EQL's `=`, case-insensitive `==` / `in` (unless a
 * query is flagged case_sensitive), wildcards in `==`, its null logic and the `filter` pipe. What
 * the Elasticsearch dialect does not have (join, unique / unique_count / sort / count pipes, lineage,
 * array indexing, arrayContains / arraySearch / arrayCount / safe, fork=) is rejected: every
 * rejection must say it is Python EQL (Endgame) and carry a position, and is listed by reason.
 * Every other query must return exactly the expected ids in order.
 */
test('Python EQL conformance (test_queries.toml)', (t) => {
  const shared = requireShared(t, 'the EQL conformance suites');
  if (!shared) return;
  const events = loadEndgameEvents(shared);
  const queries = loadQueries(shared, 'eql-python/test_queries.toml');
  assert.ok(queries.length > 0);
  const failures: string[] = [];
  const reasons = new Map<string, number>();
  let passed = 0;
  queries.forEach((q, i) => {
    const name = q.name ?? `#${i + 1}`;
    const o = runQuery(q.query, events, 'serial_event_id', { dialect: 'endgame', caseInsensitive: caseMode(q) }, ENDGAME_SHAPE);
    if (!o.ok) {
      if (!/^\d+:\d+: .*Python EQL \(Endgame\)/.test(o.error)) failures.push(`${name}: rejected without an Endgame reason: ${o.error}`);
      const reason = o.error.replace(/^\d+:\d+: /, '');
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      return;
    }
    if (expectedAlternatives(q).some((x) => sameIds(x, o.ids))) passed++;
    else failures.push(`${name} ${JSON.stringify(q.query.trim())}: expected ${JSON.stringify(q.expected_event_ids)}, got ${JSON.stringify(o.ids)}`);
  });
  const rejected = [...reasons.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`test_queries.toml: ${passed}/${queries.length - rejected} passed, ${rejected} Endgame-only queries rejected`);
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) t.diagnostic(`rejected x${n}: ${reason}`);
  assert.deepEqual(failures, []);
});
