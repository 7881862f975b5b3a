/** Which batches run once per distinct value combination on ClickHouse (store/clickhouse/grouped-batch.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupColumns, groupedBatchSql } from '../../../src/store/clickhouse/grouped-batch.js';
import { chRuleQuery } from '../../../src/backends/clickhouse/rule-query.js';
import { printClickhouse } from '../../../src/backends/clickhouse/print.js';
import { mergeReads, noReads, type FieldReads } from '../../../src/backends/field-reads.js';
import { and, pred, type Detection } from '../../../src/model/index.js';
import { loadRules } from '../../../src/engine/rules.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a detection reads, as the printer reports it. */
function readsOf(d: Detection, lists: ReadonlySet<string> | 'all' = new Set()): FieldReads {
  const reads = noReads();
  printClickhouse(d, { listFields: lists, reads });
  return reads;
}

test('promoted columns are grouped; the arrays, lists, all_values or other columns are not', () => {
  assert.deepEqual(groupColumns(readsOf(and([pred('Image', 'eq', ['a']), pred('CommandLine', 'contains', ['b'])]))), ['f_CommandLine', 'f_Image']);
  assert.deepEqual(groupColumns({ ...noReads(), columns: new Set(['channel_lc', 'eid']) }), []);
  const others: Array<[string, Detection | FieldReads]> = [
    ['presence', pred('Foo', 'exists', [true])],
    ['value', pred('Foo', 'eq', ['x'])],
    ['list', pred('Image', 'eq', ['x'])],
    ['keyword', pred(null, 'contains', ['x'])],
    ['whole arrays', pred(null, 'contains', ['a\u001fb'])],
    ['another column', { ...noReads(), columns: new Set(['f_Image', 'computer']) }],
  ];
  for (const [what, d] of others) {
    const r = 'kind' in d ? readsOf(and([pred('Image', 'eq', ['a']), d]), what === 'list' ? 'all' : new Set()) : d;
    assert.equal(groupColumns(r), null, what);
  }
});

test('presence reads of f_keys are grouped when asked (route groups), nothing else of the arrays', () => {
  const presence = readsOf(and([pred('Image', 'eq', ['a']), pred('CommandLine', 'eq', ['']), pred('Foo', 'exists', [true])]));
  assert.equal(groupColumns(presence), null);
  assert.deepEqual(groupColumns(presence, true), ['f_CommandLine', 'f_Image']);
  assert.equal(groupColumns(readsOf(pred('Foo', 'exists', [true]), 'all'), true), null, 'has(l_keys, ...) is no presence read of f_keys');
  assert.equal(groupColumns(readsOf(pred('Foo', 'eq', ['x'])), true), null, 'a value read');
});

test('a column name inside a value reads no column', () => {
  assert.deepEqual(groupColumns(readsOf(pred('Image', 'eq', ["it's f_keys \\' all_values \\"]))), ['f_Image']);
});

test('a printed Sigma rule on promoted fields is grouped, one with a field of the arrays is not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-grouped-'));
  try {
    const rule = (name: string, sel: string): string => {
      const f = join(dir, `${name}.yml`);
      writeFileSync(f, `title: ${name}\nid: 0e6b8c7a-0000-4000-8000-00000000000${name.length}\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel:\n${sel}\n  condition: sel\nlevel: high\n`);
      return f;
    };
    const a = loadRules([rule('a', "    Image|endswith: '\\\\cmd.exe'\n    CommandLine|contains: ' /c '")]).detections[0];
    const b = loadRules([rule('bb', "    Image|endswith: '\\\\cmd.exe'\n    NotAPromotedField: 'x'")]).detections[0];
    // No field has several values in this store (else the rule reads the lists too: not grouped).
    const wa = chRuleQuery(a, { listFields: new Set() });
    const wb = chRuleQuery(b, { listFields: new Set() });
    const all = chRuleQuery(a);
    assert.ok('where' in all);
    assert.equal(groupColumns(all.reads), null, 'lists read');
    assert.ok('where' in wa && 'where' in wb);
    assert.deepEqual(groupColumns(wa.reads), ['f_CommandLine', 'f_Image', 'f_NewProcessName']);
    assert.equal(groupColumns(mergeReads([wa.reads, wb.reads])), null);
    const sql = groupedBatchSql({ hits: [wa.where], where: ['1'], columns: ['f_CommandLine', 'f_Image'], select: 'r, file, seq', read: ['file', 'seq'], table: 'events_local' });
    // NULL and '' are different keys: each nullable column joins on its value and its NULL flag.
    assert.match(sql, /ifNull\(f_Image, ''\) AS k3, isNull\(f_Image\) AS n3/);
    assert.match(sql, /USING \(k0, n0, k1, n1, k2, n2, k3, n3\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
