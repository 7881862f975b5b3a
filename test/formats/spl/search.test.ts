import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lower, shape, tuples } from './helpers.js';

test('search: OR binds tighter than the implied AND', () => {
  assert.equal(shape(lower('a=1 b=2 OR c=3')), 'and(a,or(b,c))');
  assert.equal(shape(lower('a=1 AND b=2 OR c=3')), 'and(a,or(b,c))');
  assert.equal(shape(lower('(a=1 b=2) OR c=3')), 'or(and(a,b),c)');
  assert.equal(shape(lower('error NOT x=403 OR y=404')), 'and(_,or(not(x),y))');
});

test('search: values are case-insensitive, unquoted integers are numbers', () => {
  assert.deepEqual(tuples(lower('EventCode=4688 name="4688" x=a'), true), [
    ['EventCode', 'eq', [4688], false, false],
    ['name', 'eq', ['4688'], false, false],
    ['x', 'eq', ['a'], false, false],
  ]);
});

test('search: * patterns become the simplest operator; ? is literal', () => {
  assert.deepEqual(tuples(lower('a="*foo*" b=foo* c=*foo d=a*b e="a?b*" f="*a?b*c" g=* h="C:\\\\Windows\\\\*"')), [
    ['a', 'contains', ['foo'], false],
    ['b', 'starts_with', ['foo'], false],
    ['c', 'ends_with', ['foo'], false],
    ['d', 'wildcard', ['a*b'], false],
    ['e', 'starts_with', ['a?b'], false],
    ['f', 'wildcard', ['*a\\?b*c'], false],
    ['g', 'exists', [], false],
    ['h', 'starts_with', ['C:\\Windows\\'], false],
  ]);
});

test('search: != is ne on a literal and a not node on a pattern; NOT is a not node', () => {
  assert.deepEqual(tuples(lower('a!=x b!="*y*" NOT c=z d!=*')), [
    ['a', 'ne', ['x'], false],
    ['b', 'contains', ['y'], true],
    ['c', 'eq', ['z'], true],
    ['d', 'exists', [], true],
  ]);
});

test('search: IN lists are one any-of predicate per operator', () => {
  const d = lower('x IN ("a.exe", "b.exe", "*\\\\c.exe") NOT(y IN(1, 2))');
  assert.equal(shape(d), 'and(or(x,x),not(y))');
  assert.deepEqual(tuples(d), [
    ['x', 'eq', ['a.exe', 'b.exe'], false],
    ['x', 'ends_with', ['\\c.exe'], false],
    ['y', 'eq', [1, 2], true],
  ]);
});

test('search: comparison operators, keywords, CASE()', () => {
  assert.deepEqual(tuples(lower('count > 10 size<=2.5 "some phrase" foo*bar'), true), [
    ['count', 'gt', [10], false, undefined],
    ['size', 'lte', [2.5], false, undefined],
    [null, 'contains', ['some phrase'], false, false],
    [null, 'wildcard', ['*foo*bar*'], false, false],
  ]);
  assert.deepEqual(tuples(lower('host=CASE(LOCALHOST)'), true), [['host', 'eq', ['LOCALHOST'], false, true]]);
});

test('search: escaped quotes in quoted and bare values', () => {
  assert.deepEqual(tuples(lower('a="say \\"hi\\"" b=*\\"privileged\\":true*')), [
    ['a', 'eq', ['say "hi"'], false],
    ['b', 'contains', ['"privileged":true'], false],
  ]);
});

test('tstats: where clause predicates keep the data-model prefix; by fields stop the clause', () => {
  const q = '| tstats count min(_time) as firstTime from datamodel=Endpoint.Processes where Processes.process_name IN ("wscript.exe","cscript.exe") NOT Processes.parent_process_name=explorer.exe by Processes.dest _time span=1h | stats count by dest';
  assert.deepEqual(tuples(lower(q)), [
    ['Processes.process_name', 'eq', ['wscript.exe', 'cscript.exe'], false],
    ['Processes.parent_process_name', 'eq', ['explorer.exe'], true],
  ]);
});

test('pipeline: filter stages AND together; opaque stages are skipped; comments are spaces', () => {
  const q = 'index=main a=1 ```a comment``` | eval x=lower(y) | stats count by x | search count > 5 | where x="v" | table x';
  assert.equal(shape(lower(q)), 'and(index,a,count,x)');
});

test('regex command: regex_match, (?i) folds into regexFlags, != negates', () => {
  assert.deepEqual(tuples(lower('a=1 | regex process="(?i)(regasm\\.exe.{0,4}$)" | regex path!="^C:"'), true), [
    ['a', 'eq', [1], false, false],
    ['process', 'regex_match', ['(regasm\\.exe.{0,4}$)'], false, false],
    ['path', 'regex_match', ['^C:'], true, true],
  ]);
});

test('search: time modifiers are not predicates; a quoted field name may precede IN', () => {
  assert.deepEqual(tuples(lower('earliest=-1h latest=now "result.status" IN ("A","B")')), [['result.status', 'eq', ['A', 'B'], false]]);
});
