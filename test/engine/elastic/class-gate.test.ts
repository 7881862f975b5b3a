/** The class gate: rules ruled out for a class of Windows events (channel, provider, code, task) by the fields it decides. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { classPossible, needRefuted, refutableFilters } from '../../../src/engine/elastic/class-gate.js';
import { detectionGate, eqlGate } from '../../../src/engine/elastic/required-values.js';
import type { Gate } from '../../../src/engine/elastic/required-values.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { timestampMs } from '../../../src/engine/eql/ecs-source.js';
import type { EqlExecutor } from '../../../src/engine/eql/execute.js';
import type { EqlEvent } from '../../../src/engine/eql/plan.js';
import { DECIDED_FIELDS, classOf, recordClass } from '../../../src/events/ecs/event-class.js';
import { recordIndex, toEcs } from '../../../src/events/ecs/index.js';
import type { EventQuery } from '../../../src/formats/eql/ast.js';
import { parse } from '../../../src/formats/eql/parser.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import type { Problem, Rule } from '../../../src/model/index.js';
import { listRuleFiles, loadElasticRules } from '../../../src/engine/rules.js';
import { requireShared } from '../../helpers/shared.js';

function gateOf(text: string): Gate | undefined {
  const r = parse(text);
  assert.ok(r.ok && r.value.body.type === 'event');
  return eqlGate(r.value.body as EventQuery);
}

const fields = (o: Record<string, unknown>): Map<string, unknown> => new Map(Object.entries(o));

test('class gate: a need on decided fields with no alternative met rules its filter out; unknown fields and met ones do not', () => {
  const security4663 = fields({ 'event.code': '4663', 'event.category': ['file'], 'event.type': ['access'], 'event.action': null, 'host.os.type': 'windows' });
  const possible = (q: string, f = security4663): boolean => classPossible([gateOf(q)], f);
  assert.equal(possible('process where process.name == "cmd.exe"'), false, 'category process, the class is file');
  assert.equal(possible('file where process.name == "cmd.exe"'), true, 'process.name is not decided');
  assert.equal(possible('any where event.code in ("4663", "4656")'), true);
  assert.equal(possible('any where event.code == "4688"'), false);
  assert.equal(possible('any where event.code == 4663'), true, 'a number keys as its text');
  assert.equal(possible('any where event.action != null'), false, 'no action: no value');
  assert.equal(possible('any where event.action : "*delete*"'), false, 'no action: no text');
  assert.equal(possible('any where event.type : "*acc*"'), true, 'a contains need met by the value');
  assert.equal(possible('any where event.type : ("*ACCES*", "*zzzzz*")'), true, 'a contains need met in another case');
  assert.equal(possible('any where event.type : "*change*"'), false, 'a contains need the value does not meet');
  assert.equal(possible('any where event.type regex~ ".*chang.*"'), false, 'a regex whose literal the value lacks');
  assert.equal(possible('any where not event.type : "*access*"'), true, 'a negation requires nothing');
  // An OR whose branches are indexed on other fields: each branch still fails on a decided field.
  assert.equal(possible('any where (event.category == "registry" and registry.value : "Shadow") or (event.category == "process" and process.name : "x.exe")'), false);
  assert.equal(possible('any where (event.category == "registry" and registry.value : "Shadow") or (event.category == "file" and process.name : "x.exe")'), true);
  assert.equal(possible('any where (event.category == "registry" and registry.value : "Shadow") or process.name : "x.exe"'), true, 'a branch without a decided test');
  assert.equal(possible('any where (event.category == "file" or event.code == "4663") and (event.action : "Image loaded*" or event.code == "1")'), false);
  // Text beyond ASCII is left to the index (the automaton's case classes are wider than lower-casing).
  assert.equal(classPossible([gateOf('any where event.action : "*straße*"')], fields({ 'event.action': 'STRASSE' })), true);
  assert.equal(classPossible([gateOf('any where event.action : "*zzzzz*"')], fields({ 'event.action': 'Ünknown' })), true);
  assert.equal(possible('any where event.code == "4688" or process.name == "x.exe"'), true, 'one alternative undecided');
  assert.equal(possible('any where event.code == "4688" or event.code == "4663"'), true);
  assert.equal(possible('any where host.os.type == "linux"'), false);
  // A sequence: possible when one stage is.
  assert.equal(classPossible([gateOf('process where true'), gateOf('file where true')], security4663), true);
  assert.equal(classPossible([gateOf('process where true'), gateOf('network where true')], security4663), false);
  assert.equal(classPossible(undefined, security4663), true, 'unknown filters: every class');
  assert.equal(classPossible([undefined], security4663), true, 'a filter requiring nothing');
  assert.equal(needRefuted([], security4663), false);
  // An alternative whose second need is ruled out is too.
  assert.equal(needRefuted([{ path: ['process', 'name'], keys: ['cmd.exe'], also: [{ path: ['event', 'code'], keys: ['4688'] }] }], security4663), true);
  assert.equal(needRefuted([{ path: ['process', 'name'], keys: ['cmd.exe'], also: [{ path: ['event', 'code'], keys: ['4663'] }] }], security4663), false);
});

test('class gate: refutableFilters keeps the needs on decided fields and answers as the whole gates, for every class', () => {
  const queries = [
    'process where process.name == "cmd.exe"', 'any where process.name == "cmd.exe"', 'file where event.code == "4663" and process.name : "*x*"',
    'any where event.action == "load" or process.name == "x.exe"', 'any where event.action in ("logged-in", "Process creation")',
    'any where (event.category == "registry" and registry.value : "Shadow") or (event.category == "process" and event.type == "start" and process.name : "x.exe")',
    'any where event.action : "Image loaded*" and dll.name : "x.dll"',
  ];
  const all = queries.map((q) => [gateOf(q)]);
  const kept = all.map((f) => refutableFilters(f, DECIDED_FIELDS));
  assert.deepEqual(kept.map((f) => f === undefined), [false, true, false, true, false, false, false]);
  assert.deepEqual(kept[2], [{ all: [{ need: [{ path: ['event', 'category'], keys: ['file'] }] }, { need: [{ path: ['event', 'code'], keys: ['4663'] }] }] }]);
  assert.deepEqual(kept[6], [{ need: [{ path: ['event', 'action'], keys: ['image loaded'], contains: true }] }]);
  const classes = [['Security', 'Microsoft-Windows-Security-Auditing', '4663', undefined], ['Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', '1', undefined],
    ['Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', '7', undefined], ['Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', '13', undefined],
    ['Security', 'Microsoft-Windows-Security-Auditing', '4624', undefined], ['Application', 'x', '1', 'load']] as const;
  const verdicts: boolean[] = [];
  for (const [ch, p, code, task] of classes) {
    const f = classOf(ch, p, code, task).fields;
    for (const [i, q] of queries.entries()) {
      assert.equal(classPossible(kept[i], f), classPossible(all[i], f), `${q} on ${ch} ${code}`);
      verdicts.push(classPossible(all[i], f));
    }
  }
  // Sysmon 7 (an image load) is the only class the library rule fits. Registry or process start both
  // fit the OR: Sysmon 7 is a process start too (category process and library, type change and start).
  assert.deepEqual(classes.map((_, c) => verdicts[c * queries.length + 6]), [false, false, true, false, false, false]);
  assert.deepEqual(classes.map((_, c) => verdicts[c * queries.length + 5]), [false, true, true, true, false, false]);
});

test('class gate: a KQL / Lucene tree gates as EQL does', () => {
  const detection = { kind: 'or', children: [
    { kind: 'and', children: [{ kind: 'pred', field: 'event.category', op: 'eq', values: ['registry'], flags: {} }, { kind: 'pred', field: 'registry.value', op: 'eq', values: ['Shadow'], flags: {} }] },
    { kind: 'and', children: [{ kind: 'pred', field: 'event.action', op: 'wildcard', values: ['Image loaded*'], flags: {} }, { kind: 'not', child: { kind: 'pred', field: 'event.code', op: 'eq', values: ['7'], flags: {} } }] },
  ] } as unknown as Parameters<typeof detectionGate>[0];
  const gate = detectionGate(detection);
  const sysmon = (code: string): ReadonlyMap<string, unknown> => classOf('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', code, undefined).fields;
  assert.equal(classPossible([gate], sysmon('13')), true, 'registry');
  assert.equal(classPossible([gate], sysmon('7')), true, 'image loaded (the NOT requires nothing)');
  assert.equal(classPossible([gate], sysmon('1')), false);
  assert.equal(classPossible([gate], sysmon('5')), false);
});

interface RunnableView {
  rule: Rule;
  filters?: ReadonlyArray<Gate | undefined>;
  eql?: EqlExecutor<EqlEvent>;
  test?: (doc: Record<string, unknown>) => boolean;
}

test('class gate: no Windows Elastic rule matches an EVTX-ATTACK-SAMPLES event (rendered or flattened) of a class that rules it out', async (t) => {
  const shared = requireShared(t, 'the Elastic corpus and EVTX-ATTACK-SAMPLES');
  if (!shared) return;
  const problems: Problem[] = [];
  const rules = loadElasticRules(listRuleFiles([join(shared, 'corpora', 'elastic', 'rules', 'windows')], problems), problems);
  const runner = new ElasticRunner(rules, () => undefined, () => undefined);
  const runnables = (runner as unknown as { runnables: RunnableView[] }).runnables;
  assert.ok(runnables.length > 300 && runnables.filter((r) => r.filters).length > 300);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => {});
  let met = 0;
  let ruledOut = 0;
  let seq = 0;
  const verdicts = new Map<unknown, boolean[]>();
  for (const f of files) {
    for (const flat of [false, true]) {
      for await (const batch of readEventFile(f, () => {}, undefined, false, flat)) {
        for (const rec of batch) {
          if (recordIndex(rec) === undefined) continue;
          const cls = recordClass(rec);
          let verdict = verdicts.get(cls);
          if (!verdict) verdicts.set(cls, (verdict = runnables.map((r) => classPossible(r.filters, cls.fields))));
          const doc = toEcs(rec);
          const ev = { doc, ts: timestampMs(doc), seq: seq++ };
          for (const [i, r] of runnables.entries()) {
            if (!verdict[i]) ruledOut++;
            let hit: boolean;
            try {
              hit = r.eql ? r.eql.concerns(ev) : r.test?.(doc) === true;
            } catch {
              hit = true; // a rule failing on the event must see it
            }
            if (!hit) continue;
            met++;
            assert.ok(verdict[i], `${r.rule.title} meets ${f} #${rec.recordId} (${cls.channel} ${cls.code}) but its class rules it out`);
          }
        }
      }
    }
  }
  t.diagnostic(`${met} rule-event pairs met, ${ruledOut} ruled out by the class, ${verdicts.size} classes`);
  assert.ok(met > 1000 && ruledOut > 1_000_000, `${met} met, ${ruledOut} ruled out`);
});
