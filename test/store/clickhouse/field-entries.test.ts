/**
 * Presence reads as grouped columns (store/clickhouse/field-entries.ts) and the rules route-groups.ts
 * prepares (routeRules): the reads come from the printer (backends/field-reads.ts), each printed
 * through the hook as its alias; no SQL text is read back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldEntries } from '../../../src/store/clickhouse/field-entries.js';
import { routeRules, type RouteRule } from '../../../src/store/clickhouse/route-groups.js';
import { chRuleQuery } from '../../../src/backends/clickhouse/rule-query.js';
import type { MapEntry } from '../../../src/backends/field-reads.js';
import { chString } from '../../../src/backends/clickhouse/literal.js';
import { rule, procRule } from '../../helpers/sigma.js';

const has = (key: string, map = 'f_keys'): MapEntry => ({ kind: 'has', map, key, sql: `has(${map}, ${chString(key)})` });

test('a presence read of f_keys becomes an alias shared across statements; other reads stay as printed', () => {
  const entries = new FieldEntries();
  const a = new Set<string>();
  const b = new Set<string>();
  const pa = entries.printer(a);
  const pb = entries.printer(b);
  assert.equal(pa(has('CommandLine')), 'x_0');
  assert.equal(pa(has("it's")), 'x_1');
  assert.equal(pb(has('CommandLine')), 'x_0');
  assert.equal(pa(has('Foo', 'l_keys')), "has(l_keys, 'Foo')");
  const value: MapEntry = { kind: 'value', map: 'f_values', key: 'B', sql: "f_values[indexOf(f_keys, 'B')]" };
  assert.equal(pa(value), value.sql);
  assert.deepEqual([...a], ['x_0', 'x_1']);
  assert.deepEqual([...b], ['x_0']);
  assert.deepEqual([...entries.byAlias().values()], [
    { expr: "has(f_keys, 'CommandLine')", alias: 'x_0', type: 'UInt8', key: "'CommandLine'" },
    { expr: "has(f_keys, 'it\\'s')", alias: 'x_1', type: 'UInt8', key: "'it\\'s'" },
  ]);
});

function routeRule(body: string, lists: ReadonlySet<string> | 'all' = new Set()): RouteRule {
  const r = rule(procRule(body));
  const q = chRuleQuery(r, { listFields: lists });
  assert.ok('where' in q);
  return { rule: r, where: q.where, route: q.route ?? '1', shown: [], reads: q.reads, print: q.print };
}

test('route groups: a rule reading presence and promoted columns is prepared over its aliases; a value read or lists are not', () => {
  const empty = routeRule("  sel:\n    CommandLine: ''\n    Image|endswith: '\\x.exe'\n  condition: sel");
  const value = routeRule("  sel:\n    GrandParentImage|endswith: '\\x.exe'\n  condition: sel");
  const lists = routeRule("  sel:\n    Image|endswith: '\\x.exe'\n  condition: sel", 'all');
  const { routes, ruleOf, entries } = routeRules([empty, value, lists, { ...empty, reads: undefined }]);
  assert.deepEqual([...ruleOf.keys()], [0]);
  assert.equal(routes.length, 1);
  const [r] = routes;
  assert.deepEqual(r.cols, ['f_CommandLine', 'f_Image', 'f_NewProcessName', 'x_0']);
  assert.deepEqual([...entries.values()], [{ expr: "has(f_keys, 'CommandLine')", alias: 'x_0', type: 'UInt8', key: "'CommandLine'" }]);
  // The condition over the grouped columns: the presence read is its alias, the arrays are not read.
  assert.equal(r.rules[0].where, empty.where.replaceAll("has(f_keys, 'CommandLine')", 'x_0'));
  assert.doesNotMatch(r.rules[0].where, /f_keys|f_values/);
});

test('route groups: shown values are printed too; a shown field without a column keeps the rule per event', () => {
  const base = routeRule("  sel:\n    Image|endswith: '\\x.exe'\n  condition: sel");
  const { routes } = routeRules([{ ...base, shown: ['Image', 'CommandLine'] }]);
  assert.deepEqual(routes[0].rules[0].shown, ['f_Image', 'f_CommandLine']);
  assert.deepEqual(routeRules([{ ...base, shown: ['GrandParentImage'] }]).routes, []);
});
