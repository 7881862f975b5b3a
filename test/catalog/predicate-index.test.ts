import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ShowReport } from '../../src/attack/show.js';
import { analystView } from '../../src/catalog/analyst-view.js';
import { computeGuide } from '../../src/catalog/guide.js';
import { PredicateIndex } from '../../src/catalog/predicate-index.js';
import { loadReachIndex } from '../../src/catalog/reach-index.js';
import { similarRules } from '../../src/catalog/similar-rules.js';
import { techniqueRules } from '../../src/catalog/technique-rules.js';
import { rows } from '../../src/catalog/query.js';
import { loadCatalog } from '../../src/attack/catalog-join.js';
import { loadKnowledgeBase } from '../../src/attack/kb.js';
import { techniqueInfo, techniqueInfoFromKb } from '../../src/catalog/technique-info.js';
import { openDb } from '../../src/store/db.js';
import { fullCatalog } from '../helpers/full-catalog.js';
import { requireShared } from '../helpers/shared.js';

const TECHNIQUES = ['T1216', 'T1059.001', 'T1059', 'T1218', 'T1003', 'T1547.001', 'T1110'];

test('the in-memory predicate index gives the same guide, rule lists, analyst fields and similar rules as SQL', async (t) => {
  const shared = requireShared(t, 'the predicate index comparison over the full catalog');
  if (!shared) return;
  const db = await openDb(await fullCatalog(shared), { readOnly: true });
  try {
    const index = await PredicateIndex.load(db);
    const reach = await loadReachIndex(db);
    assert.equal(index.reach.size, reach.size);
    for (const id of TECHNIQUES) {
      const sql = await computeGuide(db, id);
      const mem = await computeGuide(db, id, { index });
      assert.ok(sql && sql.indicators.length > 0 && sql.exclusions.length > 0, id);
      assert.deepEqual(mem, sql, id);
      assert.equal(JSON.stringify(mem), JSON.stringify(sql), `${id}: same key order`);

      const trSql = await techniqueRules(db, id);
      const trMem = await techniqueRules(db, id, index);
      assert.deepEqual(trMem?.rules, trSql?.rules, id);
      assert.deepEqual(new Map([...trMem!.byIndicator].sort()), new Map([...trSql!.byIndicator].sort()), id);

      // the analyst view's field counts over this technique's rules (the report needs only rules.by_vendor)
      const uids = trSql!.rules.map((r) => r.uid);
      const rep = { rules: { by_vendor: { all: uids.map((key) => ({ key })) } } } as unknown as ShowReport;
      const cat = await loadCatalog(db);
      assert.deepEqual(await analystView(db, rep, cat, new Map(), index), await analystView(db, rep, cat, new Map()), id);
    }
    // similar rules of a sample of rules of every vendor
    const sample = await rows(db, `SELECT uid FROM rules WHERE predicates > 0 USING SAMPLE 40 ROWS (reservoir, 7)`);
    sample.push({ uid: index.techniqueRules('T1216')[0].rule.uid });
    let withSimilar = 0;
    for (const r of sample) {
      const uid = String(r.uid);
      const sql = await similarRules(db, uid, 10);
      const mem = await similarRules(db, uid, 10, index);
      // ties on (shared, score, vendor, title) have no order in SQL: compare as ranked groups
      const key = (s: { shared: number; score: number; vendor: string; title: string }): string => `${s.shared}|${s.score.toFixed(9)}|${s.vendor}|${s.title}`;
      assert.deepEqual(mem.map(key), sql.map(key), uid);
      const byUid = new Map(sql.map((s) => [s.uid, s]));
      for (const m of mem) if (byUid.has(m.uid)) assert.deepEqual(m, { ...byUid.get(m.uid)!, score: m.score }, uid);
      if (sql.length > 0) withSimilar++;
    }
    assert.ok(withSimilar > 5, `rules with similar rules in the sample: ${withSimilar}`);
  } finally {
    db.close();
  }
});

test('a technique\'s name and tactics from the in-memory ATT&CK release equal the SQL answer, for every technique id of every release', async (t) => {
  const shared = requireShared(t, 'the technique info comparison over the full catalog');
  if (!shared) return;
  const db = await openDb(await fullCatalog(shared), { readOnly: true });
  try {
    const kb = await loadKnowledgeBase(db);
    const ids = (await rows(db, `SELECT DISTINCT attack_id FROM attack_objects WHERE type = 'attack-pattern' ORDER BY 1`)).map((r) => String(r.attack_id));
    assert.ok(ids.length > 600, `${ids.length} technique ids`);
    let fromKb = 0;
    for (const id of ids) {
      const mem = techniqueInfoFromKb(kb, id);
      if (mem === undefined) {
        assert.equal(kb.byId(id).length, 0, `${id}: in the newest release, yet no answer from it`);
        continue;
      }
      fromKb++;
      assert.deepEqual(mem, await techniqueInfo(db, id), id);
    }
    assert.ok(fromKb > 600, `${fromKb} answered from memory`);
    // a guide with the release in memory is the guide without it
    const index = await PredicateIndex.load(db);
    assert.deepEqual(await computeGuide(db, 'T1059.001', { index, kb }), await computeGuide(db, 'T1059.001', { index }));
  } finally {
    db.close();
  }
});
