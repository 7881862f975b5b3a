/** Keyword literal covers (store/clickhouse/literal-cover.ts) and the PREWHERE they give a shard's batch (prefilter.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { literalCover, MAX_NEEDLES } from '../../../src/store/clickhouse/literal-cover.js';
import { chCoverSql } from '../../../src/store/clickhouse/prefilter.js';
import { chRuleQuery } from '../../../src/backends/clickhouse/rule-query.js';
import { rule } from '../../helpers/sigma.js';

const MIMIKATZ = ['dpapi::masterkey', 'eo.oe.kiwi', 'event::clear', 'event::drop', 'gentilkiwi.com', 'kerberos::golden', 'kerberos::ptc', 'kerberos::ptt',
  'kerberos::tgt', 'kiwi legit printer', 'lsadump::', 'mimidrv.sys', '\\mimilib.dll', 'misc::printnightmare', 'misc::shadowcopies', 'misc::skeleton',
  'privilege::backup', 'privilege::debug', 'privilege::driver', 'sekurlsa::'];

const covers = (needles: string[], literals: string[]): boolean => literals.every((l) => needles.some((n) => l.includes(n)));

test('the Mimikatz keywords: three needles, each keyword holds one', () => {
  const c = literalCover(MIMIKATZ);
  assert.deepEqual(c, ['::', 'kiwi', 'mimi']);
  assert.ok(covers(c!, MIMIKATZ));
});

test('no sound small cover: null (the exact test scans alone)', () => {
  // Nothing shared but short letter pieces (found in most events): a needle per keyword is no gain.
  assert.equal(literalCover(['abcxyz', 'defxyq', 'ghixyr', 'jklxys']), null);
  // More than MAX_NEEDLES groups with nothing in common.
  const groups = Array.from({ length: MAX_NEEDLES + 1 }, (_, i) => [`${String(i).repeat(4)}x`, `${String(i).repeat(4)}y`]);
  assert.equal(literalCover(groups.flat()), null);
  assert.equal(literalCover([]), null);
  // ':\' and '.e' are in every path: not needles on their own.
  assert.equal(literalCover(['c:\\a1', 'd:\\b2', 'e:\\c3', 'f:\\d4']), null);
});

test('a whole short literal may be its own needle; the result is the same whatever the input order', () => {
  const lits = ['atk/', 'x::1', 'y::2', 'z::3', 'w::4'];
  assert.deepEqual(literalCover(lits), ['::', 'atk/']);
  assert.deepEqual(literalCover([...lits].reverse()), ['::', 'atk/']);
});

test('every cover found covers its literals (random literal sets)', () => {
  let seed = 7;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const alphabet = 'ab:.\\kiwz%_\'';
  const words = ['::', 'kiwi', 'a%_b', "it's", 'zz\\q'];
  const junk = (): string => Array.from({ length: rnd(5) }, () => alphabet[rnd(alphabet.length)]).join('');
  let found = 0;
  for (let k = 0; k < 300; k++) {
    const lits = Array.from({ length: 4 + rnd(8) }, () => junk() + words[rnd(words.length)] + junk());
    const c = literalCover(lits);
    if (!c) continue;
    found++;
    assert.ok(c.length <= MAX_NEEDLES && c.length < new Set(lits).size, JSON.stringify({ lits, c }));
    assert.ok(covers(c, lits), JSON.stringify({ lits, c }));
  }
  assert.ok(found > 10, `covers found: ${found}`);
});

const keywordRule = (keywords: string[]): ReturnType<typeof rule> => rule(`title: k\nid: 22222222-2222-2222-2222-222222222222\nlogsource:\n  product: windows\ndetection:\n  keywords:\n${keywords.map((k) => `    - '${k.replace(/'/g, "''")}'`).join('\n')}\n  condition: keywords\n`);

test('a keyword rule with a cover gets position() tests of its needles; one without keeps none', () => {
  const q = chRuleQuery(keywordRule(MIMIKATZ.map((k) => k.toUpperCase())), { listFields: new Set() });
  assert.ok('where' in q && q.need);
  assert.equal(chCoverSql(q.need), "ifNull(position(all_values, '::') > 0 OR position(all_values, 'kiwi') > 0 OR position(all_values, 'mimi') > 0, 0)");
  const none = chRuleQuery(keywordRule(['abcxyz', 'defxyq', 'ghixyr', 'jklxys']), { listFields: new Set() });
  assert.ok('where' in none && none.need);
  assert.equal(chCoverSql(none.need), null);
  // Three keywords or fewer are position() tests already.
  const few = chRuleQuery(keywordRule(['a::b', 'c::d', 'e::f']), { listFields: new Set() });
  assert.ok('where' in few && few.need);
  assert.equal(chCoverSql(few.need), null);
});

test('needles of hostile keywords are escaped literals', () => {
  const q = chRuleQuery(keywordRule(["it's::a", 'back\\slash::b', "x\\';--::c", '100%::d', 'a_b::e']), { listFields: new Set() });
  assert.ok('where' in q && q.need);
  assert.equal(chCoverSql(q.need), "ifNull(position(all_values, '::') > 0, 0)");
  const q2 = chRuleQuery(keywordRule(["it's'x", "it's'y", "it's'z", "it's'w"]), { listFields: new Set() });
  assert.ok('where' in q2 && q2.need);
  assert.equal(chCoverSql(q2.need), "ifNull(position(all_values, 'it\\'s\\'') > 0, 0)");
});
