import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printEsqlCondition } from '../../../src/backends/esql/index.js';
import { PrintError } from '../../../src/backends/elastic/print-error.js';
import { normalize } from '../../../src/backends/elastic/roundtrip.js';
import { printKql } from '../../../src/backends/kql/index.js';
import { printLucene } from '../../../src/backends/lucene/index.js';
import { LossLog } from '../../../src/formats/elastic/losses.js';
import { lowerEsql, parse as parseEsql } from '../../../src/formats/esql/index.js';
import { lowerKql, parse as parseKql } from '../../../src/formats/kql/index.js';
import { lowerLucene, parse as parseLucene } from '../../../src/formats/lucene/index.js';
import type { Detection } from '../../../src/model/index.js';
import { and, not, or, pred } from '../../../src/model/index.js';

function kql(text: string): Detection {
  const r = parseKql(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message}`);
  return lowerKql(r.value, new LossLog(text));
}

test('KQL printer: phrases, patterns with spaces and keywords, exists, ranges, value lists', () => {
  const tree = and([
    pred('event.category', 'eq', ['process'], { cased: true }),
    pred('process.name', 'eq', ['a.exe', 'b "q".exe'], { cased: true }),
    pred('process.command_line', 'contains', [' curl or wget '], { cased: true }),
    pred('process.args', 'starts_with', ['(x:'], { cased: true }),
    pred('file.path', 'wildcard', ['C:\\\\*\\\\*.dll'], { cased: true }),
    not(pred('user.name', 'exists', [])),
    or([pred('event.severity', 'gte', [3]), pred('host.name', 'lt', ['m'], { cased: true })]),
  ]);
  const text = printKql(tree);
  assert.deepEqual(normalize(kql(text)), normalize(tree));
  assert.throws(() => printKql(pred('a', 'eq', ['x'], { cased: false })), PrintError);
  assert.throws(() => printKql(pred('a', 'wildcard', ['a?b'], { cased: true })), PrintError);
});

test('Lucene and ES|QL printers read back the same', () => {
  const lucTree = and([
    pred('process.name', 'eq', ['chmod'], { cased: true }),
    or([pred('process.args', 'eq', ['g+s'], { cased: true }), pred('process.args', 'regex_match', ['^(?:2[0-9]{3})$'], { cased: true })]),
    not(pred('user.name', 'eq', ['root'], { cased: true })),
  ]);
  const lt = printLucene(lucTree);
  const lr = parseLucene(lt);
  assert.ok(lr.ok, lt);
  if (lr.ok) assert.deepEqual(normalize(lowerLucene(lr.value, new LossLog(lt))), normalize(lucTree));
  const esTree = and([
    pred('process.name', 'eq', ['a', 'b'], { cased: true }),
    pred('process.command_line', 'contains', ['*x\\'], { cased: false }),
    pred('url.path', 'regex_match', ['^(?:/a.*)$'], { cased: true, regexFlags: 's' }),
    pred('process.pid', 'gt', [4]),
    pred('source.ip', 'cidr', ['10.0.0.0/8']),
    pred('a.b', 'ne', ['c.d'], { fieldref: true, cased: true }),
  ]);
  const et = `from x | where ${printEsqlCondition(esTree)}`;
  const er = parseEsql(et);
  assert.ok(er.ok, et);
  if (er.ok) assert.deepEqual(normalize(lowerEsql(er.value).detection!), normalize(esTree));
});
