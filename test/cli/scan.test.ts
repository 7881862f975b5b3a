/** `detectory scan` end to end: outputs, summary, exit codes, and bad input of every kind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, EXAMPLES } from '../helpers/cli.js';
import { testTempDir } from '../helpers/temp-dir.js';

const events = join(EXAMPLES, 'events');

function summaryOf(stderr: string): Record<string, unknown> {
  const last = stderr.trim().split('\n').pop()!;
  return JSON.parse(last) as Record<string, unknown>;
}

test('scan of the bundled examples: alerts as JSON lines, the correlation, the filter', () => {
  const r = cli(['scan', events, '--format', 'jsonl', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rule: { title: string; type?: string }; event: Record<string, unknown>; techniques: string[]; matched: Record<string, unknown> });
  const titles = alerts.map((a) => a.rule.title);
  assert.deepEqual(titles, [
    'Certutil Used to Download a File',
    'Office Application Starts a Shell',
    'PowerShell With an Encoded Command Hiding a Download',
    'Run Key Pointing Into a Temporary Folder',
    'Service Installed With a Known Remote Execution Tool Name',
    'Password Guessing Against One Account',
  ]);
  const first = alerts[0];
  assert.equal(first.event.record_id, 1002);
  assert.equal(first.event.channel, 'Microsoft-Windows-Sysmon/Operational');
  assert.equal(first.event.event_id, 1);
  assert.equal(first.event.timestamp, '2026-11-20T08:14:02.0000001Z');
  assert.deepEqual(first.techniques, ['T1105']);
  assert.match(String(first.matched.CommandLine), /urlcache/);
  assert.deepEqual(alerts[4].matched, { EventID: '7045', keywords: ['PSEXESVC'] }, 'keyword alerts say which keywords were found');
  assert.equal(alerts[5].rule.type, 'correlation');
  const s = summaryOf(r.stderr);
  assert.equal(s.events, 15);
  assert.equal(s.rules_loaded, 6);
  assert.equal(s.correlations, 1);
  assert.equal(s.filters, 1);
  assert.equal(s.alerts, 6);
});

test('csv and table formats, --out and --min-level', (t) => {
  const dir = testTempDir(t, 'detectory-scan-');
  const csv = cli(['scan', events, '--format', 'csv', '--out', join(dir, 'a.csv'), '--min-level', 'high', '--json']);
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(csv.stdout, '');
  assert.equal(summaryOf(csv.stderr).alerts, 4);
  const table = cli(['scan', events, '--format', 'table']);
  assert.equal(table.status, 0);
  assert.match(table.stdout, /^timestamp\s+level\s+rule/);
  assert.match(table.stderr, /rules loaded\s+6/);
});

test('usage errors exit 2; --help exits 0', () => {
  assert.equal(cli(['scan', events, '--format', 'xml']).status, 2);
  assert.equal(cli(['scan', events, '--no-such-flag']).status, 2);
  assert.equal(cli(['scan']).status, 2);
  assert.equal(cli(['no-such-verb']).status, 2);
  const help = cli(['scan', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--rules/);
});

test('bad rules and bad records: one line each with file and position, the run goes on', (t) => {
  const dir = testTempDir(t, 'detectory-bad-');
  const rules = join(dir, 'rules');
  const evs = join(dir, 'events');
  mkdirSync(rules);
  mkdirSync(evs);
  const good = (name: string, det: string): void =>
    writeFileSync(join(rules, name), `title: ${name}\nlogsource: {product: windows, category: process_creation}\ndetection:\n${det}\nlevel: high\n`);
  good('good.yml', "  s:\n    CommandLine|contains: 'evil'\n  condition: s");
  good('catastrophic.yml', "  s:\n    CommandLine|re: '(a+)+$'\n  condition: s");
  good('unknown_mod.yml', "  s:\n    CommandLine|containz: 'x'\n  condition: s");
  good('bad_regex.yml', "  s:\n    CommandLine|re: '(?<=x)y'\n  condition: s");
  writeFileSync(join(rules, 'malformed.yml'), 'title: x\ndetection: [unclosed\n');
  writeFileSync(join(rules, 'garbage.yml'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x80]));
  const ev = (cl: string, rid: number): string => JSON.stringify({ Event: { System: { EventID: 1, EventRecordID: rid, Channel: 'Microsoft-Windows-Sysmon/Operational' }, EventData: { CommandLine: cl } } });
  const hostile = 'a'.repeat(50_000) + '!';
  writeFileSync(join(evs, 'mixed.jsonl'), [
    ev('run evil.exe', 1),
    '{"Event": {"System": broken',
    ev('x'.repeat(2_000_000) + ' evil', 3),
    ev(hostile, 4),
    ev('y'.repeat(17 << 20) + ' evil', 5),
    '[1, 2',
    '"just a string"',
    ev('benign', 7),
  ].join('\n') + '\n');
  writeFileSync(join(evs, 'garbage.jsonl'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  const r = cli(['scan', evs, '--rules', rules, '--format', 'jsonl', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.trim().split('\n');
  const s = summaryOf(r.stderr);
  const problems = lines.slice(0, -1);
  const has = (re: RegExp): void => assert.ok(problems.some((l) => re.test(l)), `no problem line matching ${re}:\n${problems.join('\n')}`);
  has(/unknown_mod\.yml:\d+: unknown-modifier: unknown modifier 'containz'/);
  has(/bad_regex\.yml:\d+: invalid-regex: /);
  has(/malformed\.yml:\d+:\d+: yaml: /);
  has(/garbage\.yml:\d+: binary: /);
  has(/mixed\.jsonl \(line 2\): invalid-json: /);
  has(/mixed\.jsonl \(line 5\): too-large: line longer than \d+ bytes skipped/);
  has(/mixed\.jsonl \(line 6\): invalid-json: /);
  has(/mixed\.jsonl \(line 7\): not-an-event: /);
  has(/garbage\.jsonl \(line \d+\): invalid-json: /);
  for (const l of problems) assert.ok(!l.includes('\n') && l.length < 2000, 'one short line per problem');
  // The good rule ran over the good records, the 2 MB one included (matched whole); the catastrophic
  // regex loaded and finished on a hostile value (no match: the value ends with '!').
  const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rule: { title: string }; event: { record_id: number } });
  assert.deepEqual(alerts.map((a) => `${a.rule.title}#${a.event.record_id}`), ['good.yml#1', 'good.yml#3']);
  assert.equal(s.rules_loaded, 2);
  assert.deepEqual(s.skipped_by_reason, { 'unknown-modifier': 1, 'invalid-regex': 1, yaml: 1, binary: 1 });
  assert.ok((s.event_problems as number) >= 4);
});

test('unreadable inputs exit 3 after the rest of the run', (t) => {
  const dir = testTempDir(t, 'detectory-unreadable-');
  writeFileSync(join(dir, 'not.evtx'), 'this is not an evtx file at all, just text that is long enough to have a header');
  const r = cli(['scan', join(dir, 'missing.jsonl'), join(dir, 'not.evtx'), events, '--format', 'jsonl', '--json']);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /missing\.jsonl: unreadable: no such file or folder/);
  assert.match(r.stderr, /not\.evtx.*not-evtx/);
  assert.equal(summaryOf(r.stderr).alerts, 6, 'the readable input was still scanned');
  const rules = cli(['scan', events, '--rules', join(dir, 'no-rules-here')]);
  assert.equal(rules.status, 3);
});
