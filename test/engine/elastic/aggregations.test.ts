/** Threshold and new_terms rules in `scan`: aggregations over a timeline of hand-made ECS NDJSON events. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../../src/engine/alert.js';
import { scan } from '../../../src/engine/scan.js';
import { tempDir } from '../../helpers/temp-dir.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');

function ruleToml(id: string, body: string): string {
  return `[metadata]\ncreation_date = "2026/01/01"\nmaturity = "production"\n\n[rule]\nauthor = ["t"]\ndescription = "t"\nname = "${id}"\nrisk_score = 21\nrule_id = "${id}"\nseverity = "low"\ntags = ["OS: Windows"]\nindex = ["logs-windows.sysmon_operational-*", "logs-system.security*"]\n${body}\n`;
}

/** A Security 4625 ECS document at T0 + `sec` seconds. */
function failedLogon(sec: number, user: string, host = 'ws1', source = '10.0.0.1'): Record<string, unknown> {
  return {
    '@timestamp': new Date(T0 + sec * 1000).toISOString(),
    event: { code: '4625', category: ['authentication'], outcome: 'failure' },
    host: { name: host, os: { type: 'windows' } },
    user: { name: user },
    source: { ip: source },
    winlog: { channel: 'Security', record_id: sec },
    data_stream: { dataset: 'system.security' },
  };
}

function processStart(sec: number, host: string, signer: string | string[]): Record<string, unknown> {
  return {
    '@timestamp': new Date(T0 + sec * 1000).toISOString(),
    event: { code: '1', category: ['process'], type: ['start'] },
    host: { name: host, os: { type: 'windows' } },
    process: { name: 'x.exe', code_signature: { subject_name: signer } },
    winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', record_id: sec },
    data_stream: { dataset: 'windows.sysmon_operational' },
  };
}

