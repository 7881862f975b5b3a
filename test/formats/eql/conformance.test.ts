import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { parse, parseExpression } from '../../../src/formats/eql/index.js';
import { requireShared } from '../../helpers/shared.js';

/**
 * The EQL conformance suites (Elasticsearch qa queries and the endgame Python-EQL queries): every
 * query must parse. KNOWN_FAILURES lists the documented exceptions by suite and name (none today).
 * Expression suites (folding, optimizer, string functions) must parse as expressions.
 */
const QUERY_SUITES = [
  'eql-elasticsearch/test_queries.toml',
  'eql-elasticsearch/additional_test_queries.toml',
  'eql-elasticsearch/test_queries_unsupported.toml',
  'eql-elasticsearch/test_sample.toml',
  'eql-python/test_queries.toml',
];
const EXPRESSION_SUITES = ['eql-python/test_folding.toml', 'eql-python/test_optimizer.toml', 'eql-python/test_string_functions.toml'];
const KNOWN_FAILURES = new Set<string>([]);

test('EQL conformance queries parse', async (t) => {
  const shared = requireShared(t, 'the EQL conformance suites');
  if (!shared) return;
  for (const suite of QUERY_SUITES) {
    await t.test(suite, () => {
      const doc = parseToml(readFileSync(join(shared, 'conformance', suite), 'utf8')) as { queries?: { name?: string; query: string }[] };
      const queries = doc.queries ?? [];
      assert.ok(queries.length > 0);
      const failures: string[] = [];
      queries.forEach((q, i) => {
        const r = parse(q.query);
        const key = `${suite}#${q.name ?? i}`;
        if (!r.ok && !KNOWN_FAILURES.has(key)) failures.push(`${key}: ${r.error.message} at ${r.error.line}:${r.error.column}`);
      });
      t.diagnostic(`${queries.length - failures.length}/${queries.length} parsed`);
      assert.deepEqual(failures, []);
    });
  }
});

test('EQL conformance expressions parse', async (t) => {
  const shared = requireShared(t, 'the EQL conformance suites');
  if (!shared) return;
  for (const suite of EXPRESSION_SUITES) {
    await t.test(suite, () => {
      const doc = parseToml(readFileSync(join(shared, 'conformance', suite), 'utf8'));
      const texts: string[] = [];
      const visit = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(visit);
        else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) {
            if ((k === 'expression' || k === 'optimized') && typeof x === 'string') texts.push(x);
            else visit(x);
          }
        }
      };
      visit(doc);
      assert.ok(texts.length > 0);
      const failures = texts.filter((x) => !parseExpression(x).ok);
      t.diagnostic(`${texts.length - failures.length}/${texts.length} parsed`);
      assert.deepEqual(failures, []);
    });
  }
});
