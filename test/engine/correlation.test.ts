/** Sigma correlation rules and filters over a timeline of events, through the full scan pipeline. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../../src/engine/scan.js';
import type { Alert } from '../../src/engine/alert.js';
import { BASE, CHAINED } from '../helpers/correlation-rules.js';
import { tempDir, testTempDir } from '../helpers/temp-dir.js';

function logon(eid: number, second: number, user: string, ip: string, extra: Record<string, unknown> = {}): string {
  const t = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + second * 1000).toISOString();
  return JSON.stringify({ Event: { System: { EventID: eid, Channel: 'Security', Computer: 'dc1', TimeCreated: { '#attributes': { SystemTime: t } } }, EventData: { TargetUserName: user, IpAddress: ip, ...extra } } });
}

async function run(correlation: string, events: string[]): Promise<{ alerts: Alert[]; problems: string[] }> {
  const dir = tempDir('detectory-corr-');
  writeFileSync(join(dir, 'rules.yml'), BASE + '---\n' + correlation);
  writeFileSync(join(dir, 'events.jsonl'), events.join('\n') + '\n');
  const alerts: Alert[] = [];
  const problems: string[] = [];
  await scan({ rulePaths: [join(dir, 'rules.yml')], eventPaths: [join(dir, 'events.jsonl')], onAlert: (a) => alerts.push(a), onProblem: (l) => problems.push(l) });
  return { alerts, problems };
}

const corrAlerts = (alerts: Alert[]): Alert[] => alerts.filter((a) => a.rule.type === 'correlation');

test('event_count: fires per group once the count is reached within the timespan; base alerts suppressed', async () => {
  const rule = 'title: brute\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gte: 3}\n';
  const evs = [
    logon(4625, 0, 'bob', '1.1.1.1'), logon(4625, 10, 'bob', '1.1.1.1'), logon(4625, 20, 'alice', '1.1.1.1'),
    logon(4625, 30, 'bob', '1.1.1.1'), // third for bob within 60 s: fires
    logon(4625, 200, 'alice', '1.1.1.1'), logon(4625, 300, 'alice', '1.1.1.1'), // alice's are too far apart
  ];
  const { alerts } = await run(rule, evs);
  assert.equal(alerts.length, 1, 'generate: false suppresses the base rule alerts');
  assert.deepEqual(alerts[0].correlation!.group, { TargetUserName: 'bob' });
  assert.equal(alerts[0].correlation!.count, 3);
  assert.equal(alerts[0].correlation!.first, '2026-01-01T00:00:00.000Z');
  assert.equal(alerts[0].correlation!.last, '2026-01-01T00:00:30.000Z');
});

test('generate: true keeps the base rule alerts', async () => {
  const rule = 'title: brute\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gte: 2}\n  generate: true\n';
  const { alerts } = await run(rule, [logon(4625, 0, 'bob', 'x'), logon(4625, 1, 'bob', 'x')]);
  assert.equal(alerts.length, 3);
  assert.equal(corrAlerts(alerts).length, 1);
});

test('event_count with an upper bound waits for the window to close', async () => {
  const rule = 'title: few\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {lt: 2}\n';
  const { alerts } = await run(rule, [logon(4625, 0, 'bob', 'x'), logon(4625, 5, 'bob', 'x'), logon(4625, 0, 'eve', 'x')]);
  assert.deepEqual(corrAlerts(alerts).map((a) => a.correlation!.group.TargetUserName), ['eve']);
});

test('value_count counts distinct values of a field per group', async () => {
  const rule = 'title: spray\ncorrelation:\n  type: value_count\n  rules: [failed]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: {field: TargetUserName, gte: 3}\n';
  const evs = [logon(4625, 0, 'a', '9.9.9.9'), logon(4625, 1, 'a', '9.9.9.9'), logon(4625, 2, 'b', '9.9.9.9'), logon(4625, 3, 'c', '9.9.9.9'), logon(4625, 4, 'a', '8.8.8.8')];
  const c = corrAlerts((await run(rule, evs)).alerts);
  assert.equal(c.length, 1);
  assert.deepEqual(c[0].correlation!.group, { IpAddress: '9.9.9.9' });
  assert.equal(c[0].correlation!.value, 3);
});

test('value_sum and value_avg aggregate a numeric field', async () => {
  const sum = 'title: bytes\ncorrelation:\n  type: value_sum\n  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1h\n  condition: {field: Bytes, gt: 100}\n';
  const evs = [logon(4625, 0, 'a', 'x', { Bytes: 60 }), logon(4625, 10, 'a', 'x', { Bytes: 50 }), logon(4625, 20, 'b', 'x', { Bytes: 70 })];
  const s = corrAlerts((await run(sum, evs)).alerts);
  assert.equal(s.length, 1);
  assert.equal(s[0].correlation!.value, 110);
  const avg = 'title: avg\ncorrelation:\n  type: value_avg\n  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1h\n  condition: {field: Bytes, gte: 65}\n';
  const a = corrAlerts((await run(avg, evs)).alerts);
  assert.deepEqual(a.map((x) => x.correlation!.group.TargetUserName), ['b']);
});

test('value_percentile: a value rarer than the given share of the group', async () => {
  const rule = 'title: rare\ncorrelation:\n  type: value_percentile\n  rules: [failed]\n  group-by: [IpAddress]\n  timespan: 1d\n  condition: {field: TargetUserName, lte: 10}\n';
  const evs = Array.from({ length: 20 }, (_, i) => logon(4625, i, 'common', 'h'));
  evs.push(logon(4625, 30, 'rare', 'h'));
  const c = corrAlerts((await run(rule, evs)).alerts);
  assert.equal(c.length, 1);
  assert.equal(c[0].event.record_id, null);
  assert.ok(c[0].correlation!.value! <= 10);
});

test('temporal: all rules within the timespan in any order; temporal_ordered: in order', async () => {
  const any = 'title: both\ncorrelation:\n  type: temporal\n  rules: [failed, success]\n  group-by: [TargetUserName]\n  timespan: 1m\n';
  const ordered = 'title: then\ncorrelation:\n  type: temporal_ordered\n  rules: [failed, success]\n  group-by: [TargetUserName]\n  timespan: 1m\n';
  const evs = [
    logon(4624, 0, 'ann', 'x'), logon(4625, 10, 'ann', 'x'), // success then failure
    logon(4625, 100, 'ben', 'x'), logon(4624, 110, 'ben', 'x'), // failure then success
    logon(4625, 200, 'cat', 'x'), logon(4624, 400, 'cat', 'x'), // too far apart
  ];
  assert.deepEqual(corrAlerts((await run(any, evs)).alerts).map((a) => a.correlation!.group.TargetUserName).sort(), ['ann', 'ben']);
  assert.deepEqual(corrAlerts((await run(ordered, evs)).alerts).map((a) => a.correlation!.group.TargetUserName), ['ben']);
});

test('aliases map different fields of different rules onto one group-by field', async () => {
  const rule = `title: same ip
correlation:
  type: temporal_ordered
  rules: [failed, success]
  group-by: [ip]
  aliases:
    ip:
      failed: IpAddress
      success: WorkstationIp
  timespan: 1m
`;
  const evs = [logon(4625, 0, 'u1', '10.0.0.5'), logon(4624, 5, 'u2', 'other', { WorkstationIp: '10.0.0.5' })];
  const c = corrAlerts((await run(rule, evs)).alerts);
  assert.equal(c.length, 1);
  assert.deepEqual(c[0].correlation!.group, { ip: '10.0.0.5' });
});

test('chained correlations read the alerts of the correlation they name', async () => {
  const evs = [logon(4625, 0, 'dan', 'x'), logon(4625, 5, 'dan', 'x'), logon(4624, 60, 'dan', 'x'), logon(4624, 60, 'eve', 'x')];
  const titles = corrAlerts((await run(CHAINED, evs)).alerts).map((a) => a.rule.title);
  assert.deepEqual(titles.sort(), ['brute', 'brute then success']);
});

test('a correlation naming no loaded rule produces nothing; untimed matches are reported', async () => {
  const rule = 'title: x\ncorrelation:\n  type: event_count\n  rules: [nope]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gte: 1}\n';
  const noTime = JSON.stringify({ Event: { System: { EventID: 4625, Channel: 'Security' }, EventData: { TargetUserName: 'z' } } });
  const r = await run(rule + '---\ntitle: y\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gte: 1}\n', [noTime]);
  assert.equal(corrAlerts(r.alerts).length, 0);
  assert.ok(r.problems.some((p) => /without a valid timestamp/.test(p)), r.problems.join('\n'));
});

test('a Sigma filter removes matches of the rules it names, and only those', async (t) => {
  const dir = testTempDir(t, 'detectory-filter-');
  writeFileSync(join(dir, 'rules.yml'), `${BASE}---
title: Filter service accounts
logsource: {product: windows, service: security}
filter:
  rules: [failed]
  selection:
    TargetUserName|startswith: 'svc_'
  condition: selection
---
title: Filter naming nothing
logsource: {product: windows, service: security}
filter:
  rules: [does-not-exist]
  selection: {TargetUserName: x}
  condition: selection
`);
  writeFileSync(join(dir, 'e.jsonl'), [logon(4625, 0, 'svc_backup', 'x'), logon(4625, 1, 'bob', 'x'), logon(4624, 2, 'svc_backup', 'x')].join('\n'));
  const alerts: Alert[] = [];
  const problems: string[] = [];
  const s = await scan({ rulePaths: [join(dir, 'rules.yml')], eventPaths: [join(dir, 'e.jsonl')], onAlert: (a) => alerts.push(a), onProblem: (l) => problems.push(l) });
  assert.deepEqual(alerts.map((a) => `${a.rule.title}:${a.matched.EventID}`), ['failed logon:4625', 'success logon:4624']);
  assert.equal(s.filters, 2);
  assert.ok(problems.some((p) => /filter-unused/.test(p)));
});
