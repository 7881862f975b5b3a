/** Sigma filters applied to rules: many filters on one rule stay one flat `and`, never a deep tree. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFilters } from '../../src/engine/rules.js';
import { Matcher } from '../../src/engine/matcher.js';
import { parseSigmaText } from '../../src/formats/sigma/index.js';
import type { Detection, Problem, Rule } from '../../src/model/index.js';
import { procRule, sysmon1 } from '../helpers/sigma.js';
import { flattenEvent } from '../../src/events/normalize.js';

function depth(d: Detection): number {
  if (d.kind === 'and' || d.kind === 'or') return 1 + Math.max(...d.children.map(depth));
  if (d.kind === 'not') return 1 + depth(d.child);
  return 1;
}

test('10,000 filters naming one rule: a tree 3 levels deep that compiles and matches', () => {
  const base = parseSigmaText(procRule('  s:\n    CommandLine|contains: evil\n  condition: s'), 'base.yml').rules[0];
  const filters: Rule[] = [];
  for (let i = 0; i < 10_000; i++) {
    const text = `title: f${i}\nlogsource: {product: windows, category: process_creation}\nfilter:\n  rules: [11111111-1111-1111-1111-111111111111]\n  sel:\n    CommandLine|contains: 'benign${i}'\n  condition: sel\n`;
    filters.push(parseSigmaText(text, `f${i}.yml`).rules[0]);
  }
  const problems: Problem[] = [];
  applyFilters([base], filters, problems);
  assert.deepEqual(problems, []);
  assert.equal((base.extra.filters as string[]).length, 10_000);
  assert.ok(depth(base.detection!) <= 3, `depth ${depth(base.detection!)}`);
  const m = new Matcher([base]);
  assert.equal(m.loaded.length, 1);
  const hits = (cl: string): number => m.match(flattenEvent({ file: 'x', event: sysmon1({ CommandLine: cl }) })).length;
  assert.equal(hits('run evil.exe'), 1);
  assert.equal(hits('run evil.exe benign9999'), 0, 'the last filter applies');
});
