import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printEqlCondition, printEqlEvent } from '../../../src/backends/eql/index.js';
import { toEcsTree } from '../../../src/backends/elastic/ecs-tree.js';
import { PrintError } from '../../../src/backends/elastic/print-error.js';
import { normalize } from '../../../src/backends/elastic/roundtrip.js';
import { lowerEql, parse } from '../../../src/formats/eql/index.js';
import type { Detection } from '../../../src/model/index.js';
import { and, not, or, pred } from '../../../src/model/index.js';

function reread(text: string): Detection {
  const r = parse(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message}`);
  return lowerEql(r.value).detection;
}

test('EQL printer: each operator in a form the EQL reader reads back the same', () => {
  const tree = and([
    pred('event.category', 'eq', ['process'], { cased: true }),
    pred('process.name', 'eq', ['a.exe', 'B.exe'], { cased: false }),
    pred('process.name', 'eq', ['x*y'], { cased: false }),
    pred('user.id', 'eq', ['S-1-5-18'], { cased: true }),
    pred('process.pid', 'eq', [4]),
    pred('process.args', 'starts_with', ['-e', '/c'], { cased: false }),
    pred('process.args', 'ends_with', ['.ps1'], { cased: true }),
    pred('process.command_line', 'contains', ['a*b'], { cased: false }),
    pred('file.path', 'wildcard', ['C:\\\\*\\\\x?.dll'], { cased: false }),
    pred('process.name', 'regex_match', ['^(?:[a-z]\\.exe)$'], { cased: false, regexFlags: 'i' }),
    pred('process.args', 'regex_match', ['^(?:2[0-9]{3})$'], { cased: true }),
    not(pred('user.domain', 'ne', ['NT AUTHORITY'], { cased: true })),
    or([pred('source.ip', 'cidr', ['10.0.0.0/8']), pred('destination.port', 'gte', [1024])]),
    pred('process.parent.name', 'ne', ['process.name'], { fieldref: true, cased: true }),
    not(pred('dll.name', 'exists', [])),
  ]);
  const text = printEqlEvent(tree);
  assert.match(text, /^process where process\.name : \("a\.exe", "B\.exe"\) and process\.name in~ \("x\*y"\)/);
  assert.deepEqual(normalize(reread(text)), normalize(tree));
});

test('EQL printer: what EQL cannot say is a PrintError, unknown nodes only on request', () => {
  assert.throws(() => printEqlCondition(pred(null, 'contains', ['x'])), PrintError);
  assert.throws(() => printEqlCondition(pred('a', 'ne', ['x'], { cased: false })), PrintError);
  assert.throws(() => printEqlCondition(pred('a', 'wildcard', ['a\\*b'], { cased: true })), PrintError);
  assert.throws(() => printEqlCondition({ kind: 'unknown', text: 'length(a) > 2', reason: 'r' }), PrintError);
  assert.equal(printEqlCondition({ kind: 'unknown', text: 'length(a) > 2', reason: 'r' }, { unknownText: true }), '(length(a) > 2)');
});

test('canonical (Sigma) fields print under the ECS field that maps onto them unchanged', () => {
  const d = and([pred('Image', 'ends_with', ['\\cmd.exe'], { cased: false }), pred('CommandLine', 'contains', ['/c'], { cased: false }), pred('process.args', 'eq', ['x'], { cased: true })]);
  assert.equal(printEqlCondition(toEcsTree(d)), 'process.executable : "*\\\\cmd.exe" and process.command_line : "*/c*" and process.args == "x"');
});
