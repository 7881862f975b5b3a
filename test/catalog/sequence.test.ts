/** The catalog stores an EQL sequence as stages (Sequence model): structure kept, each stage counted once. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildCatalog } from '../../src/catalog/build.js';
import { findRules } from '../../src/catalog/rule-detail.js';
import { openDb } from '../../src/store/db.js';
import { requireShared } from '../helpers/shared.js';
import { tempDir } from './fixtures.js';

test('catalog: seed 003 is stored as a sequence of two stages with keys and maxspan', async (t) => {
  const shared = requireShared(t, "seed 003's Elastic rule");
  if (!shared) return;
  const dir = tempDir();
  const elastic = join(dir, 'elastic');
  mkdirSync(elastic);
  copyFileSync(join(shared, 'corpora', 'elastic', 'rules', 'windows', 'initial_access_scripts_process_started_via_wmi.toml'), join(elastic, 'seed.toml'));
  const db = await openDb(join(dir, 'c.duckdb'));
  try {
    await buildCatalog(db, { elastic: [elastic] });
    const [r] = await findRules(db, 'b64b183e-1a76-422d-9179-7b389513e74d');
    assert.equal(r.parse_status, 'parsed');
    assert.deepEqual(r.sequence, {
      kind: 'sequence', by: ['host.id'], maxspan: '5s', until: null,
      stages: [{ category: 'any', by: [], missing: false, runs: 1 }, { category: 'process', by: [], missing: false, runs: 1 }],
    });
    // Each stage is one root of the statistics tree: its predicates sit under 0.<stage> and count once.
    const stages = new Set(r.predicates.map((p) => p.path.split('.').slice(0, 2).join('.')));
    assert.deepEqual([...stages].sort(), ['0.0', '0.1']);
    assert.equal(r.predicates.filter((p) => p.vendor_field === 'process.parent.name').length, 1);
    assert.ok(r.predicates.some((p) => p.vendor_field === 'user.domain' && p.op === 'ne' && !p.exclusion));
  } finally {
    db.close();
  }
});
