/**
 * Partial ECS documents (toEcs with needs): on every event of EVTX-ATTACK-SAMPLES, each field the
 * needs want has exactly the value of the full document, for the needs of all Windows Elastic rules
 * and for small field sets (where almost every part of the mapping is left out).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ecsIndexOf, ecsNeeds, getPath, leafFields, recordIndex, toEcs } from '../../../src/events/ecs/index.js';
import type { EcsNeeds } from '../../../src/events/ecs/index.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { isElasticRuleFile, listRuleFiles, loadElasticRules } from '../../../src/engine/rules.js';
import { requireShared } from '../../helpers/shared.js';
import { sysmon } from './make-event.js';

test('ecsNeeds: wanted paths, groups and base fields follow the field set', () => {
  const n = ecsNeeds(['process.args', 'winlog.keywords', 'registry']);
  assert.equal(n.wants('process.args'), true);
  assert.equal(n.wants('process'), true, 'an object holding a wanted field');
  assert.equal(n.wants('registry.data.strings'), true, 'a field inside a wanted object');
  assert.equal(n.wants('process.argsx'), false);
  assert.equal(n.wants('file.path'), true, 'read back by the mapping: always built');
  assert.equal(n.args, true);
  assert.equal(n.registryData, true);
  assert.equal(n.hashes, false);
  assert.equal(n.related, false);
  assert.equal(n.base['winlog.keywords'], true);
  assert.equal(n.base['winlog.opcode'], false);
  assert.equal(ecsNeeds(undefined).base['winlog.opcode'], true);
});

test('a document built for some hashes has those (the values of the full one) and leaves the others out', () => {
  const rec = sysmon(1, { Image: 'C:\\w\\a.exe', CommandLine: 'a.exe x', ProcessGuid: '{1}', Hashes: 'SHA1=AA,MD5=BB,SHA256=CC,IMPHASH=DD' });
  const full = toEcs(rec);
  const part = toEcs(rec, ecsNeeds(['process.hash.sha256', 'process.pe.imphash']));
  assert.equal(getPath(full, 'process.hash.sha256'), 'cc');
  assert.equal(getPath(part, 'process.hash.sha256'), 'cc');
  assert.equal(getPath(part, 'process.pe.imphash'), 'dd');
  assert.equal(getPath(full, 'process.hash.md5'), 'bb');
  assert.equal(getPath(part, 'process.hash.md5'), undefined, 'a hash no field read is left out');
  assert.equal(getPath(part, 'process.hash.sha1'), undefined);
  const related = toEcs(rec, ecsNeeds(['related.hash']));
  assert.deepEqual(getPath(related, 'related.hash'), getPath(full, 'related.hash'), 'related.hash: every hash');
  // Parsed hashes are remembered per needs: the same text again, partial first, gives each its own.
  const again = sysmon(7, { Image: 'C:\\w\\b.exe', ImageLoaded: 'C:\\w\\x.dll', Hashes: 'SHA1=A1,MD5=B1,SHA256=C1,IMPHASH=D1' });
  const needs = ecsNeeds(['file.hash.sha256', 'dll.hash.sha256']);
  for (let i = 0; i < 2; i++) {
    const p = toEcs(again, needs);
    const f = toEcs(again);
    assert.equal(getPath(p, 'dll.hash.sha256'), 'c1');
    assert.equal(getPath(p, 'dll.hash.md5'), undefined);
    assert.deepEqual(getPath(f, 'dll.hash'), { sha1: 'a1', md5: 'b1', sha256: 'c1' });
    assert.equal(getPath(f, 'dll.pe.imphash'), 'd1');
  }
});

function sameOnWanted(full: Record<string, unknown>, part: Record<string, unknown>, fields: Iterable<string>, needs: EcsNeeds, where: string): void {
  for (const f of fields) assert.deepStrictEqual(getPath(part, f), getPath(full, f), `${where}: ${f}`);
  // Every field the partial document has that the needs want, too (read-back parts included).
  for (const f of leafFields(part)) if (needs.wants(f)) assert.deepStrictEqual(getPath(part, f), getPath(full, f), `${where}: ${f}`);
}

test('partial documents equal the full one on every wanted field (EVTX-ATTACK-SAMPLES)', async (t) => {
  const shared = requireShared(t, 'the EVTX samples and the Elastic rules');
  if (!shared) return;
  const rules = loadElasticRules(listRuleFiles([join(shared, 'corpora', 'elastic', 'rules', 'windows')], []).filter(isElasticRuleFile), []);
  const runner = new ElasticRunner(rules, () => undefined, () => undefined);
  const ruleFields = runner.neededFields;
  assert.ok(ruleFields && ruleFields.size > 50, 'the Windows Elastic rules read a known set of fields');
  const sets: Array<[string, ReadonlySet<string>]> = [
    ['Elastic Windows rules', ruleFields],
    ['process.name only', new Set(['process.name'])],
    ['hashes and related', new Set(['related.user', 'related.ip', 'related.hash', 'file.hash.sha256', 'dns.answers'])],
    ['some hashes', new Set(['process.hash.sha256', 'dll.pe.imphash', 'file.hash.md5'])],
  ];
  const needs = sets.map(([name, fields]): [string, ReadonlySet<string>, EcsNeeds] => [name, fields, ecsNeeds(fields)]);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => undefined);
  let n = 0;
  let flat = 0;
  let smaller = 0;
  for (const f of files) {
    for await (const batch of readEventFile(f, () => undefined, undefined, false, true)) {
      for (const rec of batch) {
        n++;
        if (rec.flat) {
          flat++;
          // The index told from the flattened record, before the event is rendered.
          const index = recordIndex(rec);
          assert.equal((rec as unknown as { rendered?: unknown }).rendered, undefined, `${rec.file} ${rec.where}: recordIndex rendered the event`);
          assert.equal(index, ecsIndexOf(toEcs(rec)), `${rec.file} ${rec.where}`);
        }
        const full = toEcs(rec);
        for (const [name, fields, need] of needs) {
          const part = toEcs(rec, need);
          sameOnWanted(full, part, fields, need, `${name}, ${rec.file} ${rec.where}`);
          if (leafFields(part).size < leafFields(full).size) smaller++;
        }
      }
    }
  }
  assert.ok(n > 1000, `events read: ${n}`);
  assert.ok(flat > n / 2, `flattened records: ${flat} of ${n}`);
  assert.ok(smaller > n, 'partial documents leave fields out');
});
