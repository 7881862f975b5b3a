/**
 * A held event's document is cut to the fields of the stateful rules it meets (not of every
 * stateful rule): on every EVTX-ATTACK-SAMPLES event with the Elastic Windows rules, the stateful
 * rules give the same alerts on the cut documents as on the whole ones, and the cuts are smaller
 * than the cut to every stateful rule's fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import type { Alert } from '../../../src/engine/alert.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { cutDoc, docCut } from '../../../src/engine/elastic/ordered-doc.js';
import { FieldSet } from '../../../src/engine/elastic/needed-fields.js';
import { isElasticRuleFile, listRuleFiles, loadElasticRules } from '../../../src/engine/rules.js';
import { requireShared } from '../../helpers/shared.js';

/** Leaves and objects of a document (its size, as a clone sees it). */
function nodes(v: unknown): number {
  if (v === null || typeof v !== 'object') return 1;
  return 1 + Object.values(v as Record<string, unknown>).reduce<number>((n, x) => n + nodes(x), 0);
}

test('stateful rules alert the same on per-rule cuts as on whole documents, with smaller cuts', async (t) => {
  const shared = requireShared(t, 'the EVTX samples and the Elastic rules');
  if (!shared) return;
  const rules = loadElasticRules(listRuleFiles([join(shared, 'corpora', 'elastic', 'rules', 'windows')], []).filter(isElasticRuleFile), []);
  const cutAlerts: Alert[] = [];
  const wholeAlerts: Alert[] = [];
  const cut = new ElasticRunner(rules, (a) => cutAlerts.push(a), () => undefined, undefined, { cutOrdered: true });
  const whole = new ElasticRunner(rules, (a) => wholeAlerts.push(a), () => undefined);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => undefined);
  let held = 0;
  let cutNodes = 0;
  let unionNodes = 0;
  const statefulFields = (cut as unknown as { statefulFields: FieldSet }).statefulFields;
  assert.equal(statefulFields.all, false);
  const union = docCut(statefulFields.fields);
  for (const f of files) {
    for await (const batch of readEventFile(f, () => undefined, undefined, false, true)) {
      for (const rec of batch) {
        const c = cut.local(rec, () => undefined, true);
        const w = whole.local(rec, () => undefined, false);
        assert.equal(!!c, !!w, `${rec.file} ${rec.where}`);
        if (!c || !w) continue;
        assert.deepEqual(c.rules, w.rules);
        held++;
        cutNodes += nodes(c.doc);
        unionNodes += nodes(cutDoc(w.doc, union));
        cut.ordered(c);
        whole.ordered(w);
      }
    }
  }
  cut.finish();
  whole.finish();
  assert.ok(held > 1000, `events held: ${held}`);
  assert.ok(wholeAlerts.length > 0, 'the stateful rules alert on the samples');
  assert.deepEqual(cutAlerts, wholeAlerts);
  assert.ok(cutNodes < unionNodes * 0.8, `per-rule cuts ${cutNodes} nodes, every stateful rule's cut ${unionNodes}`);
});
