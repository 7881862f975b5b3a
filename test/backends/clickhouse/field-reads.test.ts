/**
 * What the ClickHouse printer reports it reads (backends/field-reads.ts): each presence and value
 * read of the field arrays, promoted columns, all_values, the arrays read whole, the route columns;
 * and every single read printed through the hook (store/clickhouse/route-groups.ts prints a
 * presence read as its grouped column). A read printed but not reported would group a rule by the
 * wrong columns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { and, not, pred, type Detection } from '../../../src/model/index.js';
import { printClickhouse, printFieldValue } from '../../../src/backends/clickhouse/print.js';
import { chRuleQuery } from '../../../src/backends/clickhouse/rule-query.js';
import { noReads, type FieldReads, type MapEntry } from '../../../src/backends/field-reads.js';
import { loadRules } from '../../../src/engine/rules.js';
import { requireShared } from '../../helpers/shared.js';
import { rule, procRule } from '../../helpers/sigma.js';
import { sigmaRuleDirs } from '../../support/regression.js';

const LISTS = new Set(['Baz', 'Bar']);

function printed(d: Detection, lists: ReadonlySet<string> | 'all' = LISTS): { sql: string; reads: FieldReads } {
  const reads = noReads();
  return { sql: printClickhouse(d, { listFields: lists, reads }), reads };
}

test('each presence and value read of the arrays is reported with its kind; promoted fields as columns', () => {
  const d = and([pred('Foo', 'eq', ['x']), pred('Bar', 'exists', [true]), pred('Baz', 'eq', ['y']), pred('CommandLine', 'contains', ['abc']), pred('Qux', 'eq', [''])]);
  const { reads } = printed(d);
  assert.deepEqual([...reads.entries.keys()].sort(), [
    "f_values[indexOf(f_keys, 'Baz')]",
    "f_values[indexOf(f_keys, 'Foo')]",
    "f_values[indexOf(f_keys, 'Qux')]",
    "has(f_keys, 'Bar')",
    "has(f_keys, 'Qux')",
    "has(l_keys, 'Bar')",
    "l_values[indexOf(l_keys, 'Baz')]",
  ]);
  const e = (sql: string): MapEntry | undefined => reads.entries.get(sql);
  assert.deepEqual({ ...e("has(f_keys, 'Qux')") }, { kind: 'has', map: 'f_keys', key: 'Qux', sql: "has(f_keys, 'Qux')" });
  assert.deepEqual({ ...e("has(l_keys, 'Bar')") }, { kind: 'has', map: 'l_keys', key: 'Bar', sql: "has(l_keys, 'Bar')" });
  assert.deepEqual({ ...e("f_values[indexOf(f_keys, 'Foo')]") }, { kind: 'value', map: 'f_values', key: 'Foo', sql: "f_values[indexOf(f_keys, 'Foo')]" });
  assert.equal(e("l_values[indexOf(l_keys, 'Baz')]")?.kind, 'list');
  assert.deepEqual([...reads.columns], ['f_CommandLine']);
  assert.equal(reads.wholeMap, false);
});

test('null tests, fieldrefs and a negated presence report their reads', () => {
  const { reads } = printed(and([pred('A', 'eq', [null]), not(pred('B', 'exists', [true])), pred('Image', 'eq', ['C'], { fieldref: true })]), new Set());
  assert.deepEqual([...reads.entries.keys()].sort(), ["f_values[indexOf(f_keys, 'A')]", "f_values[indexOf(f_keys, 'C')]", "has(f_keys, 'B')"]);
  assert.deepEqual([...reads.columns], ['f_Image']);
});

test('a keyword reads all_values; one holding the value separator reads the arrays whole', () => {
  const kw = printed(pred(null, 'contains', ['abc']));
  assert.deepEqual([...kw.reads.columns], ['all_values']);
  assert.equal(kw.reads.wholeMap, false);
  assert.equal(kw.reads.entries.size, 0);
  const whole = printed(pred(null, 'contains', ['a\u001fb']));
  assert.equal(whole.reads.wholeMap, true);
  assert.deepEqual([...whole.reads.columns].sort(), ['f_values', 'l_values']);
});

test('the hook prints every single read; the identity hook prints the same text', () => {
  const d = and([pred('Foo', 'eq', ['x']), pred('Bar', 'exists', [true]), pred('Baz', 'eq', ['y']), pred('Qux', 'eq', [''])]);
  const { sql, reads } = printed(d);
  const seen: string[] = [];
  const hooked = printClickhouse(d, { listFields: LISTS, mapEntry: (e) => { seen.push(e.sql); return `x_${seen.length - 1}`; } });
  assert.deepEqual([...new Set(seen)].sort(), [...reads.entries.keys()].sort());
  assert.doesNotMatch(hooked, /f_keys|l_keys|f_values|l_values/);
  assert.equal(printClickhouse(d, { listFields: LISTS, mapEntry: (e) => e.sql }), sql);
  const shown = noReads();
  assert.equal(printFieldValue('Foo', { reads: shown }), "f_values[indexOf(f_keys, 'Foo')]");
  assert.equal(printFieldValue('Image', { reads: shown }), 'f_Image');
  assert.deepEqual([...shown.entries.keys(), ...shown.columns], ["f_values[indexOf(f_keys, 'Foo')]", 'f_Image']);
});

test('a rule reports its route columns; print() with the identity hook is its WHERE', () => {
  const r = rule(procRule("  sel:\n    CommandLine: ''\n    GrandParentImage|endswith: '\\x.exe'\n  condition: sel"));
  const q = chRuleQuery(r, { listFields: new Set() });
  assert.ok('where' in q);
  assert.ok(q.reads.columns.has('channel_lc') || q.reads.columns.has('eid'), 'a route column');
  assert.ok(q.reads.entries.has("has(f_keys, 'CommandLine')"));
  assert.ok(q.reads.entries.has("f_values[indexOf(f_keys, 'GrandParentImage')]"));
  assert.equal(q.print((e) => e.sql), q.where);
});

/** ClickHouse string literals (chString's escapes) blanked: their text is no read. */
const noLiterals = (sql: string): string => sql.replace(/'(?:[^'\\]|\\[\s\S])*'/g, "''");

