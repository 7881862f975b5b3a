/** The cut of a document handed from a worker to the main thread: every field of the cut reads as on the whole document. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cutDoc, docCut } from '../../../src/engine/elastic/ordered-doc.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { fieldReader } from '../../../src/engine/eql/values.js';
import { leafFields, toEcs } from '../../../src/events/ecs/index.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import { isElasticRuleFile, listRuleFiles, loadElasticRules } from '../../../src/engine/rules.js';
import { requireShared } from '../../helpers/shared.js';

test('docCut / cutDoc: each field down to its own path, arrays and fields read whole kept whole, nothing else', () => {
  const doc = {
    '@timestamp': 't',
    process: { name: 'a', parent: { name: 'b', pid: 4 }, args: ['x'] },
    winlog: { event_data: { 'A.B': '1', C: '2' }, channel: 'c' },
    dll: { name: 'd' },
    tags: ['x'],
  };
  const cut = docCut(['@timestamp', 'process.parent.name', 'winlog.event_data.C', 'tags.x', 'process.name', 'missing.field']);
  assert.deepStrictEqual(cutDoc(doc, cut), {
    '@timestamp': 't',
    // process.parent.pid and process.args are not read: left out.
    process: { parent: { name: 'b' }, name: 'a' },
    // A dotted key inside an object the cut goes through is kept (readers fall back to it).
    winlog: { event_data: { C: '2', 'A.B': '1' } },
    tags: ['x'],
  });
  assert.equal(doc.process.args.length, 1, 'the document is not changed');
  // A field read whole takes its whole part, whatever the order of the fields.
  assert.deepStrictEqual(cutDoc(doc, docCut(['process.name', 'process'])), { process: doc.process });
  assert.deepStrictEqual(cutDoc(doc, docCut(['process.parent', 'process.parent.name'])), { process: { parent: doc.process.parent } });
  // A dotted key read through the fallback: the same value on the cut.
  const read = fieldReader(['winlog', 'event_data', 'A', 'B']);
  assert.equal(read(cutDoc(doc, docCut(['winlog.event_data.A.B']))), '1');
});

test('every field the Elastic rules read has the same value on the cut of each EVTX-ATTACK-SAMPLES document', async (t) => {
  const shared = requireShared(t, 'the EVTX samples and the Elastic rules');
  if (!shared) return;
  const rules = loadElasticRules(listRuleFiles([join(shared, 'corpora', 'elastic', 'rules', 'windows')], []).filter(isElasticRuleFile), []);
  const runner = new ElasticRunner(rules, () => undefined, () => undefined);
  const fields = [...runner.neededFields!].filter((f) => f !== 'winlog.channel'); // one field left out: the cut must drop it
  const cut = docCut(fields);
  const readers = fields.map((f) => [f, fieldReader(f.split('.'))] as const);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => undefined);
  let n = 0;
  for (const f of files) {
    for await (const batch of readEventFile(f, () => undefined)) {
      for (const rec of batch) {
        const doc = toEcs(rec, runner.needs);
        const part = cutDoc(doc, cut);
        for (const [name, read] of readers) assert.deepStrictEqual(read(part), read(doc), `${rec.file} ${rec.where}: ${name}`);
        assert.ok(!leafFields(part).has('winlog.channel'), 'a field no rule reads is cut');
        n++;
      }
    }
  }
  assert.ok(n > 1000);
});
