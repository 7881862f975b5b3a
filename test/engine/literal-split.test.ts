/**
 * LiteralTable.build splits each field's patterns between a main automaton (patterns made only of
 * the field's 100 most frequent code units) and a rare one. The split is computed with typed
 * arrays; it must be the one of the plain definition below (ties in frequency: the code unit seen
 * first wins), on a synthetic table with ties and on every field of the SigmaHQ rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { KEYWORDS, LiteralTable, type LiteralPlan } from '../../src/engine/literals.js';
import { compileRules } from '../../src/engine/cache/rule-cache.js';
import { requireShared } from '../helpers/shared.js';

/** The split by its definition: Maps and a Set, in the order patterns are given. */
function referenceSplit(patterns: Array<{ text: string; id: number }>): number[][] {
  const units = (text: string): number[] => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
  const freq = new Map<number, number>();
  for (const p of patterns) for (const c of new Set(units(p.text))) freq.set(c, (freq.get(c) ?? 0) + 1);
  // Code units in order of first occurrence (Map order), then by frequency (stable sort).
  const order: number[] = [];
  const seen = new Set<number>();
  for (const p of patterns) {
    for (const c of units(p.text)) {
      if (!seen.has(c)) order.push(c);
      seen.add(c);
    }
  }
  const common = new Set(order.sort((a, b) => freq.get(b)! - freq.get(a)!).slice(0, 100));
  const main: number[] = [];
  const rare: number[] = [];
  for (const p of patterns) {
    if (p.text.length === 0) continue;
    (units(p.text).every((c) => common.has(c)) ? main : rare).push(p.id);
  }
  return [main, rare].filter((l) => l.length > 0).map((l) => l.sort((a, b) => a - b));
}

/** Per scanned field of a built table: the pattern ids of each of its automata. */
function actualSplit(plan: LiteralPlan): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const f of plan.fields) {
    if (!f.scan) continue;
    out.set(f.field, f.automata.map((i) => [...plan.automata[i].pid].filter((id) => id >= 0).sort((a, b) => a - b)));
  }
  return out;
}

/** The same, by the definition: each field's own patterns, then the keywords it does not have (see build()). */
function expectedSplit(plan: LiteralPlan): Map<string, number[][]> {
  const kw = plan.fields.find((f) => f.field === KEYWORDS);
  const keywords = kw ? kw.texts.map((text, i) => ({ text, id: kw.ids[i] })) : [];
  const out = new Map<string, number[][]>();
  for (const f of plan.fields) {
    if (!f.scan) continue;
    const own = f.texts.map((text, i) => ({ text, id: f.ids[i] }));
    const texts = new Set(f.texts);
    const patterns = f.field === KEYWORDS ? own : [...own, ...keywords.filter((k) => !texts.has(k.text))];
    out.set(f.field, referenceSplit(patterns));
  }
  return out;
}

test('literal split: 150 code units of equal frequency, the 100 seen first are common', () => {
  const t = new LiteralTable();
  const ids: number[] = [];
  for (let i = 0; i < 150; i++) ids.push(t.id('F', String.fromCharCode(0x400 + ((i * 7) % 150)) + 'x'));
  t.id('F', 'xx');
  t.id('G', 'exact only', true);
  t.build();
  const plan = t.toPlan();
  assert.deepStrictEqual(actualSplit(plan), expectedSplit(plan));
  // 'x' is in every pattern: with the first 99 other code units seen, 99 one-unit patterns and 'xx' are common.
  assert.deepStrictEqual(actualSplit(plan).get('F')!.map((l) => l.length), [100, 51]);
  assert.equal(plan.fields.find((f) => f.field === 'G')!.scan, false);
});

test('literal split on every field of the SigmaHQ rules: the split of the definition', async (t) => {
  const shared = requireShared(t, 'the SigmaHQ corpus');
  if (!shared) return;
  const paths = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => join(shared, 'corpora', 'sigma', d));
  const c = await compileRules(paths, { parseThreads: 1 });
  const plan = c.matcher.literals.toPlan();
  const actual = actualSplit(plan);
  assert.ok(actual.size > 50, `${actual.size} scanned fields`);
  assert.ok([...actual.values()].some((l) => l.length === 2), 'some field has rare patterns');
  assert.deepStrictEqual(actual, expectedSplit(plan));
});
