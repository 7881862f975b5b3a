import assert from 'node:assert/strict';
import { test } from 'node:test';
import { search } from '../../src/catalog/search.js';
import { SearchIndex } from '../../src/catalog/search-index.js';
import { openDb } from '../../src/store/db.js';
import { fullCatalog } from '../helpers/full-catalog.js';
import { requireShared } from '../helpers/shared.js';

// ids, names, titles, fields, indicator values, descriptions; hits in every section; one with no hit
const QUERIES = ['pubprn.vbs', 'T1059.001', 'AN1288', 'commandline', 'powershell', 'Mimikatz', 'rundll32', 'lsass', 'certutil', 'APT29',
  'Image', '\\windows\\temp\\', 'zz-no-such-thing-zz', '%_'];

test('the in-memory search gives the same answer as the SQL search', async (t) => {
  const shared = requireShared(t, 'the search comparison over the full catalog');
  if (!shared) return;
  const db = await openDb(await fullCatalog(shared), { readOnly: true });
  try {
    const index = await SearchIndex.load(db);
    let nonEmpty = 0;
    for (const q of QUERIES) {
      const sql = await search(db, q);
      const mem = index.search(q);
      assert.deepEqual(mem, sql, q);
      assert.equal(JSON.stringify(mem), JSON.stringify(sql), `${q}: same key order`);
      if (sql.rules.length > 0 && sql.attack.length > 0) nonEmpty++;
    }
    const pub = index.search('pubprn.vbs');
    assert.ok(pub.rules.length > 0 && pub.indicators.length > 0 && pub.attack.some((a) => a.id === 'T1216'));
    assert.ok(nonEmpty >= 5, `queries with rules and ATT&CK hits: ${nonEmpty}`);
    assert.deepEqual(index.search('  '), await search(db, '  '));
  } finally {
    db.close();
  }
});
