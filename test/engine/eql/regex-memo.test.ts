/** Remembered RE2 answers (regex-memo.ts): always RE2's own answer, for repeated, new, long and many values. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoTest } from '../../../src/engine/eql/regex-memo.js';
import { compileRegex } from '../../../src/util/regex.js';

test('a remembered regex answers as RE2 does, value after value, past its memo size and for long values', () => {
  const { re } = compileRegex('^(?:[a-z0-9]\\.exe)$', 'is');
  assert.ok(re);
  const test = memoTest(re);
  const values = ['a.exe', 'ab.exe', 'A.EXE', 'svchost.exe', '1.exe', `${'x'.repeat(300)}.exe`, 'b.exe'];
  // Twice over (answers from RE2, then from the memo), then 600 distinct values (the memo starts over).
  for (const v of [...values, ...values]) assert.equal(test(v), re.test(v), v);
  for (let i = 0; i < 600; i++) {
    const v = i % 3 === 0 ? `${String.fromCharCode(97 + (i % 26))}.exe` : `n${i}.exe`;
    assert.equal(test(v), re.test(v), v);
  }
  for (const v of values) assert.equal(test(v), re.test(v), v);
});

test('two regexes keep their answers apart', () => {
  const a = memoTest(compileRegex('^(?:cmd\\.exe)$', 'is').re!);
  const b = memoTest(compileRegex('^(?:powershell\\.exe)$', 'is').re!);
  assert.equal(a('CMD.exe'), true);
  assert.equal(b('CMD.exe'), false);
  assert.equal(b('powershell.exe'), true);
  assert.equal(a('powershell.exe'), false);
});
