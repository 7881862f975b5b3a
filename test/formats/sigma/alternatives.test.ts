/**
 * OR-ed values of a detection item merge into one any-of predicate when field, op and flags are the
 * same (detection-item.ts: mergeAlternatives). Their key (alternativeKey) must group exactly as the
 * tuple [field, op, flags] as JSON does, and an item of one value gives its predicate as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternativeKey } from '../../../src/formats/sigma/detection-item.js';
import { parseSigmaText } from '../../../src/formats/sigma/index.js';
import type { Op, Predicate, PredicateFlags } from '../../../src/model/index.js';
import { procRule } from '../../helpers/sigma.js';

test('alternativeKey: two predicates share a key exactly when [field, op, flags] as JSON are equal', () => {
  const fields = [null, 'null', 'n', 's', '', 'a\0contains', 'a', 'a\0', '\0', '"', 'snull', '{}'];
  const ops: Op[] = ['contains', 'eq', 'starts_with', 'wildcard'];
  const flags: PredicateFlags[] = [{}, { cased: true }, { encodings: ['base64'] }, { cased: true, encodings: ['base64'] }, { encodings: ['base64'], cased: true }, { regexFlags: '\0' }];
  const preds: Predicate[] = [];
  for (const field of fields) for (const op of ops) for (const f of flags) preds.push({ kind: 'pred', field, authoredField: field, op, values: ['x'], flags: f });
  for (const a of preds) for (const b of preds) {
    assert.equal(alternativeKey(a) === alternativeKey(b), JSON.stringify([a.field, a.op, a.flags]) === JSON.stringify([b.field, b.op, b.flags]),
      `${JSON.stringify([a.field, a.op, a.flags])} / ${JSON.stringify([b.field, b.op, b.flags])}`);
  }
});

test('detection items: values with the same op merge, others stay apart, one value is one predicate', () => {
  const det = (body: string): unknown => parseSigmaText(procRule(`  s:\n${body}\n  condition: s`), 'r.yml').rules[0].detection;
  assert.deepStrictEqual(det('    CommandLine|contains: evil'),
    { kind: 'pred', field: 'CommandLine', authoredField: 'CommandLine', op: 'contains', values: ['evil'], flags: {} });
  assert.deepStrictEqual(det("    CommandLine|contains: [evil, bad, 'a*b']"), {
    kind: 'or', children: [
      { kind: 'pred', field: 'CommandLine', authoredField: 'CommandLine', op: 'contains', values: ['evil', 'bad'], flags: {} },
      { kind: 'pred', field: 'CommandLine', authoredField: 'CommandLine', op: 'wildcard', values: ['*a*b*'], flags: {}, authoredValues: ['a*b'] },
    ],
  });
});
