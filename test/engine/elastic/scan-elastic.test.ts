/** Elastic rules in `scan`: EQL sequences, KQL rules, index patterns, skipped rule types, runtime errors. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../../src/cli/paths.js';
import type { Alert } from '../../../src/engine/alert.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { scan } from '../../../src/engine/scan.js';
import { parseElasticText } from '../../../src/formats/elastic/load.js';
import type { Problem } from '../../../src/model/index.js';
import { requireShared } from '../../helpers/shared.js';
import { testTempDir } from '../../helpers/temp-dir.js';

const FIXTURES = join(PACKAGE_ROOT, 'test', 'engine', 'eql', 'fixtures');

async function run(rules: string[], events: string[]): Promise<{ alerts: Alert[]; problems: string[]; summary: Awaited<ReturnType<typeof scan>> }> {
  const alerts: Alert[] = [];
  const problems: string[] = [];
  const summary = await scan({ rulePaths: rules, eventPaths: events, onAlert: (a) => alerts.push(a), onProblem: (l) => problems.push(l) });
  return { alerts, problems, summary };
}

function ruleToml(id: string, extra: string): string {
  return `[metadata]\ncreation_date = "2026/01/01"\nmaturity = "production"\n\n[rule]\nauthor = ["t"]\ndescription = "t"\nname = "${id}"\nrisk_score = 21\nrule_id = "${id}"\nseverity = "low"\ntags = ["OS: Windows"]\n${extra}\n`;
}

test('scan: seed 003 (Elastic EQL sequence) fires on the built Sysmon events, with every event of the sequence', async (t) => {
  const shared = requireShared(t, "seed 003's Elastic rule");
  if (!shared) return;
  const rule = join(shared, 'corpora', 'elastic', 'rules', 'windows', 'initial_access_scripts_process_started_via_wmi.toml');
  const pos = await run([rule], [join(FIXTURES, 'scan-seed003-positive.jsonl')]);
  assert.equal(pos.summary.rules_loaded, 1);
  assert.equal(pos.alerts.length, 1);
  const a = pos.alerts[0];
  assert.equal(a.rule.source, 'elastic');
  assert.deepEqual(a.events?.map((e) => [e.record_id, e.event_id]), [[10, 7], [11, 1]]);
  assert.equal(a.matched['process.parent.name'], 'WmiPrvSE.exe');
  // Gap of 5.2 s, another host, NT AUTHORITY: no alert.
  const neg = await run([rule], [join(FIXTURES, 'scan-seed003-negative.jsonl')]);
  assert.equal(neg.summary.events, 6);
  assert.deepEqual(neg.alerts, []);
});

test('scan: KQL rules run next to Sigma rules; index patterns decide which events a rule sees', async (t) => {
  const dir = testTempDir(t, 'detectory-elastic-');
  const kql = (id: string, index: string): string => ruleToml(id, `type = "query"\nlanguage = "kuery"\nindex = [${index}]\nquery = '''\nprocess.parent.name : "WmiPrvSE.exe" and process.name : "powershell.exe"\n'''`);
  writeFileSync(join(dir, 'sysmon.toml'), kql('kql-sysmon', '"logs-windows.sysmon_operational-*", "winlogbeat-*"'));
  writeFileSync(join(dir, 'endpoint.toml'), kql('kql-endpoint', '"logs-endpoint.events.process-*"'));
  writeFileSync(join(dir, 'esql.toml'), ruleToml('esql-rule', 'type = "esql"\nlanguage = "esql"\nquery = "from logs-* | stats c = count(*) by host.name"'));
  writeFileSync(join(dir, 'threshold.toml'), ruleToml('th-rule', 'type = "threshold"\nlanguage = "kuery"\nquery = "event.code : 4625"\n[rule.threshold]\nfield = ["user.name"]\nvalue = 5'));
  writeFileSync(join(dir, 'bad.toml'), ruleToml('bad-eql', 'type = "eql"\nlanguage = "eql"\nquery = "process where nosuch(process.name)"'));
  writeFileSync(join(dir, 'sigma.yml'), 'title: WMI child\nid: 6a1e9b47-0000-4000-8000-000000000001\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    ParentImage|endswith: \\WmiPrvSE.exe\n  condition: sel\nlevel: high\n');
  const r = await run([dir], [join(FIXTURES, 'scan-seed003-positive.jsonl')]);
  assert.deepEqual(r.alerts.map((a) => [a.rule.id, a.rule.source, a.event.record_id]), [['kql-sysmon', 'elastic', 11], ['6a1e9b47-0000-4000-8000-000000000001', 'sigma', 11]]);
  assert.equal(r.summary.rules_loaded, 4);
  assert.deepEqual(r.summary.skipped_by_reason, { 'elastic: esql': 1, 'elastic: eql-unsupported': 1 });
  assert.ok(r.problems.some((p) => /bad\.toml: eql-unsupported: query 1:15: unknown function nosuch/.test(p)), r.problems.join('\n'));
});

test('a rule failing at run time is reported once and stops; the other rules go on', () => {
  const parse = (id: string, query: string) => parseElasticText(ruleToml(id, `type = "query"\nlanguage = "kuery"\nquery = '''\n${query}\n'''`), `${id}.toml`).rules[0];
  const alerts: Alert[] = [];
  const problems: Problem[] = [];
  const runner = new ElasticRunner([parse('reads-process', 'process.name : "x.exe"'), parse('reads-user', 'user.name : "bob"')], (a) => alerts.push(a), (p) => problems.push(p));
  assert.equal(runner.size, 2);
  const hostile = { '@timestamp': '2026-01-01T00:00:00Z', user: { name: 'bob' } } as Record<string, unknown>;
  Object.defineProperty(hostile, 'process', { enumerable: true, get: () => { throw new Error('boom'); } });
  for (let i = 0; i < 3; i++) runner.push({ file: 'f.ndjson', event: {}, ecs: hostile } as never);
  runner.finish();
  assert.deepEqual(alerts.map((a) => a.rule.id), ['reads-user', 'reads-user', 'reads-user']);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /rule "reads-process" stopped: boom/);
});