test('every Sigma rule: each single read goes through the hook and is reported, and each column read is reported', (t) => {
  const shared = requireShared(t, 'the printer reads over the Sigma corpus');
  if (!shared) return;
  const rules = loadRules(sigmaRuleDirs(shared)).detections;
  let checked = 0;
  for (const lists of ['all', new Set<string>()] as const) {
    for (const r of rules) {
      const q = chRuleQuery(r, { listFields: lists });
      if (!('where' in q)) continue;
      checked++;
      const marks: string[] = [];
      // Each read as a marker no printed text holds; the markers back give the WHERE itself.
      const marked = q.print((e) => { marks.push(e.sql); return `\u0002${marks.length - 1}\u0003`; });
      assert.equal(marked.replace(/\u0002(\d+)\u0003/g, (_, i: string) => marks[Number(i)]), q.where, r.id);
      assert.deepEqual([...new Set(marks)].sort(), [...q.reads.entries.keys()].sort(), `${r.id}: reported entries`);
      const rest = noLiterals(marked);
      // No single read left outside the hook; the arrays named only when read whole.
      assert.doesNotMatch(rest, /f_keys|l_keys|indexOf/, `${r.id}: a read printed past the hook`);
      assert.equal(/\b[fl]_values\b/.test(rest), q.reads.wholeMap, `${r.id}: whole arrays`);
      const words = new Set([...rest.matchAll(/\b(f_[A-Za-z0-9_]+|l_values|all_values|channel_lc|eid)\b/g)].map((m) => m[1]));
      assert.deepEqual([...words].sort(), [...q.reads.columns].sort(), `${r.id}: columns`);
    }
  }
  assert.ok(checked > 5000, `${checked} printed rules`);
});
