import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lowerEql } from '../../../src/formats/eql/lower.js';
import { parse } from '../../../src/formats/eql/parser.js';
import { sequenceModel } from '../../../src/formats/eql/sequence-model.js';
import { sequenceTree, walkPredicates } from '../../../src/model/index.js';
import type { Sequence } from '../../../src/model/index.js';

function model(text: string): Sequence | undefined {
  const r = parse(text);
  if (!r.ok) return assert.fail(r.error.message);
  return sequenceModel(r.value, lowerEql(r.value));
}

test('sequence model: stages in order with their own filters, keys, runs, missing, maxspan and until', () => {
  const s = model('sequence by ?host.id with maxspan=5s [process where a == "1"] by p with runs=2 ![file where b == "2"] by q [library where c : "x"] by r until [process where d == "4"] by s');
  assert.ok(s);
  assert.equal(s.kind, 'sequence');
  assert.deepEqual(s.by, [{ text: 'host.id', optional: true }]);
  assert.deepEqual([s.maxspan, s.maxspanMs], ['5s', 5000]);
  assert.deepEqual(s.stages.map((st) => [st.category, st.missing, st.runs ?? 1, st.by.map((k) => k.text)]), [
    ['process', false, 2, ['p']],
    ['file', true, 1, ['q']],
    ['library', false, 1, ['r']],
  ]);
  // The missing stage's filter is its own (not wrapped in `not`), like the until stage.
  const fields = (d: Sequence['stages'][number]): string[] => {
    const out: string[] = [];
    walkPredicates(d.detection, (p, _x, negated) => out.push(`${negated ? '!' : ''}${p.field}`));
    return out;
  };
  assert.deepEqual(fields(s.stages[1]), ['event.category', 'b']);
  assert.ok(s.until);
  assert.deepEqual(fields(s.until), ['event.category', 'd']);
  // The statistics view: one `or` child per stage, missing and until under `not`.
  const tree = sequenceTree(s);
  assert.equal(tree.kind, 'or');
  if (tree.kind === 'or') assert.deepEqual(tree.children.map((c) => c.kind), ['and', 'not', 'and', 'not']);
});

test('sample model: unordered stages, no window; event queries and joins have none', () => {
  const s = model('sample by host [any where x == 1] by os [any where y == 2] by op_sys');
  assert.equal(s?.kind, 'sample');
  assert.deepEqual(s?.stages.map((st) => st.by[0].text), ['os', 'op_sys']);
  assert.equal(model('process where true'), undefined);
  assert.equal(model('join [process where true] [file where true]'), undefined);
});
