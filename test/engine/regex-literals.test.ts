/** The literals a regex requires (the matcher's prefilter) never demand text a match does not contain. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requiredLiterals } from '../../src/engine/regex-literals.js';
import { firesOnImageCmd } from '../helpers/sigma.js';

test('escapes with an argument (\\x41, \\u0041, \\p{L}) are not read as literal text', () => {
  for (const re of ['^\\x41BC$', '\\x{41}BC', '\\u0041BC', '\\p{Lu}BC', '\\cABC']) {
    const lits = requiredLiterals(re);
    assert.ok(lits === null || lits.every((l) => !/41|u00|lu|\{/.test(l)), `${re}: ${JSON.stringify(lits)}`);
  }
  assert.deepEqual(requiredLiterals('cmd\\.exe'), ['cmd.exe']);
});

test('a |re rule with \\x41 fires on the text it matches (the prefilter let it through)', () => {
  assert.equal(firesOnImageCmd("  s:\n    CommandLine|re: '^\\x41BC$'\n  condition: s", { CommandLine: 'ABC' }), true);
  assert.equal(firesOnImageCmd("  s:\n    CommandLine|re: '^\\x41BC$'\n  condition: s", { CommandLine: 'xBC' }), false);
});
