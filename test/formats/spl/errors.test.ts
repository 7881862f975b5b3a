import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineColAt, parsePipeline } from '../../../src/formats/spl/index.js';

function errorAt(q: string): { line: number; column: number; message: string } {
  const r = parsePipeline(q);
  assert.ok(r.error, `expected an error for ${q}`);
  return { ...lineColAt(q, r.error.offset), message: r.error.message };
}

test('errors: unterminated string points at its quote', () => {
  const e = errorAt('a=1 b="oops | stats count');
  assert.deepEqual([e.line, e.column], [1, 7]);
  assert.match(e.message, /unterminated string/);
});

test('errors: unbalanced parentheses, dangling operators, empty stages', () => {
  assert.match(errorAt('a=1 (b=2 OR c=3').message, /unbalanced \(/);
  assert.deepEqual([errorAt('a=1 (b=2 OR c=3').column], [5]);
  assert.match(errorAt('a=1 b=2)').message, /unbalanced \)/);
  assert.match(errorAt('a=1 OR').message, /OR without a right operand/);
  assert.match(errorAt('a=1 | | stats count').message, /empty pipeline stage/);
  assert.match(errorAt('a=1 | where x=').message, /expected a value/);
});

test('errors: line and column in a multi-line query', () => {
  const e = errorAt('a=1\n| where x="ok"\n  AND (y=2');
  assert.deepEqual([e.line, e.column], [3, 7]);
});

test('errors: nesting is bounded with a precise error, not a stack overflow', () => {
  for (const q of ['a=1 ' + '('.repeat(5000) + 'b=2' + ')'.repeat(5000), 'NOT '.repeat(5000) + 'a=1', '| where ' + '('.repeat(5000) + 'b=2' + ')'.repeat(5000), '| where ' + '-'.repeat(5000) + '1 > 0']) {
    const r = parsePipeline(q);
    assert.equal(r.error?.reason, 'query-too-deep', q.slice(0, 20));
  }
});
