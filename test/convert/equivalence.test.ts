import assert from 'node:assert/strict';
import { test } from 'node:test';
import { equivalent } from '../../src/convert/equivalence.js';
import type { Detection } from '../../src/model/index.js';
import { and, not, or, pred } from '../../src/model/index.js';
import { treeFires } from '../helpers/engine.js';

const a = pred('A', 'eq', ['1']);
const b = pred('B', 'contains', ['x']);
const c = pred('C', 'starts_with', ['y']);

test('normalizations that are identities of the model', () => {
  const same: Array<[Detection, Detection, string]> = [
    [and([a, and([b, c])]), and([and([c, a]), b]), 'and flattened, order of children'],
    [or([a, or([b, a])]), or([b, a]), 'or flattened, duplicates'],
    [and([a, { kind: 'const', value: true }]), a, 'constants folded'],
    [not(not(a)), a, 'double negation'],
    [pred('A', 'in', ['1', '2']), or([pred('A', 'eq', ['2']), pred('A', 'eq', ['1'])]), 'values are alternatives; in is eq'],
    [pred('A', 'ne', ['1', '2']), not(pred('A', 'eq', ['1', '2'])), 'ne is not eq'],
    [pred('A', 'wildcard', ['*x']), pred('A', 'ends_with', ['x']), 'simple globs'],
    [pred('A', 'wildcard', ['x**']), pred('A', 'starts_with', ['x']), 'a run of * is one *'],
    [pred('A', 'ends_with', ['\\x'], { anySeparator: true }), pred('A', 'ends_with', ['\\x', '/x']), 'either separator'],
    [pred(null, 'eq', ['k']), pred(null, 'contains', ['k']), 'keywords are infixes'],
    [pred(null, 'eq', [5]), pred(null, 'contains', ['5']), 'a number keyword is its text'],
    [pred('A', 'exists', []), pred('A', 'exists', [true]), 'value-less exists'],
    [pred('A', 'exists', [false]), not(pred('A', 'exists', [true])), 'exists false'],
    [pred('A', 'regex_match', ['x'], { cased: true, regexFlags: 'mi' }), pred('A', 'regex_match', ['x'], { regexFlags: 'im' }), 'regex case from its flags'],
    [pred('A', 'gt', ['5']), pred('A', 'gt', [5]), 'range bounds are numbers'],
    [pred('A', 'eq', [4], { cased: true }), pred('A', 'eq', [4]), 'cased on a number'],
    [{ ...pred('A', 'contains', ['x'], { encodings: ['base64offset'] }), authoredValues: ['q'], authoredField: 'a' }, pred('A', 'contains', ['x']), 'provenance'],
    [pred('A', 'eq', ['\\\\*\\IPC$']), pred('A', 'eq', ['\\\\*\\ipc$']), 'a case-insensitive value in either case'],
    [pred('A', 'wildcard', ['?:\\Windows\\*']), pred('A', 'wildcard', ['?:\\windows\\*']), 'a case-insensitive glob in either case'],
    [pred('A', 'regex_match', ['(?i)x+']), pred('A', 'regex_match', ['x+'], { regexFlags: 'i' }), 'a leading flag group is the flags'],
    [pred('A', 'regex_match', ['(?s)^(?:.*x)$']), pred('A', 'regex_match', ['^(?:.*x)$'], { regexFlags: 's' }), 'a leading (?s)'],
    [pred('A', 'regex_match', ['(?is)^a.*b\\.c.$']), pred('A', 'wildcard', ['a*b.c?']), 'an anchored glob as a regex (s: . matches a line break)'],
    [pred('A', 'regex_match', ['^a.*b$'], { regexFlags: 's' }), pred('A', 'wildcard', ['a*b'], { cased: true }), 'a case-sensitive glob as a regex'],
    [pred(null, 'wildcard', ['*Htran*FOUND*']), pred(null, 'wildcard', ['Htran*FOUND']), 'a keyword glob is searched anywhere'],
    [pred('A', 'gt', ['B'], { fieldref: true, cased: true }), pred('A', 'gt', ['B'], { fieldref: true }), 'an order comparison compares numbers'],
  ];
  for (const [x, y, why] of same) assert.ok(equivalent(x, y), why);
});

test('in a target where a field with no value is absent, a * glob is a presence test', () => {
  assert.ok(!equivalent(pred('A', 'exists', []), pred('A', 'wildcard', ['*'])));
  assert.ok(equivalent(pred('A', 'exists', []), pred('A', 'wildcard', ['*']), { nullIsAbsent: true }));
  assert.ok(equivalent(pred('A', 'exists', []), pred('A', 'wildcard', ['**', 'x']), { nullIsAbsent: true }), 'a * among other values');
  assert.ok(!equivalent(pred('A', 'exists', []), pred('A', 'wildcard', ['*x']), { nullIsAbsent: true }));
  assert.ok(!equivalent(pred(null, 'exists', []), pred(null, 'wildcard', ['*']), { nullIsAbsent: true }), 'a keyword is no field');
  // in detectory's own events the two differ exactly on a present field with no value
  assert.equal(treeFires(pred('A', 'exists', []), { A: null }), true);
  assert.equal(treeFires(pred('A', 'exists', [true]), { A: null }), true);
  assert.equal(treeFires(pred('A', 'exists', []), {}), false, 'no value is "present", not "absent"');
  assert.equal(treeFires(pred('A', 'wildcard', ['*']), { A: null }), false);
});

