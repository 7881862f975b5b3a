/**
 * Leaf tests on shared literals read the mark of their operator (compile.ts markTest): found
 * anywhere (contains), at the start, at the end, or as the whole value. Each event below sets the
 * pattern's other marks but not the one the operator needs, or only that one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Detection, pred, type Rule } from '../../src/model/index.js';
import { Matcher } from '../../src/engine/matcher.js';
import type { FlatEvent } from '../../src/events/normalize.js';

function rule(id: string, detection: Detection): Rule {
  return {
    id, title: id, vendor: 'sigma', path: `${id}.yml`, references: [], falsePositives: [], tags: [], techniques: [], tactics: [],
    logsource: { product: 'windows' }, type: 'x', language: 'x', fields: [], extra: {}, detection,
  };
}

function event(value: string): FlatEvent {
  const f = Object.create(null) as Record<string, string>;
  f.Image = value;
  return { fields: f, keys: ['Image'], channel: 'Test', eventId: 1, computer: null, record: { file: 'e.json', event: {} } };
}

// One value (a test on one pattern id) and two (a test on a list of ids), per operator.
const OPS = ['contains', 'starts_with', 'ends_with', 'eq'] as const;
const RULES: Rule[] = OPS.flatMap((op) => [
  rule(`${op}-1`, pred('Image', op, ['abc'])),
  rule(`${op}-2`, pred('Image', op, ['zzzz', 'abc'])),
]);

const EXPECTED: Array<[string, string[]]> = [
  ['xxabcxx', ['contains']],
  ['abcxx', ['contains', 'starts_with']],
  ['xxabc', ['contains', 'ends_with']],
  ['ABC', ['contains', 'starts_with', 'ends_with', 'eq']],
  ['xxabxx', []],
];

test('each operator reads its own mark of a shared literal, for one value and for several', () => {
  const m = new Matcher(RULES);
  assert.equal(m.skipped.length, 0);
  for (const [value, ops] of EXPECTED) {
    const got = m.match(event(value)).map((v) => v.rule.id).sort();
    const want = ops.flatMap((op) => [`${op}-1`, `${op}-2`]).sort();
    assert.deepEqual(got, want, value);
  }
});
