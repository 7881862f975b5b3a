/**
 * The runner tells a Windows event's index from its channel (recordIndex) before building its
 * document: on every EVTX-ATTACK-SAMPLES event, with the document the runner builds (its needs),
 * that is the index docIndex reads from the document, and its host.os.type is windows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { recordIndex, toEcs } from '../../../src/events/ecs/index.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { docIndex, hostOs } from '../../../src/engine/elastic/index-patterns.js';
import { isElasticRuleFile, listRuleFiles, loadElasticRules } from '../../../src/engine/rules.js';
import { requireShared } from '../../helpers/shared.js';

test('recordIndex is the index of the document the runner builds, for every EVTX-ATTACK-SAMPLES event', async (t) => {
  const shared = requireShared(t, 'the EVTX samples and the Elastic rules');
  if (!shared) return;
  const rules = loadElasticRules(listRuleFiles([join(shared, 'corpora', 'elastic', 'rules', 'windows')], []).filter(isElasticRuleFile), []);
  const runner = new ElasticRunner(rules, () => undefined, () => undefined);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => undefined);
  let n = 0;
  for (const f of files) {
    for await (const batch of readEventFile(f, () => undefined, undefined, false, true)) {
      for (const rec of batch) {
        const doc = toEcs(rec, runner.needs);
        const index = recordIndex(rec);
        assert.ok(index !== undefined, `${rec.file} ${rec.where}: a Windows event has an index`);
        assert.equal(index, docIndex(doc), `${rec.file} ${rec.where}`);
        assert.equal(hostOs(doc), 'windows');
        n++;
      }
    }
  }
  assert.ok(n > 1000, `events read: ${n}`);
});
