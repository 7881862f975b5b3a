/** WildcardSet: one matcher for the wildcard patterns of a `:` test, the same answers as one glob per pattern. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WildcardSet } from '../../../src/engine/eql/wildcard-set.js';
import { compileGlob, globMatch } from '../../../src/engine/glob.js';
import { eqlPatternToGlob } from '../../../src/engine/eql/values.js';

const PATTERNS = ['*', '**', '*.EXE', 'c:\\windows\\*', '*\\temp\\*', 'pow?rshell*', '*-enc*', 'a*b*c', 'exact', '*İ*', '?', '*\\*'];
const VALUES = ['C:\\Windows\\System32\\cmd.exe', 'powershell.exe -ENC abc', 'POWERSHELL', 'abxbyc', 'exact', 'EXACT', 'x', '', 'i̇', 'C:\\Users\\x\\Temp\\a.ps1', 'a\\'];

test('each pattern alone: the same answer as its glob, for strings, numbers, null and booleans', () => {
  for (const p of PATTERNS) {
    const set = new WildcardSet([p]);
    const g = compileGlob(eqlPatternToGlob(p), false);
    for (const v of VALUES) assert.equal(set.test(v), globMatch(g, v), `${p} ~ ${JSON.stringify(v)}`);
    assert.equal(set.test(12), globMatch(g, '12'), `${p} ~ 12`);
    assert.equal(set.test(null), false);
    assert.equal(set.test(true), false);
  }
});

test('a list matches when one pattern matches one value of an array', () => {
  const set = new WildcardSet(['*\\temp\\*', '*.vbs']);
  assert.equal(set.size, 2);
  assert.equal(set.test(['C:\\a.txt', 'C:\\x\\TEMP\\y']), true);
  assert.equal(set.test(['C:\\a.txt', 'script.VBS']), true);
  assert.equal(set.test(['C:\\a.txt', null]), false);
  assert.equal(set.test([]), false);
});

test('a long list (one automaton pass) gives the same answers as one glob per pattern', () => {
  const patterns = ['*.EXE', 'c:\\windows\\*', '*\\temp\\*', 'pow?rshell*', '*-enc*', 'a*b*c', '*İ*', '*\\*', '?', '*ΑΣ', '*σ*', 'x?', '*abc*', 'ABC*', '*abc', '*𐐀*', 'exe*'];
  const values = [...VALUES, 'ΑΣ', 'ας', 'aσ', '𐐨', '𐐀x', 'ABC', 'xabcx', 'abcd', 'dabc', 'c:\\WINDOWS', 'exe', 'x.exe', 'Pow3rShell.exe', 'aXbXc', 'ab', 'xexact', 12, 1.5, null, true, ['q', 'Z\\TEMP\\y'], ['q', 'r']];
  // Every sub-list of a few patterns and the whole list, with and without the ones that take no automaton.
  const lists = [patterns, patterns.slice(0, 4), patterns.slice(4, 9), patterns.slice(9), patterns.filter((p) => p !== '?'), ['*abc*', 'abc*', '*abc', 'x?', 'a*c', 'exact']];
  for (const list of lists) {
    const set = new WildcardSet(list);
    assert.equal(set.size, list.length);
    const globs = list.map((p) => compileGlob(eqlPatternToGlob(p), false));
    for (const v of values) {
      const scalars = Array.isArray(v) ? v : [v];
      const want = scalars.some((x) => x !== null && typeof x !== 'boolean' && globs.some((g) => globMatch(g, String(x))));
      assert.equal(set.test(v), want, `${JSON.stringify(list)} ~ ${JSON.stringify(v)}`);
    }
  }
});

test('patterns opening with one-character wildcards (`?:\\Windows\\*`) give the answers of their globs, alone and in lists', () => {
  const patterns = ['?:\\Windows\\*', '?:\\WINDOWS\\System32\\cmd.exe', '?', '?*', '?**', '??', '?a*b', '?:\\x?*', '?İ', '?ab*', '?'];
  const values = ['C:\\Windows\\System32\\cmd.exe', 'd:\\windows\\', 'C:\\Windows', 'c:\\windows\\system32\\CMD.EXE', 'xc:\\windows\\system32\\cmd.exe', '', 'a', 'ab', 'abc', 'xab', 'Xa-b', 'xi̇', 'xİ', 'q:\\x1', 'q:\\x', 7, null, ['', 'zab']];
  const lists = [...patterns.map((p) => [p]), patterns, patterns.slice(0, 5), [...patterns, '*.exe', 'c:\\*', '*\\temp\\*', 'exact']];
  for (const list of lists) {
    const set = new WildcardSet(list);
    assert.equal(set.size, list.length, JSON.stringify(list));
    const globs = list.map((p) => compileGlob(eqlPatternToGlob(p), false));
    for (const v of values) {
      const scalars = Array.isArray(v) ? v : [v];
      const want = scalars.some((x) => x !== null && globs.some((g) => globMatch(g, String(x))));
      assert.equal(set.test(v), want, `${JSON.stringify(list)} ~ ${JSON.stringify(v)}`);
    }
  }
});
