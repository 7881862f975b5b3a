/**
 * "The field is absent" (Sigma `|exists: false`, model `exists [false]`) printed in every query
 * language as the negation it is. The printers wrote it as "present" (EQL `!= null`, SPL `f=*`,
 * KQL `f: *`...): the converted rule fired on exactly the events the source excluded. No corpus rule
 * says `exists: false` today, so the round-trip table could not see it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSigmaText } from '../../src/formats/sigma/index.js';
import { roundTrip } from '../../src/convert/roundtrip.js';
import { printEqlCondition } from '../../src/backends/eql/print.js';
import { printKql } from '../../src/backends/kql/print.js';
import { printLucene } from '../../src/backends/lucene/print.js';
import { printEsqlCondition } from '../../src/backends/esql/print.js';
import { printSpl } from '../../src/backends/spl/print.js';
import { compileDetection } from '../../src/engine/elastic/detection-eval.js';
import { pred } from '../../src/model/index.js';
import { treeFires } from '../helpers/engine.js';

const absent = pred('process.command_line', 'exists', [false]);
const present = pred('process.command_line', 'exists', [true]);

test('each printer writes "absent" as the negation of "present"', () => {
  assert.equal(printEqlCondition(absent), 'process.command_line == null');
  assert.equal(printEqlCondition(present), 'process.command_line != null');
  assert.match(printKql(absent), /^not process\.command_line: \*$/);
  assert.match(printLucene(absent), /NOT process\.command_line:\*/);
  assert.match(printEsqlCondition(absent), /process\.command_line is null/);
  assert.match(printSpl(absent), /NOT process\.command_line=\*/);
  assert.doesNotMatch(printSpl(present), /NOT/);
});

test('a Sigma rule with exists: false converts to EQL and SPL and reads back the same', () => {
  const text = [
    'title: t', 'id: 11111111-1111-1111-1111-111111111111', 'status: test',
    'logsource: {product: windows, category: process_creation}',
    'detection:', "  sel: {Image|endswith: '\\a.exe', CommandLine|exists: false}", '  condition: sel',
  ].join('\n');
  const r = parseSigmaText(text, 'x.yml');
  assert.deepEqual(r.problems, []);
  for (const target of ['eql', 'spl', 'sigma'] as const) {
    const rt = roundTrip(r.rules[0], target);
    assert.equal(rt.status, 'equivalent', `${target}: ${rt.detail ?? ''}\n${rt.text ?? ''}`);
  }
  assert.match(roundTrip(r.rules[0], 'eql').text!, /command_line == null/);
});

test('the engines test absence: the Sigma matcher and the Elastic evaluator', () => {
  const f = pred('A', 'exists', [false]);
  assert.equal(treeFires(f, {}), true);
  assert.equal(treeFires(f, { A: 'x' }), false);
  const ev = compileDetection(pred('a.b', 'exists', [false]));
  assert.equal(ev({ a: { c: 1 } }), true);
  assert.equal(ev({ a: { b: 'x' } }), false);
});
