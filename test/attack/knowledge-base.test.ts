import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EMPTY_CATALOG, loadCatalog } from '../../src/attack/catalog-join.js';
import { historyReport } from '../../src/attack/history-report.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/attack/kb.js';
import { renderHistory, renderShow } from '../../src/attack/render.js';
import { explainMiss, resolveInKb, resolveViaOtherReleases } from '../../src/attack/resolve.js';
import { analyticsForRule, buildShow } from '../../src/attack/show.js';
import { techniqueStatus } from '../../src/attack/status.js';
import { dropCatalog, ensureCatalogSchema } from '../../src/catalog/schema.js';
import { sharedDir } from '../helpers/shared.js';
import { importedDb, rawAttackId, rawBundle, type Fixture } from './fixture.js';

const shared = sharedDir();
const RELEASES = ['17.1', '18.0', '18.1'];

describe('ATT&CK knowledge base on the three shared releases', { skip: shared ? false : 'DETECTORY_SHARED is not set: needs ../shared/attack' }, () => {
  let fx: Fixture;
  let kb: KnowledgeBase;

  before(async () => {
    fx = await importedDb(shared!, RELEASES);
    kb = await loadKnowledgeBase(fx.db);
  });
  after(() => fx?.close());

  test('imports the three releases, named from the file names, without errors', () => {
    assert.deepEqual(fx.summary.failed, []);
    assert.deepEqual(fx.summary.releases.map((r) => r.release), RELEASES);
    assert.deepEqual(fx.problems.filter((p) => p.level === 'error'), []);
    assert.equal(kb.release, '18.1');
    assert.deepEqual(kb.releases, RELEASES);
  });

  test('counts of each object type per release match the bundles', async () => {
    for (const release of RELEASES) {
      const expected: Record<string, number> = {};
      let rels = 0;
      for (const o of rawBundle(shared!, release).objects) {
        expected[o.type] = (expected[o.type] ?? 0) + 1;
        if (o.type === 'relationship') rels++;
      }
      const rows = (await fx.db.conn.runAndReadAll(
        'SELECT type, count(*) AS n FROM attack_objects WHERE release = $1 GROUP BY type', [release])).getRowObjectsJson();
      const got = Object.fromEntries(rows.map((r) => [String(r.type), Number(r.n)]));
      assert.deepEqual(got, expected, `release ${release}`);
      const r = (await fx.db.conn.runAndReadAll('SELECT count(*) AS n FROM attack_relationships WHERE release = $1', [release])).getRowObjectsJson();
      assert.equal(Number(r[0].n), rels, `relationships in ${release}`);
      const s = fx.summary.releases.find((x) => x.release === release)!;
      assert.deepEqual(s.byType, expected);
    }
  });

  test('deprecated and revoked objects are kept and marked', async () => {
    const raw = rawBundle(shared!, '18.1').objects;
    const rows = (await fx.db.conn.runAndReadAll(
      `SELECT count(*) FILTER (WHERE deprecated) AS d, count(*) FILTER (WHERE revoked) AS r FROM attack_objects WHERE release = '18.1'`)).getRowObjectsJson()[0];
    assert.equal(Number(rows.d), raw.filter((o) => o.x_mitre_deprecated === true).length);
    assert.equal(Number(rows.r), raw.filter((o) => o.revoked === true).length);
  });

  test('T1216 shows DET0466 and AN1288 with five log sources and four mutable elements', () => {
    const res = resolveInKb(kb, 'T1216')!;
    assert.equal(res.obj.name, 'System Script Proxy Execution');
    const rep = buildShow(kb, EMPTY_CATALOG, res, 'T1216');
    assert.deepEqual(rep.tactics!.map((t) => t.id), ['TA0005']);
    assert.deepEqual(rep.detection_strategies!.map((d) => d.id), ['DET0466']);
    const an = rep.detection_strategies![0].analytics.find((a) => a.id === 'AN1288')!;
    assert.ok(an, 'AN1288 under DET0466');
    assert.equal(an.log_sources.length, 5);
    const sources = an.log_sources.map((l) => `${l.name} ${l.event_ids.join(',')}`).sort();
    assert.deepEqual(sources, [
      'WinEventLog:PowerShell 4103,4104,4105,4106',
      'WinEventLog:Sysmon 1', 'WinEventLog:Sysmon 10', 'WinEventLog:Sysmon 11', 'WinEventLog:Sysmon 7',
    ].sort());
    for (const l of an.log_sources) assert.ok(l.data_component?.id.startsWith('DC'), `data component of ${l.channel}`);
    assert.deepEqual(an.log_sources.find((l) => l.channel === 'EventCode=1')!.categories, ['process_creation']);
    assert.equal(an.mutable_elements.length, 4);
    assert.deepEqual(rep.mitigations!.map((m) => m.id), ['M1038']);
    assert.equal(rep.rules!.catalog, 'not built');
    const text = renderShow(rep);
    for (const s of ['DET0466', 'AN1288', 'EventCode=4103, 4104, 4105, 4106', 'SignedToUnsignedTransition', 'catalog not built', 'Defense Evasion']) {
      assert.ok(text.includes(s), `text report mentions ${s}`);
    }
  });

  test('AN1288 history: absent in 17.1, present in 18.0 and 18.1 with modified dates and hash change', async () => {
    const raw = Object.fromEntries(['18.0', '18.1'].map((r) => [r, rawBundle(shared!, r).objects.find((o) => rawAttackId(o) === 'AN1288')!]));
    assert.equal(rawBundle(shared!, '17.1').objects.find((o) => rawAttackId(o) === 'AN1288'), undefined);
    const strip = (o: Record<string, unknown>): string => JSON.stringify(Object.entries(o).filter(([k]) => k !== 'modified').sort());
    const contentChanged = strip(raw['18.0']) !== strip(raw['18.1']);

    const h = (await historyReport(fx.db, 'AN1288', ['x-mitre-analytic']))!;
    assert.equal(h.id, 'AN1288');
    assert.deepEqual(h.releases.map((r) => [r.release, r.present]), [['17.1', false], ['18.0', true], ['18.1', true]]);
    assert.equal(h.releases[0].change, 'absent');
    assert.equal(h.releases[1].change, 'added');
    assert.equal(h.releases[1].modified, raw['18.0'].modified);
    assert.equal(h.releases[2].modified, raw['18.1'].modified);
    assert.equal(h.releases[1].version, raw['18.0'].x_mitre_version);
    assert.equal(h.releases[2].content_hash !== h.releases[1].content_hash, contentChanged);
    assert.equal(h.releases[2].change, contentChanged ? 'changed' : 'unchanged');
    const changedFields = Object.keys({ ...raw['18.0'], ...raw['18.1'] })
      .filter((k) => JSON.stringify(raw['18.0'][k]) !== JSON.stringify(raw['18.1'][k])).sort();
    assert.deepEqual([...h.releases[2].fields_changed, ...h.releases[2].fields_added, ...h.releases[2].fields_removed].sort(), changedFields);
    const text = renderHistory(h);
    assert.match(text, /17\.1\s+no/);
    assert.match(text, /18\.0\s+yes\s+active\s+2025-/);
    const revoked = (await historyReport(fx.db, 'T1156', ['attack-pattern']))!;
    assert.equal(revoked.releases[2].status, 'revoked');
  });

  test('content hashes are stable: re-importing a release gives the same hashes and history', async () => {
    const q = `SELECT content_hash FROM attack_history WHERE attack_id = 'T1216' AND type = 'attack-pattern' ORDER BY ordinal`;
    const before1 = (await fx.db.conn.runAndReadAll(q)).getRowObjectsJson();
    const { importAttack } = await import('../../src/attack/import.js');
    const s = await importAttack(fx.db, [`${shared}/attack/enterprise-attack-18.0.json.gz`]);
    assert.deepEqual(s.failed, []);
    assert.deepEqual((await fx.db.conn.runAndReadAll(q)).getRowObjectsJson(), before1);
    const n = (await fx.db.conn.runAndReadAll(`SELECT count(*) AS n FROM attack_objects WHERE release = '18.0'`)).getRowObjectsJson()[0].n;
    assert.equal(Number(n), rawBundle(shared!, '18.0').objects.length);
  });

  test('a revoked technique resolves to its replacement', () => {
    const raw = rawBundle(shared!, '18.1').objects;
    const byStix = new Map(raw.map((o) => [o.id, o]));
    const rel = raw.find((o) => o.type === 'relationship' && o.relationship_type === 'revoked-by'
      && String(o.source_ref).startsWith('attack-pattern--') && byStix.get(String(o.target_ref))?.revoked !== true)!;
    const revokedId = rawAttackId(byStix.get(String(rel.source_ref))!)!;
    const replacementId = rawAttackId(byStix.get(String(rel.target_ref))!)!;
    const res = resolveInKb(kb, revokedId)!;
    assert.equal(res.obj.attackId, replacementId);
    assert.equal(res.revokedChain[0].attackId, revokedId);
    const rep = buildShow(kb, EMPTY_CATALOG, res, revokedId);
    assert.equal(rep.resolved_from[0].id, revokedId);
    assert.match(renderShow(rep), /was revoked; showing its replacement/);
  });

  test('techniqueStatus flags revoked, deprecated and unknown ids in the newest release', async () => {
    const raw = rawBundle(shared!, '18.1').objects.filter((o) => o.type === 'attack-pattern');
    const deprecated = rawAttackId(raw.find((o) => o.x_mitre_deprecated === true && o.revoked !== true)!)!;
    const st = await techniqueStatus(fx.db, ['T1216', 't1156', deprecated, 'T9999']);
    assert.equal(st.get('T1216')!.status, 'active');
    assert.equal(st.get('T1156')!.status, 'revoked');
    assert.equal(st.get('T1156')!.replaced_by!.id, resolveInKb(kb, 'T1156')!.obj.attackId);
    assert.equal(st.get(deprecated)!.status, 'deprecated');
    assert.equal(st.get('T9999')!.status, 'unknown');
    assert.equal(st.get('T1216')!.release, '18.1');
    assert.deepEqual(st.get('T1216')!.seen_in, RELEASES);
  });

  test('attack show handles every object of the newest release, text and JSON', async () => {
    const catalog = await loadCatalog(fx.db);
    let n = 0;
    for (const o of kb.objects.values()) {
      const query = o.attackId || o.stixId;
      const res = resolveInKb(kb, o.stixId);
      assert.ok(res, `resolves ${query}`);
      const rep = buildShow(kb, catalog, res, query);
      assert.ok(renderShow(rep).length > 0);
      JSON.parse(JSON.stringify(rep));
      if (o.attackId) assert.ok(resolveInKb(kb, o.attackId), `resolves ${o.attackId}`);
      n++;
    }
    assert.equal(n, rawBundle(shared!, '18.1').objects.filter((o) => o.type !== 'relationship').length);
  });

  test('an id that does not exist, or exists only in an older release, is explained in one line', async () => {
    assert.equal(resolveInKb(kb, 'T9999'), undefined);
    const miss = await explainMiss(fx.db, kb, 'T9999');
    assert.match(miss, /^T9999 is not an ATT&CK id/);
    assert.ok(!miss.includes('\n'));
    const kb17 = await loadKnowledgeBase(fx.db, '17.1');
    assert.equal(resolveInKb(kb17, 'AN1288'), undefined);
    assert.match(await explainMiss(fx.db, kb17, 'AN1288'), /not in ATT&CK release 17\.1; it is in 18\.0, 18\.1/);
    assert.equal(await resolveViaOtherReleases(fx.db, kb17, 'AN1288'), undefined);
    // 17.1 data components carry no ATT&CK id: found through the STIX id they have in 18.x
    assert.equal(resolveInKb(kb17, 'DC0032'), undefined);
    assert.equal((await resolveViaOtherReleases(fx.db, kb17, 'DC0032'))?.obj.name, 'Process Creation');
  });

  test('joins with the catalog (src/catalog schema): rules by vendor for a technique, rules by technique and event for an analytic', async () => {
    await ensureCatalogSchema(fx.db);
    const rules: Array<[string, string, string, string, string | null, string | null, string[], string[]]> = [
      // uid, title, vendor, level, category, service, events, techniques
      ['a.yml#0', 'Pubprn proxy execution', 'sigma', 'medium', 'process_creation', null, ['process_creation'], ['T1216']],
      ['b.yml#0', 'Script proxy over network', 'sigma', 'low', 'network_connection', null, ['network_connection'], ['T1216']],
      ['c.toml#0', 'Signed script proxy', 'elastic', 'high', null, null, ['process_creation'], ['T1216']],
      ['d.yml#0', 'PubPrn sub-technique', 'splunk', 'medium', null, 'powershell', [], ['T1216.001']],
      ['e.yml#0', 'Unrelated', 'sigma', 'low', 'process_creation', null, ['process_creation'], ['T1059']],
    ];
    for (const [uid, title, vendor, level, category, service, events, techs] of rules) {
      const path = uid.split('#')[0];
      await fx.db.conn.run(`INSERT INTO rules (uid, id, title, vendor, path, status, level, product, category, service)
        VALUES ($1, $2, $3, $4, $5, 'test', $6, 'windows', $7, $8)`, [uid, `id-${uid}`, title, vendor, path, level, category, service]);
      for (const e of events) await fx.db.conn.run(`INSERT INTO rule_events (rule_uid, vendor, path, event) VALUES ($1, $2, $3, $4)`, [uid, vendor, path, e]);
      for (const t of techs) {
        await fx.db.conn.run(`INSERT INTO rule_techniques (rule_uid, rule_id, vendor, path, technique_id, parent_id, is_subtechnique)
          VALUES ($1, $2, $3, $4, $5, $6, $7)`, [uid, `id-${uid}`, vendor, path, t, t.split('.')[0], t.includes('.')]);
      }
    }
    const catalog = await loadCatalog(fx.db);
    assert.ok(catalog.built && catalog.hasEvents);
    const t = buildShow(kb, catalog, resolveInKb(kb, 'T1216')!, 'T1216');
    assert.equal(t.rules!.total, 4);
    assert.deepEqual(Object.keys(t.rules!.by_vendor).sort(), ['elastic', 'sigma', 'splunk']);
    assert.equal(t.rules!.by_vendor.splunk[0].technique, 'T1216.001');
    const a = buildShow(kb, catalog, resolveInKb(kb, 'AN1288')!, 'AN1288');
    assert.deepEqual(a.rules!.by_vendor.sigma.map((r) => r.key), ['a.yml#0']);
    assert.deepEqual(a.rules!.by_vendor.elastic.map((r) => r.key), ['c.toml#0']);
    assert.deepEqual(a.rules!.by_vendor.splunk.map((r) => [r.key, r.matched]), [['d.yml#0', 'windows/powershell']]);
    assert.match(renderShow(a), /Catalog rules \(3\)/);
    assert.ok(analyticsForRule(kb, catalog, catalog.rules.get('a.yml#0')!).some((x) => x.attackId === 'AN1288'), 'rule -> analytic');
    assert.ok(!analyticsForRule(kb, catalog, catalog.rules.get('b.yml#0')!).some((x) => x.attackId === 'AN1288'), 'network rule does not match AN1288');
    await dropCatalog(fx.db);
  });
});
