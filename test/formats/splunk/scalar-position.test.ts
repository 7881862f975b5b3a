import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isScalar, parseDocument } from 'yaml';
import { scalarOffsets } from '../../../src/formats/splunk/scalar-position.js';

/** For each value character, the file character at its mapped offset. */
function mapped(file: string): { value: string; chars: string } {
  const doc = parseDocument(file);
  const node = doc.get('search', true);
  assert.ok(isScalar(node) && node.range);
  const value = String(node.value);
  const map = scalarOffsets(file, { start: node.range[0], end: node.range[1], type: String(node.type) }, value);
  assert.ok(map, 'the walk rebuilds the value');
  return { value, chars: [...value].map((_, i) => file[map[i]]).join('') };
}

test('scalar positions: single-quoted with doubled quotes and folded lines', () => {
  const r = mapped("search: 'a=''x'' b=1\n  | stats count'\n");
  assert.equal(r.value, "a='x' b=1 | stats count");
  assert.equal(r.chars, "a='x' b=1\n| stats count");
});

test('scalar positions: double-quoted escapes', () => {
  const r = mapped('search: "a=\\"x\\" b=\\\\y"\n');
  assert.equal(r.value, 'a="x" b=\\y');
  assert.equal(r.chars, 'a=\\x\\ b=\\y');
});

test('scalar positions: folded block with more-indented lines and a literal block', () => {
  const f = mapped('search: >-\n  a=1\n  | stats count\n    [| x]\n  | where y=2\n');
  assert.equal(f.value, 'a=1 | stats count\n  [| x]\n| where y=2');
  assert.equal(f.chars.replace(/\n/g, ' '), f.value.replace(/\n/g, ' '));
  const l = mapped('search: |\n  a=1\n  | where b=2\n');
  assert.equal(l.value, 'a=1\n| where b=2\n');
});
