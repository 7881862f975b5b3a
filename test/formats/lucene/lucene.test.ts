import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lowerLucene, parse } from '../../../src/formats/lucene/index.js';
import { LossLog } from '../../../src/formats/elastic/losses.js';
import { walkPredicates } from '../../../src/model/index.js';

function preds(text: string): unknown[] {
  const r = parse(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message}`);
  const out: unknown[] = [];
  walkPredicates(lowerLucene(r.value, new LossLog(text)), (p, _path, neg) => out.push([p.field, p.op, p.values, neg]));
  return out;
}

test('terms, wildcards, phrases, regex, ranges, exists', () => {
  assert.deepEqual(preds('a:x AND b:x* AND c:"p q" AND d:/r[0-9]+/ AND e:[1 TO 5} AND _exists_:f AND g:x?y'), [
    ['a', 'eq', ['x'], false],
    ['b', 'starts_with', ['x'], false],
    ['c', 'eq', ['p q'], false],
    // A Lucene regex matches the whole term: anchored in RE2.
    ['d', 'regex_match', ['^(?:r[0-9]+)$'], false],
    ['e', 'gte', [1], false],
    ['e', 'lt', [5], false],
    ['f', 'exists', [], false],
    ['g', 'wildcard', ['x?y'], false],
  ]);
});

test('groups, NOT, -/+ prefixes and escapes', () => {
  assert.deepEqual(preds('p:(a OR b) AND NOT q:c -r:d +s:e\\:f'), [
    ['p', 'eq', ['a', 'b'], false],
    ['q', 'eq', ['c'], true],
    ['r', 'eq', ['d'], true],
    ['s', 'eq', ['e:f'], false],
  ]);
});

test('errors carry a position', () => {
  const r = parse('a:(b OR c');
  assert.ok(!r.ok && r.error.column === 10);
  assert.ok(!parse('a:"x').ok);
  assert.ok(!parse('a:[1 TO').ok);
});

test('fuzzy terms and sloppy phrases are unknown with a loss; a regex RE2 cannot say too', () => {
  const text = 'a:roam~1 AND b:"x y"~2 AND c:z^2 AND d:/a&b/';
  const r = parse(text);
  assert.ok(r.ok);
  if (!r.ok) return;
  const log = new LossLog(text);
  const d = lowerLucene(r.value, log);
  assert.ok(d.kind === 'and');
  if (d.kind !== 'and') return;
  assert.deepEqual(d.children.map((c) => c.kind), ['unknown', 'unknown', 'pred', 'unknown']);
  assert.deepEqual(log.losses.map((l) => [l.text, l.reason, l.offset]), [['roam~1', 'fuzzy', text.indexOf('roam')], ['"x y"~2', 'fuzzy', text.indexOf('"x y"')], ['/a&b/', 'regex-syntax', text.indexOf('/a&b/')]]);
});
