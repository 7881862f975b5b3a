import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lowerKql, parse } from '../../../src/formats/kql/index.js';
import { walkPredicates } from '../../../src/model/index.js';
import type { Detection } from '../../../src/model/index.js';

function lower(text: string): Detection {
  const r = parse(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message}`);
  return lowerKql(r.value);
}

function preds(text: string): unknown[] {
  const out: unknown[] = [];
  walkPredicates(lower(text), (p, _path, neg) => out.push([p.field, p.op, p.values, neg]));
  return out;
}

test('field:value, wildcards, quoted phrases, exists, ranges', () => {
  assert.deepEqual(preds('a:x and b:x* and c:*x and d:*x* and e:x*y and f:* and g:"q *" and h >= 5 and i < z'), [
    ['a', 'eq', ['x'], false],
    ['b', 'starts_with', ['x'], false],
    ['c', 'ends_with', ['x'], false],
    ['d', 'contains', ['x'], false],
    ['e', 'wildcard', ['x*y'], false],
    ['f', 'exists', [], false],
    ['g', 'eq', ['q *'], false],
    ['h', 'gte', [5], false],
    ['i', 'lt', ['z'], false],
  ]);
});

test('value lists: one predicate per operator; and/not inside a list keep their shape', () => {
  assert.deepEqual(preds('p:(a or "b" or c* or d*)'), [
    ['p', 'eq', ['a', 'b'], false],
    ['p', 'starts_with', ['c', 'd'], false],
  ]);
  assert.deepEqual(preds('p:(a and not b)'), [
    ['p', 'eq', ['a'], false],
    ['p', 'eq', ['b'], true],
  ]);
});

test('escapes, inner spaces, keywords are case-insensitive, not / and not', () => {
  assert.deepEqual(preds('path:C\\:\\\\Windows\\\\\\*.exe AND NOT msg:hello world'), [
    ['path', 'eq', ['C:\\Windows\\*.exe'], false],
    ['msg', 'eq', ['hello world'], true],
  ]);
  // An escaped star is literal: in canonical wildcard form it stays escaped.
  assert.deepEqual(preds('f:a\\**'), [['f', 'starts_with', ['a*'], false]]);
  assert.deepEqual(preds('f:*a\\*b*c'), [['f', 'wildcard', ['*a\\*b*c'], false]]);
});

test('nested field queries and free text', () => {
  assert.deepEqual(preds('user:{ name:x or id:1 } or hello'), [
    ['user.name', 'eq', ['x'], false],
    ['user.id', 'eq', ['1'], false],
    [null, 'eq', ['hello'], false],
  ]);
});

test('errors carry line and column', () => {
  const r = parse('a:b and\n  c:(d or');
  assert.ok(!r.ok);
  if (r.ok) return;
  assert.equal(r.error.line, 2);
  const r2 = parse('a:"open');
  assert.ok(!r2.ok && r2.error.column === 3);
  assert.ok(!parse('').ok);
  assert.ok(!parse('a:b)').ok);
});
