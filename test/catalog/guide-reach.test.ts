import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeGuide } from '../../src/catalog/guide.js';
import { loadReachIndex } from '../../src/catalog/reach-index.js';
import { openDb } from '../../src/store/db.js';
import { fullCatalog } from '../helpers/full-catalog.js';
import { requireShared } from '../helpers/shared.js';

test('the guide with a preloaded corpus-reach index equals the guide computed in SQL', async (t) => {
  const shared = requireShared(t, 'the reach index comparison over the full catalog');
  if (!shared) return;
  const db = await openDb(await fullCatalog(shared), { readOnly: true });
  try {
    const reach = await loadReachIndex(db);
    assert.ok(reach.size > 10_000);
    for (const id of ['T1216', 'T1059.001', 'T1218', 'T1003']) {
      const sql = await computeGuide(db, id);
      const mem = await computeGuide(db, id, { reach });
      assert.ok(sql && sql.indicators.length > 0, id);
      assert.deepEqual(mem, sql, id);
    }
  } finally {
    db.close();
  }
});