async function scanDocs(rule: string, docs: Record<string, unknown>[]): Promise<{ alerts: Alert[]; loaded: number; problems: string[] }> {
  const dir = tempDir('detectory-agg-');
  writeFileSync(join(dir, 'rule.toml'), rule);
  writeFileSync(join(dir, 'events.ndjson'), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const alerts: Alert[] = [];
  const problems: string[] = [];
  const s = await scan({ rulePaths: [join(dir, 'rule.toml')], eventPaths: [join(dir, 'events.ndjson')], onAlert: (a) => alerts.push(a), onProblem: (p) => problems.push(p) });
  return { alerts, loaded: s.rules_loaded, problems };
}

const THRESHOLD = (value: number, extra = ''): string =>
  ruleToml('th', `type = "threshold"\nlanguage = "kuery"\nfrom = "now-9m"\ninterval = "5m"\nquery = "event.code : 4625"\n[rule.threshold]\nfield = ["user.name"]\nvalue = ${value}\n${extra}`);

test('threshold: fires on the event that brings a group to the value, not one short of it', async () => {
  const docs = [0, 10, 20, 30].map((s) => failedLogon(s, 'bob'));
  const at4 = await scanDocs(THRESHOLD(4), docs);
  assert.equal(at4.loaded, 1, at4.problems.join('\n'));
  assert.equal(at4.alerts.length, 1);
  const a = at4.alerts[0];
  assert.equal(a.rule.source, 'elastic');
  assert.equal(a.rule.type, 'threshold');
  assert.equal(a.event.record_id, 30);
  assert.deepEqual(a.threshold, { group: { 'user.name': 'bob' }, count: 4, first: '2026-03-01T10:00:00.000Z', last: '2026-03-01T10:00:30.000Z' });
  assert.deepEqual((await scanDocs(THRESHOLD(5), docs)).alerts, []);
});

test('threshold: groups count apart, events outside the look-back do not count, one alert per window', async () => {
  const docs = [
    failedLogon(0, 'bob'), failedLogon(1, 'eve'), failedLogon(3, 'eve'), failedLogon(2, 'bob'),
    failedLogon(4, 'eve'), // eve reaches 3 (bob has 2)
    // bob's third comes 10 minutes after his first two (look-back 9 m): only 1 in the window.
    failedLogon(600, 'bob'),
    failedLogon(601, 'bob'), failedLogon(602, 'bob'), // bob: 3 within 9 m -> alert
    failedLogon(603, 'bob'), failedLogon(604, 'bob'), // counted anew after the alert: 2, no alert
  ];
  const r = await scanDocs(THRESHOLD(3), docs);
  assert.deepEqual(r.alerts.map((a) => [a.threshold?.group['user.name'], a.event.record_id, a.threshold?.count]), [['eve', 4, 3], ['bob', 602, 3]]);
});

test('threshold: no group field is one group; cardinality needs enough distinct values', async () => {
  const noField = ruleToml('th0', 'type = "threshold"\nlanguage = "kuery"\nquery = "event.code : 4625"\n[rule.threshold]\nfield = []\nvalue = 3');
  const r0 = await scanDocs(noField, [failedLogon(0, 'a'), failedLogon(1, 'b'), failedLogon(2, 'c')]);
  assert.deepEqual(r0.alerts.map((a) => [a.event.record_id, a.threshold?.group]), [[2, {}]]);

  const card = THRESHOLD(2, '[[rule.threshold.cardinality]]\nfield = "source.ip"\nvalue = 3');
  // bob from 2 addresses (4 events): count is enough, cardinality is not; his 3rd address fires.
  const docs = [failedLogon(0, 'bob', 'ws1', '10.0.0.1'), failedLogon(1, 'bob', 'ws1', '10.0.0.2'), failedLogon(2, 'bob', 'ws1', '10.0.0.1'), failedLogon(3, 'bob', 'ws1', '10.0.0.2')];
  assert.deepEqual((await scanDocs(card, docs)).alerts, []);
  const r = await scanDocs(card, [...docs, failedLogon(4, 'bob', 'ws1', '10.0.0.3')]);
  assert.equal(r.alerts.length, 1);
  assert.equal(r.alerts[0].event.record_id, 4);
  assert.equal(r.alerts[0].threshold?.count, 5);
  assert.equal(r.alerts[0].threshold?.cardinality, 3);
});

const NEW_TERMS = (fields: string, history = 'now-1d'): string =>
  ruleToml('nt', `type = "new_terms"\nlanguage = "kuery"\nquery = "event.category : process and event.type : start"\n[rule.new_terms]\nfield = "new_terms_fields"\nvalue = [${fields}]\n[[rule.new_terms.history_window_start]]\nfield = "history_window_start"\nvalue = "${history}"`);

test('new_terms: a new term alerts, a repeat within the history window does not, after the window it alerts again', async () => {
  const day = 86_400;
  const docs = [
    processStart(0, 'h1', 'Microsoft'),
    processStart(60, 'h1', 'Microsoft'), // seen 1 min before
    processStart(120, 'h1', 'Evil Corp'), // new
    processStart(120 + day - 10, 'h2', 'Evil Corp'), // seen < 1 d before
    processStart(120 + 2 * day, 'h1', 'Evil Corp'), // last seen > 1 d before: new again
  ];
  const r = await scanDocs(NEW_TERMS('"process.code_signature.subject_name"'), docs);
  assert.equal(r.loaded, 1, r.problems.join('\n'));
  assert.deepEqual(r.alerts.map((a) => [a.event.record_id, a.new_terms?.terms['process.code_signature.subject_name']]), [[0, 'Microsoft'], [120, 'Evil Corp'], [120 + 2 * day, 'Evil Corp']]);
  assert.equal(r.alerts[0].rule.source, 'elastic');
  assert.equal(r.alerts[0].new_terms?.history_window_start, 'now-1d');
});

test('new_terms: several fields combine, arrays expand into one term per value', async () => {
  const docs = [
    processStart(0, 'h1', 'A'),
    processStart(1, 'h2', 'A'), // (h2, A) is new
    processStart(2, 'h1', ['A', 'B']), // (h1, B) is new, (h1, A) is not
    processStart(3, 'h1', ['B', 'A']), // nothing new
  ];
  const r = await scanDocs(NEW_TERMS('"host.name", "process.code_signature.subject_name"'), docs);
  assert.deepEqual(r.alerts.map((a) => [a.event.record_id, Object.values(a.new_terms?.terms ?? {})]), [[0, ['h1', 'A']], [1, ['h2', 'A']], [2, ['h1', 'B']]]);
});

test('bad aggregation settings skip the rule with a reason', async () => {
  const r = await scanDocs(NEW_TERMS('"host.name"', '2026-01-01'), [processStart(0, 'h1', 'A')]);
  assert.equal(r.loaded, 0);
  assert.ok(r.problems.some((p) => /new-terms-settings.*history_window_start '2026-01-01'/.test(p)), r.problems.join('\n'));
});
