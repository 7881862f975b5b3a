import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, parseExpression } from '../../../src/formats/eql/index.js';
import type { EqlQuery, Expr } from '../../../src/formats/eql/index.js';

function ok(text: string): EqlQuery {
  const r = parse(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message} at ${r.error.line}:${r.error.column}`);
  return r.value;
}

function expr(text: string): Expr {
  const r = parseExpression(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message}`);
  return r.value;
}

test('event query with category, and/or/not and precedence', () => {
  const q = ok('process where a == 1 or b : "x" and not c != 2');
  assert.equal(q.body.type, 'event');
  if (q.body.type !== 'event') return;
  assert.equal(q.body.category, 'process');
  const c = q.body.condition;
  assert.equal(c.type, 'or');
  if (c.type !== 'or') return;
  assert.equal(c.operands[1].type, 'and');
});

test('string escapes are decoded; """raw""" strings are not', () => {
  const e = expr('a : "C:\\\\Windows\\\\*.exe\\t\\"q\\" \\u{41}"');
  assert.equal(e.type, 'match');
  if (e.type !== 'match') return;
  assert.deepEqual((e.patterns[0] as { value: string }).value, 'C:\\Windows\\*.exe\t"q" A');
  const raw = expr('a regex~ """[a-z]\\.exe"""');
  if (raw.type !== 'match') return assert.fail();
  assert.equal(raw.insensitive, true);
  assert.equal((raw.patterns[0] as { value: string }).value, '[a-z]\\.exe');
});

test('optional fields, in~, not in, like~ lists, functions with ~', () => {
  const e = expr('?dll.name in~ ("a", "b") and x not in (1, 2) and y like~ ("a*", "?b") and startsWith~(z, "p")');
  if (e.type !== 'and') return assert.fail();
  const [a, b, c, d] = e.operands;
  assert.ok(a.type === 'in' && a.insensitive && a.left.type === 'field' && a.left.optional && a.left.name === 'dll.name');
  assert.ok(b.type === 'in' && b.negated && !b.insensitive);
  assert.ok(c.type === 'match' && c.op === 'like' && c.insensitive && c.patterns.length === 2);
  assert.ok(d.type === 'call' && d.name === 'startsWith' && d.insensitive && d.args.length === 2);
});

test('sequence with by, maxspan, per-item by, runs, missing events, until, pipes', () => {
  const q = ok(`sequence by host.id with maxspan=5m
    [process where true] by process.entity_id with runs=2
    ![file where file.name : "x"]
    [network where true] by process.entity_id
  until [process where event.type == "end"]
  | head 5 | tail 2`);
  const b = q.body;
  if (b.type !== 'sequence') return assert.fail();
  assert.equal(b.by.length, 1);
  assert.deepEqual([b.maxspan?.value, b.maxspan?.unit, b.maxspan?.ms], [5, 'm', 300000]);
  assert.equal(b.items.length, 3);
  assert.equal(b.items[0].runs, 2);
  assert.equal(b.items[1].missing, true);
  assert.equal(b.items[2].by.length, 1);
  assert.equal(b.until?.query.category, 'process');
  assert.deepEqual(q.pipes.map((p) => p.name), ['head', 'tail']);
});

test('sample and legacy forms (join, lineage, = and single quotes)', () => {
  assert.equal(ok('sample by host.id [process where true] [network where true]').body.type, 'sample');
  assert.equal(ok("join by pid [process where a = 'x'] [file where true] until [process where true]").body.type, 'join');
  const q = ok('process where descendant of [process where name == "cmd.exe"]');
  if (q.body.type !== 'event') return assert.fail();
  assert.equal(q.body.condition.type, 'lineage');
});

test('comments, backtick fields, array indexes and arithmetic', () => {
  const e = expr('/* c */ `my-field` + 2 * -x.y[0] > 3 // tail');
  assert.equal(e.type, 'compare');
});

test('errors carry line and column', () => {
  const r = parse('process where\n  a == "x" and\n  b in ("y",');
  assert.ok(!r.ok);
  if (r.ok) return;
  assert.equal(r.error.line, 3);
  assert.match(r.error.message, /expected a value/);
  const r2 = parse('process where a == "unterminated');
  assert.ok(!r2.ok && r2.error.line === 1 && r2.error.column === 20);
  const r3 = parse('process a == 1');
  assert.ok(!r3.ok && /expected 'where'/.test(r3.error.message));
  const r4 = parse('sequence with maxspan=5x [process where true]');
  assert.ok(!r4.ok && /unknown time unit/.test(r4.error.message));
});

test('deep nesting is an error, not a crash', () => {
  const r = parse(`process where ${'('.repeat(20000)}a == 1${')'.repeat(20000)}`);
  assert.ok(!r.ok);
});
