import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lowerEql, parse } from '../../../src/formats/eql/index.js';
import type { EqlLowering } from '../../../src/formats/eql/index.js';
import { walkPredicates } from '../../../src/model/index.js';

function lower(text: string): EqlLowering {
  const r = parse(text);
  if (!r.ok) assert.fail(r.error.message);
  return lowerEql(r.value);
}

function preds(text: string): unknown[] {
  const out: unknown[] = [];
  walkPredicates(lower(text).detection, (p, _path, neg) => out.push([p.field, p.op, p.values, neg, p.flags]));
  return out;
}

test(': patterns pick the operator; literals are decoded', () => {
  assert.deepEqual(preds('any where f : ("a", "*b", "c*", "*d*", "e*f", "g?h", "*")'), [['f', 'exists', [], false, {}]]);
  assert.deepEqual(preds('any where f : ("a", "*b", "c*", "*d*", "e*f", "g?h", "x\\\\y*")'), [
    ['f', 'eq', ['a'], false, { cased: false }],
    ['f', 'ends_with', ['b'], false, { cased: false }],
    ['f', 'starts_with', ['c', 'x\\y'], false, { cased: false }],
    ['f', 'contains', ['d'], false, { cased: false }],
    ['f', 'wildcard', ['e*f', 'g?h'], false, { cased: false }],
  ]);
  // Literal backslashes are escaped in canonical wildcard values.
  assert.deepEqual(preds('any where f like "C:\\\\*\\\\x?.exe"'), [['f', 'wildcard', ['C:\\\\*\\\\x?.exe'], false, { cased: true }]]);
});

test('== is cased, ~ forms and : are not; != is ne; null tests are exists', () => {
  assert.deepEqual(preds('any where a == "X" and b != "Y" and c in~ ("z") and d == null and e != null and f == 3'), [
    ['a', 'eq', ['X'], false, { cased: true }],
    ['b', 'ne', ['Y'], false, { cased: true }],
    ['c', 'eq', ['z'], false, { cased: false }],
    ['d', 'exists', [], true, {}],
    ['e', 'exists', [], false, {}],
    ['f', 'eq', [3], false, {}],
  ]);
});

test('comparisons flip when the literal is on the left; field refs; computed values are computed tests', () => {
  // length(d) > 2 and somefn(...) used to be fake predicates on fields named after the expression.
  const q = 'any where 5 < a and b <= c and length(d) > 2 and somefn(e, "x")';
  assert.deepEqual(preds(q), [
    ['a', 'gt', [5], false, {}],
    ['b', 'lte', ['c'], false, { fieldref: true }],
  ]);
  const l = lower(q);
  assert.ok(l.detection.kind === 'and');
  if (l.detection.kind !== 'and') return;
  // length(d) > 2: the computation kept (no field named after it); somefn: no predicate form
  assert.deepEqual(l.detection.children.slice(2), [
    { kind: 'computed', name: null, value: { kind: 'call', fn: 'length', args: [{ kind: 'field', field: 'd' }] }, op: 'gt', values: [2], flags: {} },
    { kind: 'unknown', text: 'somefn(e, "x")', reason: 'function somefn() has no predicate form' },
  ]);
  assert.deepEqual(l.losses.map((x) => [x.text, x.reason, x.offset]), [
    ['somefn(e, "x")', 'unsupported-function', q.indexOf('somefn')],
  ]);
});

test('functions: startsWith / endsWith / stringContains / wildcard / cidrMatch', () => {
  assert.deepEqual(preds('any where startsWith(a, "x") and endsWith~(b, "y") and stringContains(c, "z") and wildcard(d, "*.exe", "q*") and cidrMatch(ip, "10.0.0.0/8")'), [
    ['a', 'starts_with', ['x'], false, { cased: true }],
    ['b', 'ends_with', ['y'], false, { cased: false }],
    ['c', 'contains', ['z'], false, { cased: true }],
    ['d', 'ends_with', ['.exe'], false, { cased: true }],
    ['d', 'starts_with', ['q'], false, { cased: true }],
    ['ip', 'cidr', ['10.0.0.0/8'], false, {}],
  ]);
});

test('field-to-field string functions carry fieldref; string() is looked through', () => {
  assert.deepEqual(preds('any where startsWith~(string(a.ip), string(b.ip)) and stringContains(c, d)'), [
    ['a.ip', 'starts_with', ['b.ip'], false, { fieldref: true, cased: false }],
    ['c', 'contains', ['d'], false, { fieldref: true, cased: true }],
  ]);
});

test('not in / !: / not like are not-nodes; top-level and-not keeps its shape', () => {
  const d = lower('process where a : "x" and not (b : "y" or c not in ("z"))').detection;
  assert.equal(d.kind, 'and');
  if (d.kind !== 'and') return;
  assert.equal(d.children[2].kind, 'not');
});

test('sequence: or of the items, missing and until under not, structure in sequence', () => {
  const l = lower('sequence by h with maxspan=1h [process where a == "1"] by p ![file where b == "2"] until [process where c == "3"] | head 1');
  assert.equal(l.detection.kind, 'or');
  if (l.detection.kind !== 'or') return;
  assert.deepEqual(l.detection.children.map((c) => c.kind), ['and', 'not', 'not']);
  assert.deepEqual(l.sequence, {
    kind: 'sequence',
    by: ['h'],
    items: [
      { index: 0, category: 'process', by: ['p'], missing: false },
      { index: 1, category: 'file', by: [], missing: true },
    ],
    until: { index: 2, category: 'process', by: [], missing: false },
    maxspan: '1h',
    maxspanMs: 3600000,
  });
  assert.deepEqual(l.pipes, [{ name: 'head', args: ['1'] }]);
  assert.deepEqual(l.categories, ['process']);
});

test('| filter is and-ed into an event query; where true is just the category', () => {
  assert.deepEqual(preds('process where true | filter a == 1'), [
    ['event.category', 'eq', ['process'], false, { cased: true }],
    ['a', 'eq', [1], false, {}],
  ]);
  assert.deepEqual(lower('any where true').detection, { kind: 'const', value: true });
});

test('regex and regex~ match the whole value: anchored RE2 with the case flag; `!=` of two fields is a cased fieldref', () => {
  assert.deepEqual(preds('process where process.name regex~ """[a-z0-9]\\.exe""" and a regex "x.*" and p.name != q.name'), [
    ['event.category', 'eq', ['process'], false, { cased: true }],
    ['process.name', 'regex_match', ['^(?:[a-z0-9]\\.exe)$'], false, { cased: false, regexFlags: 'i' }],
    ['a', 'regex_match', ['^(?:x.*)$'], false, { cased: true, regexFlags: 's' }],
    ['p.name', 'ne', ['q.name'], false, { fieldref: true, cased: true }],
  ]);
  const l = lower('any where a regex "x~y"');
  assert.equal(l.detection.kind, 'unknown');
  assert.deepEqual(l.losses.map((x) => x.reason), ['regex-syntax']);
});

test('`a : b` of two fields is a case-insensitive fieldref', () => {
  assert.deepEqual(preds('any where a : b and not c : d'), [
    ['a', 'eq', ['b'], false, { fieldref: true, cased: false }],
    ['c', 'eq', ['d'], true, { fieldref: true, cased: false }],
  ]);
});
