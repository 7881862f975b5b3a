import assert from 'node:assert/strict';
import { test } from 'node:test';
import { luceneRegexToRe2, re2ToLuceneRegex } from '../../../src/formats/elastic/lucene-regex.js';
import { compileRegex } from '../../../src/util/regex.js';

/** Does the Lucene regex match the whole of `s`, through its RE2 translation? */
function matches(lucene: string, s: string, insensitive = false): boolean {
  const t = luceneRegexToRe2(lucene, insensitive);
  if (!t.ok) assert.fail(`${lucene}: ${t.reason}`);
  const { re, error } = compileRegex(t.pattern, t.flags);
  if (!re) assert.fail(`${t.pattern}: ${error}`);
  return re.test(s);
}

test('whole-value match: no substring hits, no anchors in Lucene', () => {
  assert.equal(matches('2[0-9]{3}', '2755'), true);
  assert.equal(matches('2[0-9]{3}', '12755'), false);
  assert.equal(matches('2[0-9]{3}', '27550'), false);
  // ^ and $ are ordinary characters in Lucene.
  assert.equal(matches('^a$', '^a$'), true);
  assert.equal(matches('^a$', 'a'), false);
});

test('. crosses newlines; @ is any string; "..." is literal; \\d \\w \\s shorthands', () => {
  assert.equal(matches('a.b', 'a\nb'), true);
  assert.equal(matches('x@y', 'x anything y'), true);
  assert.equal(matches('"a.b"+', 'a.ba.b'), true);
  assert.equal(matches('"a.b"', 'axb'), false);
  assert.equal(matches('\\d+\\s\\w+', '42 ab_1'), true);
  assert.equal(matches('[\\d.]+', '1.2.3'), true);
  assert.equal(matches('\\D+', 'abc'), true);
  assert.equal(matches('\\D+', 'a1'), false);
});

test('stacked quantifiers keep Lucene meaning; case flag', () => {
  const t = luceneRegexToRe2('a*?b', false);
  assert.deepEqual(t, { ok: true, pattern: '^(?:(?:a*)?b)$', flags: '' });
  assert.equal(matches('ABC', 'abc', true), true);
  assert.equal(matches('ABC', 'abc', false), false);
});

test('what RE2 cannot say is refused with a reason', () => {
  for (const re of ['a&b', '~a', 'a<1-5>', '#', '(a||b)', '*a', 'a{2', '[a']) {
    const t = luceneRegexToRe2(re, false);
    assert.equal(t.ok, false, re);
  }
});

test('anchored RE2 back to Lucene syntax', () => {
  for (const re of ['2[0-9]{3}', 'a.b|c"d"', '[^@\\s]+\\@[^@\\s]+', 'C:\\\\Program Files( \\(x86\\))?\\\\.*', 'x@y']) {
    const t = luceneRegexToRe2(re, false);
    assert.ok(t.ok);
    if (!t.ok) continue;
    const back = re2ToLuceneRegex(t.pattern)!;
    assert.deepEqual(luceneRegexToRe2(back, false), t, `${re} -> ${back}`);
  }
  assert.equal(re2ToLuceneRegex('bash\\.exe'), undefined);
});
