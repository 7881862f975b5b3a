/** The literals a regex requires (the matcher's prefilter) never demand text a match does not contain. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requiredLiterals, requiresNonAscii } from '../../src/engine/regex-literals.js';
import { firesOnImageCmd } from '../helpers/sigma.js';
import { compileRegex } from '../../src/util/regex.js';

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

test('a required group gives its alternatives\' literals when they are longer than the run', () => {
  assert.deepEqual(requiredLiterals('^(C:\\\\Program Files \\(x86\\)\\\\|C:\\\\Program Files\\\\)[^"]+ [^"]+\\.exe'), ['c:\\program files (x86)\\', 'c:\\program files\\']);
  assert.deepEqual(requiredLiterals('(?:powershell|pwsh)\\.x'), ['powershell', 'pwsh']);
  // Optional groups, and groups with a branch that has no literal, give nothing; the run stays.
  assert.deepEqual(requiredLiterals('(?:powershell|pwsh)?\\.exe'), ['.exe']);
  assert.deepEqual(requiredLiterals('(?:powershell|.)\\.exe'), ['.exe']);
  assert.deepEqual(requiredLiterals('(?i)(ab|cd)x'), ['ab', 'cd']);
  // A shorter group does not replace a longer run.
  assert.deepEqual(requiredLiterals('(ab|cd)\\\\windows\\\\system32'), ['\\windows\\system32']);
  assert.equal(requiredLiterals('(a|b)'), null);
});

test('random regexes: whenever one matches a text, one of its required literals occurs in it', () => {
  // A seeded generator of regexes over a small alphabet (groups, alternations, quantifiers, classes,
  // dots), and every text over that alphabet up to 5 characters: the prefilter property, exhaustively.
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 16) % n;
  };
  const atom = (d: number): string => {
    const k = rnd(d > 2 ? 6 : 9);
    if (k < 3) return Array.from({ length: 1 + rnd(3) }, () => 'abcA'[rnd(4)]).join('');
    if (k === 3) return '.';
    if (k === 4) return '[ab]';
    if (k === 5) return 'A';
    const open = ['(', '(?:', '(?i:'][rnd(3)];
    return `${open}${alt(d + 1)})`;
  };
  const quant = (): string => ['', '', '', '*', '+', '?', '{2}', '{0,1}', '+?'][rnd(9)];
  // A quantifier applies to an atom's last character (or its group), as in any regex.
  const seq = (d: number): string => Array.from({ length: 1 + rnd(4) }, () => atom(d) + quant()).join('');
  const alt = (d: number): string => Array.from({ length: 1 + rnd(3) }, () => seq(d)).join('|');
  const texts: string[] = [''];
  for (let len = 1; len <= 5; len++) for (const t of texts.filter((x) => x.length === len - 1)) for (const c of 'abcA') texts.push(t + c);
  let checked = 0;
  let withLits = 0;
  for (let i = 0; i < 1500; i++) {
    const src = alt(0);
    const lits = requiredLiterals(src);
    if (!lits) continue;
    withLits++;
    // RE2, as the engine runs rule regexes ((?i:...) groups included).
    const re = compileRegex(src, 'i').re!;
    for (const t of texts) {
      if (!re.test(t)) continue;
      checked++;
      const lower = t.toLowerCase();
      assert.ok(lits.some((l) => lower.includes(l)), `${src} matches ${JSON.stringify(t)}, which holds none of ${JSON.stringify(lits)}`);
    }
  }
  assert.ok(checked > 1000 && withLits > 100, `only ${checked} matches checked, ${withLits} regexes with literals`);
});

test('regexes needing a character beyond ASCII: the modifier-letter class, literals, ranges; not when optional, negated, escaped or folded', () => {
  assert.equal(requiresNonAscii('.*[ʰ-˿ᴬ-ᶻ]+.*'), true);
  assert.equal(requiresNonAscii('a\u202eb'), true);
  assert.equal(requiresNonAscii('x[é]|é{2}'), true);
  for (const src of ['.*[ʰ-˿]*.*', '[^ʰ-˿]', '[a-ʰ]', '[-ʰ]', '[ʰ-]', 'é?', 'é{0,3}', '(é)', 'a|é', '\\x{e9}', '(?i)é', '(?i:x)é', '😀?', '[\\u00e9]', 'abc']) {
    assert.equal(requiresNonAscii(src), false, src);
  }
});

test('random regexes: one that requiresNonAscii never matches a text of ASCII only', () => {
  let seed = 4242;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 16) % n;
  };
  const atoms = ['a', 'b', '.', 'é', 'ʰ', '😀', '[ʰ-˿]', '[ᴬ-ᶻé]', '[a-ʰ]', '[^é]', '[-é]', '\\w', '\\.', '[ab]'];
  const atom = (d: number): string => (d < 2 && rnd(5) === 0 ? `${['(', '(?:'][rnd(2)]}${alt(d + 1)})` : atoms[rnd(atoms.length)]);
  const quant = (): string => ['', '', '', '*', '+', '?', '{2}', '{0,1}', '+?', '{1,}'][rnd(10)];
  const seq = (d: number): string => Array.from({ length: 1 + rnd(4) }, () => atom(d) + quant()).join('');
  const alt = (d: number): string => Array.from({ length: 1 + rnd(3) }, () => seq(d)).join('|');
  const alphabet = ['a', 'b', '.', '-', 'é', 'ʰ', 'ᴬ', '😀'];
  const texts: string[] = [''];
  for (let len = 1; len <= 4; len++) for (const t of texts.filter((x) => [...x].length === len - 1)) for (const c of alphabet) texts.push(t + c);
  let needing = 0;
  let checked = 0;
  for (let i = 0; i < 1500; i++) {
    const src = alt(0);
    const needs = requiresNonAscii(src);
    if (!needs) continue;
    needing++;
    // As the EQL engine runs `regex` (case-sensitive, the whole value).
    const re = compileRegex(`^(?:${src})$`, 's').re!;
    for (const t of texts) {
      if (!re.test(t)) continue;
      checked++;
      assert.ok(/[^\x00-\x7f]/.test(t), `${src} matches the ASCII text ${JSON.stringify(t)}`);
    }
  }
  assert.ok(needing > 100 && checked > 500, `only ${needing} regexes need a character beyond ASCII, ${checked} matches checked`);
});