test('real changes are differences', () => {
  const differ: Array<[Detection, Detection, string]> = [
    [a, pred('A', 'eq', ['2']), 'value'],
    [a, pred('Z', 'eq', ['1']), 'field'],
    [b, pred('B', 'starts_with', ['x']), 'operator'],
    [b, pred('B', 'contains', ['x'], { cased: true }), 'case'],
    [and([a, b]), or([a, b]), 'and / or'],
    [and([a, not(b)]), not(and([a, b])), 'where a negation stands'],
    [pred('A', 'ne', ['1', '2']), or([pred('A', 'ne', ['1']), pred('A', 'ne', ['2'])]), 'ne of several values is not an or of ne'],
    [pred('A', 'wildcard', ['*x?']), pred('A', 'ends_with', ['x?']), 'a ? is a wildcard'],
    [pred('A', 'wildcard', ['x\\*']), pred('A', 'starts_with', ['x']), 'an escaped * is a literal'],
    [pred('A', 'regex_match', ['x'], { regexFlags: 'i' }), pred('A', 'regex_match', ['x']), 'regex flag'],
    [pred('A', 'eq', ['B'], { fieldref: true }), pred('A', 'eq', ['B']), 'fieldref'],
    [pred('A', 'eq', ['1']), pred('A', 'eq', [1]), 'a string is not a number (equality)'],
    [pred('A', 'exists', [true]), pred('A', 'wildcard', ['*']), 'exists is not a * glob (null values)'],
    [pred('A', 'eq', ['X'], { cased: true }), pred('A', 'eq', ['x'], { cased: true }), 'a case-sensitive value'],
    [pred('A', 'regex_match', ['^a.*b$'], { regexFlags: 'i' }), pred('A', 'wildcard', ['a*b']), 'without s, a regex . misses a line break'],
    [pred('A', 'regex_match', ['^a.*b$'], { regexFlags: 'ims' }), pred('A', 'wildcard', ['a*b']), 'with m, ^ and $ are line anchors'],
    [pred('A', 'regex_match', ['^a\\d$'], { regexFlags: 's' }), pred('A', 'wildcard', ['a?'], { cased: true }), 'a class escape is no literal'],
    [pred('A', 'regex_match', ['x(?i)y']), pred('A', 'regex_match', ['xy'], { regexFlags: 'i' }), 'a flag group inside the pattern'],
    [{ kind: 'unknown', text: 'f(x)', reason: 'r' }, { kind: 'unknown', text: 'g(x)', reason: 'r' }, 'unknown text'],
  ];
  for (const [x, y, why] of differ) assert.ok(!equivalent(x, y), why);
});

test('the normalizations agree with the engine on sample events', () => {
  const pairs: Array<[Detection, Detection]> = [
    [pred('A', 'ne', ['1', '2']), not(pred('A', 'eq', ['1', '2']))],
    [pred('A', 'wildcard', ['*x']), pred('A', 'ends_with', ['x'])],
    [pred('A', 'ends_with', ['\\x'], { anySeparator: true }), pred('A', 'ends_with', ['\\x', '/x'])],
    [pred(null, 'eq', ['k']), pred(null, 'contains', ['k'])],
    [pred('A', 'regex_match', ['^X$'], { cased: true }), pred('A', 'regex_match', ['^X$'])],
    [pred('A', 'eq', ['IPC$']), pred('A', 'eq', ['ipc$'])],
    [pred('A', 'regex_match', ['(?i)x+']), pred('A', 'regex_match', ['x+'], { regexFlags: 'i' })],
    [pred('A', 'regex_match', ['(?is)^a.*b\\.c.$']), pred('A', 'wildcard', ['a*b.c?'])],
    [pred('A', 'regex_match', ['^a.*b$'], { regexFlags: 's' }), pred('A', 'wildcard', ['a*b'], { cased: true })],
  ];
  const events: Array<Record<string, string>> = [{ A: '1' }, { A: '3' }, {}, { A: 'ax' }, { A: 'c:/x' }, { A: 'c:\\x' }, { B: 'kk' }, { A: 'X' }, { A: 'x' },
    { A: 'IPC$' }, { A: 'ipc$' }, { A: 'iPc$' }, { A: 'XX' }, { A: 'a\nb.cd' }, { A: 'A\r\nB.C\n' }, { A: 'ab.c' }, { A: 'axb' }, { A: 'a\nb' }, { A: 'A\nB' }];
  for (const [x, y] of pairs) {
    assert.ok(equivalent(x, y));
    for (const e of events) assert.equal(treeFires(x, e), treeFires(y, e), `${JSON.stringify(x)} on ${JSON.stringify(e)}`);
  }
});
