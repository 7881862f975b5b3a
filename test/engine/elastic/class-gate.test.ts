/** The class gate: rules ruled out for a class of Windows events (channel, provider, code, task) by the fields it decides. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { classPossible, needRefuted, refutableFilters } from '../../../src/engine/elastic/class-gate.js';
import { eqlNeeds } from '../../../src/engine/elastic/required-values.js';
import type { Need } from '../../../src/engine/elastic/required-values.js';
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

function needsOf(text: string): Need[] {
  const r = parse(text);
  assert.ok(r.ok && r.value.body.type === 'event');
  return eqlNeeds(r.value.body as EventQuery);
}

const fields = (o: Record<string, unknown>): Map<string, unknown> => new Map(Object.entries(o));

test('class gate: a need on decided fields with no alternative met rules its filter out; unknown fields, contains and met ones do not', () => {
  const security4663 = fields({ 'event.code': '4663', 'event.category': ['file'], 'event.type': ['access'], 'event.action': null, 'host.os.type': 'windows' });
  const possible = (q: string, f = security4663): boolean => classPossible([needsOf(q)], f);
  assert.equal(possible('process where process.name == "cmd.exe"'), false, 'category process, the class is file');
  assert.equal(possible('file where process.name == "cmd.exe"'), true, 'process.name is not decided');
  assert.equal(possible('any where event.code in ("4663", "4656")'), true);
  assert.equal(possible('any where event.code == "4688"'), false);
  assert.equal(possible('any where event.code == 4663'), true, 'a number keys as its text');
  assert.equal(possible('any where event.action != null'), false, 'no action: no value');
  assert.equal(possible('any where event.action : "*delete*"'), false, 'no action: no text');
  assert.equal(possible('any where event.type : "*acc*"'), true, 'contains needs never rule out a present value');
  assert.equal(possible('any where event.code == "4688" or process.name == "x.exe"'), true, 'one alternative undecided');
  assert.equal(possible('any where event.code == "4688" or event.code == "4663"'), true);
  assert.equal(possible('any where host.os.type == "linux"'), false);
  // A sequence: possible when one stage is.
  assert.equal(classPossible([needsOf('process where true'), needsOf('file where true')], security4663), true);
  assert.equal(classPossible([needsOf('process where true'), needsOf('network where true')], security4663), false);
  assert.equal(classPossible(undefined, security4663), true, 'unknown filters: every class');
  assert.equal(needRefuted([], security4663), false);
  // An alternative whose second need is ruled out is too.
  assert.equal(needRefuted([{ path: ['process', 'name'], keys: ['cmd.exe'], also: [{ path: ['event', 'code'], keys: ['4688'] }] }], security4663), true);
  assert.equal(needRefuted([{ path: ['process', 'name'], keys: ['cmd.exe'], also: [{ path: ['event', 'code'], keys: ['4663'] }] }], security4663), false);
});

test('class gate: refutableFilters keeps the needs on decided fields and answers as all of them, for every class', () => {
  const queries = [
    'process where process.name == "cmd.exe"', 'any where process.name == "cmd.exe"', 'file where event.code == "4663" and process.name : "*x*"',
    'any where event.action == "load" or process.name == "x.exe"', 'any where event.action in ("logged-in", "Process creation")',
  ];
  const all = queries.map((q) => [needsOf(q)]);
  const kept = all.map((f) => refutableFilters(f, DECIDED_FIELDS));
  assert.deepEqual(kept.map((f) => f?.[0].length), [1, undefined, 2, undefined, 1]);
  const classes = [['Security', 'Microsoft-Windows-Security-Auditing', '4663', undefined], ['Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', '1', undefined],
    ['Security', 'Microsoft-Windows-Security-Auditing', '4624', undefined], ['Application', 'x', '1', 'load']] as const;
  for (const [ch, p, code, task] of classes) {
    const f = classOf(ch, p, code, task).fields;
    for (const [i, q] of queries.entries()) assert.equal(classPossible(kept[i], f), classPossible(all[i], f), `${q} on ${ch} ${code}`);
  }
});

interface RunnableView {
  rule: Rule;
  filters?: Need[][];
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
