/** Dispatch of events to Elastic rules by required values: the needs read from filters, the index, and equal alerts with and without it. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../../src/engine/alert.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { eqlNeeds, literalKey, pickNeed, valueKeys } from '../../../src/engine/elastic/required-values.js';
import { RuleIndex } from '../../../src/engine/elastic/rule-index.js';
import { listRuleFiles, loadElasticRules } from '../../../src/engine/rules.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import type { EventQuery } from '../../../src/formats/eql/ast.js';
import { parse } from '../../../src/formats/eql/parser.js';
import type { Problem } from '../../../src/model/index.js';
import { requireShared } from '../../helpers/shared.js';

function eventQuery(text: string): EventQuery {
  const r = parse(text);
  assert.ok(r.ok && r.value.body.type === 'event');
  return r.value.body as EventQuery;
}

const show = (q: string): string[] => (pickNeed(eqlNeeds(eventQuery(q))) ?? []).map((r) => `${r.path.join('.')}=${r.keys.join(',')}`);

test('required values: conjuncts of ==, in and plain :, an OR whose every branch has one; wildcards, negations and CIDR are not equalities', () => {
  assert.deepEqual(show('process where host.os.type == "windows" and process.name : ("A.exe", "b.exe")'), ['process.name=a.exe,b.exe']);
  assert.deepEqual(show('process where process.name : "a*.exe" and event.code == "1"'), ['event.code=1']);
  assert.deepEqual(show('process where process.name : "a*.exe"'), ['event.category=process']);
  assert.deepEqual(show('any where process.name : "a*.exe"'), []);
  assert.deepEqual(show('any where not process.name : "a.exe"'), []);
  assert.deepEqual(show('any where process.name != "a.exe"'), []);
  assert.deepEqual(show('any where source.ip : "10.0.0.0/8"'), []);
  assert.deepEqual(show('any where process.name in ("a.exe") or ?process.pe.original_file_name == "A.EXE"'), ['process.name=a.exe', 'process.pe.original_file_name=a.exe']);
  assert.deepEqual(show('any where process.name in ("a.exe") or process.args : "*x*"'), []);
  // A non-canonical numeric string equals a number by value ("04688" == 4688): not keyed.
  assert.equal(literalKey('04688'), undefined);
  assert.equal(literalKey('4688'), '4688');
  assert.equal(literalKey(4688), '4688');
});

test('rule index: an event meets the rules filed under its values and the unindexed ones, in rule order', () => {
  const idx = new RuleIndex();
  idx.add(0, [{ path: ['event', 'code'], keys: ['4688'] }]);
  idx.add(1, undefined);
  idx.add(2, [{ path: ['process', 'name'], keys: ['cmd.exe'] }, { path: ['event', 'code'], keys: ['4688'] }]);
  idx.add(3, [{ path: ['process', 'name'], keys: ['x.exe'] }]);
  assert.deepEqual([...idx.candidates({ event: { code: '4688' }, process: { name: 'CMD.EXE' } })], [0, 1, 2]);
  assert.deepEqual([...idx.candidates({ event: { code: 4688 } })], [0, 1, 2]);
  assert.deepEqual([...idx.candidates({ 'event.code': '04688' })], [0, 1, 2]);
  assert.deepEqual([...idx.candidates({ process: { name: ['y.exe', 'X.exe'] } })], [1, 3]);
  assert.deepEqual([...idx.candidates({})], [1]);
  const keys: string[] = [];
  valueKeys('a'.repeat(100), keys, 10);
  assert.deepEqual(keys, []);
});

test('rule index: all Windows Elastic rules over EVTX-ATTACK-SAMPLES give the same alerts with and without the index', async (t) => {
  const shared = requireShared(t, 'the Elastic corpus and EVTX-ATTACK-SAMPLES');
  if (!shared) return;
  const problems: Problem[] = [];
  const rules = loadElasticRules(listRuleFiles([join(shared, 'corpora', 'elastic', 'rules', 'windows')], problems), problems);
  const seen = (index: boolean): { runner: ElasticRunner; alerts: string[] } => {
    const alerts: string[] = [];
    const runner = new ElasticRunner(rules, (a: Alert) => alerts.push(`${a.rule.id} ${(a.events ?? [a.event]).map((e) => `${e.file}#${e.record_id}`).join(' ')}`), (p) => alerts.push(`problem ${p.message}`), undefined, { index });
    return { runner, alerts };
  };
  const fast = seen(true);
  const full = seen(false);
  assert.ok(fast.runner.size > 300, `rules run: ${fast.runner.size}`);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => {});
  for (const f of files) {
    for await (const batch of readEventFile(f, () => {})) {
      for (const rec of batch) {
        fast.runner.push(rec);
        full.runner.push(rec);
      }
    }
  }
  fast.runner.finish();
  full.runner.finish();
  assert.ok(full.alerts.length > 100, `alerts without the index: ${full.alerts.length}`);
  assert.deepEqual(fast.alerts, full.alerts);
});
