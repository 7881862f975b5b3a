import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandMacros, type MacroTable } from '../../../src/formats/spl/index.js';
import { lower, shape, tuples } from './helpers.js';

const table: MacroTable = new Map([
  ['proc', { name: 'proc', args: [], definition: '(p.name=a.exe OR p.orig=A.EXE)' }],
  ['ctime(1)', { name: 'ctime', args: ['field'], definition: 'convert ctime($field$)' }],
  ['pair(2)', { name: 'pair', args: ['f', 'v'], definition: '$f$="$v$"' }],
  ['loop', { name: 'loop', args: [], definition: 'x=1 `loop`' }],
  ['outer', { name: 'outer', args: [], definition: '`proc` extra=1' }],
  ['r_filter', { name: 'r_filter', args: [], definition: 'search NOT user=svc*' }],
  ['s_filter', { name: 's_filter', args: [], definition: 'search *' }],
]);

test('macros: expansion with arguments, quotes removed, nested, source map', () => {
  const e = expandMacros('`outer` `pair(k, "v w")` | `ctime(firstTime)`', table);
  assert.equal(e.text, '(p.name=a.exe OR p.orig=A.EXE) extra=1 k="v w" | convert ctime(firstTime)');
  assert.equal(e.macroAt(0), 'outer');
  assert.equal(e.macroAt(e.text.indexOf('k=')), 'pair');
  assert.equal(e.macroAt(e.text.indexOf(' | ')), undefined);
  assert.equal(e.originAt(e.text.indexOf(' | ')), 24);
  assert.equal(e.originAt(e.text.indexOf('k=')), 8);
  assert.equal(e.originAt(3), 0);
  assert.deepEqual(e.missing, []);
});

test('macros: recursion is an error, missing macros are reported and kept', () => {
  const e = expandMacros('`loop` `nope(1)`', table);
  assert.equal(e.errors[0].reason, 'macro-recursion');
  assert.deepEqual(e.missing.map((m) => [m.name, m.arity]), [['nope', 1]]);
  assert.ok(e.text.includes('`nope(1)`'));
});

test('macros: a filter macro with conditions is an exclusion; `search *` contributes nothing', () => {
  assert.deepEqual(tuples(lower('`proc` | stats count by user | `r_filter`', table)), [
    ['p.name', 'eq', ['a.exe'], false],
    ['p.orig', 'eq', ['A.EXE'], false],
    ['user', 'starts_with', ['svc'], true],
  ]);
  assert.equal(shape(lower('`proc` | `s_filter`', table)), 'or(p.name,p.orig)');
});

test('macros: backticks inside strings are not macro calls', () => {
  const e = expandMacros('| eval n=mvcount(split(process,"`")) | `proc`', table);
  assert.ok(e.text.endsWith('(p.name=a.exe OR p.orig=A.EXE)'));
});

test('macros: exponential expansion stops at the size bound', () => {
  const t: MacroTable = new Map();
  for (let k = 0; k < 30; k++) t.set(`m${k}`, { name: `m${k}`, args: [], definition: k === 29 ? 'x=1' : `\`m${k + 1}\` \`m${k + 1}\`` });
  const started = Date.now();
  const e = expandMacros('`m0`', t);
  assert.ok(Date.now() - started < 5000);
  assert.equal(e.errors.at(-1)?.reason, 'macro-too-large');
});
