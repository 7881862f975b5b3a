/**
 * Hostile nesting in every rule language: 10,000 parentheses or 100,000 `not`s give one error with
 * a position, never a stack overflow; nesting up to the bound still parses, lowers, canonicalizes
 * and compiles (the tree walks after the parsers are recursive too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NESTING } from '../../src/formats/nesting.js';
import { lowerQuery } from '../../src/formats/elastic/query.js';
import { parseSigmaText } from '../../src/formats/sigma/index.js';
import { parsePipeline } from '../../src/formats/spl/index.js';
import { canonicalize } from '../../src/taxonomy/pipeline.js';
import { Matcher } from '../../src/engine/matcher.js';
import { procRule } from '../helpers/sigma.js';

const parens = (n: number, inner: string): string => '('.repeat(n) + inner + ')'.repeat(n);
const nots = (n: number, word: string, inner: string): string => `${word} `.repeat(n) + inner;

/** The Elastic languages: a query nested n levels deep, by parentheses or by negations. */
const ELASTIC: Record<string, { parens: (n: number) => string; nots: (n: number) => string }> = {
  eql: { parens: (n) => `process where ${parens(n, 'a == 1')}`, nots: (n) => `process where ${nots(n, 'not', 'a == 1')}` },
  kuery: { parens: (n) => parens(n, 'a:1'), nots: (n) => nots(n, 'not', 'a:1') },
  lucene: { parens: (n) => parens(n, 'a:1'), nots: (n) => nots(n, 'NOT', 'a:1') },
  esql: { parens: (n) => `from x | where ${parens(n, 'a == 1')}`, nots: (n) => `from x | where ${nots(n, 'not', 'a == 1')}` },
};

for (const [language, make] of Object.entries(ELASTIC)) {
  test(`${language}: hostile nesting is one error at the level past the bound; nesting up to it works`, () => {
    for (const [kind, text] of [['parens', make.parens(10_000)], ['nots', make.nots(100_000)]] as const) {
      const r = lowerQuery(language, text);
      assert.ok(r.error, `${kind}: an error`);
      assert.match(r.error.message, new RegExp(`nested deeper than ${MAX_NESTING} levels`), kind);
      assert.equal(r.error.line, 1);
      // The error points into the nesting, not at the start of the query.
      assert.ok(r.error.offset >= MAX_NESTING && r.error.offset < text.length / 2, `${kind}: offset ${r.error.offset}`);
    }
    for (const text of [make.parens(MAX_NESTING - 20), make.nots(MAX_NESTING - 20)]) {
      const r = lowerQuery(language, text);
      assert.equal(r.error, undefined, r.error?.message);
      assert.ok(r.detection, 'lowered');
    }
  });
}

test('spl: hostile nesting is one query-too-deep error (search and where)', () => {
  for (const text of [`search ${parens(10_000, 'a=1')}`, `search ${nots(100_000, 'NOT', 'a=1')}`, `search a=1 | where ${parens(10_000, 'a=1')}`]) {
    const r = parsePipeline(text);
    assert.equal(r.error?.reason, 'query-too-deep', text.slice(0, 40));
  }
});

test('sigma: a condition 10,000 parentheses deep or with 100,000 nots is one problem on the condition line', () => {
  const det = (cond: string): string => procRule(`  s:\n    CommandLine|contains: evil\n  condition: ${cond}`);
  for (const cond of [parens(10_000, 's'), nots(100_000, 'not', 's')]) {
    const r = parseSigmaText(det(cond), 'deep.yml');
    assert.equal(r.rules.length, 0);
    assert.equal(r.problems.length, 1);
    const p = r.problems[0];
    assert.equal(p.reason, 'condition');
    assert.equal(p.line, 9, 'the line of the condition');
    assert.match(p.message, new RegExp(`nested deeper than ${MAX_NESTING} levels at column \\d+`));
    assert.ok(p.message.length < 400, 'the condition is quoted as an excerpt');
  }
  // Up to the bound: parsed, canonicalized and compiled by the engine.
  for (const cond of [parens(MAX_NESTING - 1, 's'), nots(MAX_NESTING - 2, 'not', 's')]) {
    const r = parseSigmaText(det(cond), 'ok.yml');
    assert.deepEqual(r.problems, []);
    const m = new Matcher([canonicalize(r.rules[0])]);
    assert.equal(m.loaded.length, 1, JSON.stringify(m.skipped.map((s) => s.message)));
  }
});
