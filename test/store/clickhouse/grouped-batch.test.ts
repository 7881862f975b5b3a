/** Which batches run once per distinct value combination on ClickHouse (store/clickhouse/grouped-batch.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupColumns, groupedBatchSql } from '../../../src/store/clickhouse/grouped-batch.js';
import { chRuleQuery } from '../../../src/backends/clickhouse/rule-query.js';
import { chString } from '../../../src/backends/clickhouse/literal.js';
import { loadRules } from '../../../src/engine/rules.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('promoted columns are grouped; the arrays, lists, all_values or event columns are not', () => {
  assert.deepEqual(groupColumns([`channel_lc = 'x' AND eid IN (1) AND lowerUTF8(f_Image) IN ('a')`, `position(lowerUTF8(f_CommandLine), 'b') > 0`]), ['f_CommandLine', 'f_Image']);
  assert.deepEqual(groupColumns(['eid IN (4688)']), []);
  for (const c of ['has(f_keys, \'Foo\')', "f_values[indexOf(f_keys, 'Foo')] = 'x'", "has(l_keys, 'x')", "position(all_values, 'x') > 0", "computer = 'x'", "host = 'h'"]) {
    assert.equal(groupColumns([`f_Image = 'a'`, c]), null, c);
  }
});

test('a column name inside a string literal (escaped quotes and backslashes too) reads no column', () => {
  const tricky = chString("it's f_keys \\' all_values \\");
  assert.deepEqual(groupColumns([`f_Image = ${tricky}`]), ['f_Image']);
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
    assert.equal(groupColumns([all.where]), null, 'lists read');
    assert.ok('where' in wa && 'where' in wb);
    assert.deepEqual(groupColumns([wa.where]), ['f_CommandLine', 'f_Image', 'f_NewProcessName']);
    assert.equal(groupColumns([wa.where, wb.where]), null);
    const sql = groupedBatchSql({ hits: [wa.where], where: ['1'], columns: ['f_CommandLine', 'f_Image'], select: 'r, file, seq', read: ['file', 'seq'], table: 'events_local' });
    // NULL and '' are different keys: each nullable column joins on its value and its NULL flag.
    assert.match(sql, /ifNull\(f_Image, ''\) AS k3, isNull\(f_Image\) AS n3/);
    assert.match(sql, /USING \(k0, n0, k1, n1, k2, n2, k3, n3\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
