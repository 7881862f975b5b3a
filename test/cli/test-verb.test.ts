/** `detectory test` through the real CLI: exit codes, table, --json lines, --junit file, usage errors. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';
import { childrenNamed, parseXml } from '../helpers/xml.js';
import { findServer } from '../../src/cluster/server-binary.js';
import { NO_SERVER } from '../helpers/clickhouse.js';

const root = mkdtempSync(join(tmpdir(), 'detectory-test-verb-'));
after(() => rmSync(root, { recursive: true, force: true }));

const RULE = `title: Whoami Run
id: 3c2e5f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f
status: test
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
level: low
`;
/** A --json line: a case, or the summary at the end. */
interface Line {
  result: string;
  case: { name: string };
  engines: Record<string, { status: string }>;
  summary: { passed: number; failed: number; not_selected: number };
}

const EVENT = (image: string) => `{EventID: 1, Channel: Microsoft-Windows-Sysmon/Operational, Image: '${image}'}`;

function rules(name: string, tests: string): string {
  const d = join(root, name);
  mkdirSync(d);
  writeFileSync(join(d, 'whoami.yml'), RULE);
  writeFileSync(join(d, 'whoami.tests.yml'), tests);
  return d;
}

const good = rules('good', `tests:
  - name: whoami fires
    match: true
    events: [${EVENT('C:\\Windows\\System32\\whoami.exe')}]
  - name: cmd does not
    match: false
    events: [${EVENT('C:\\Windows\\System32\\cmd.exe')}]
`);
const bad = rules('bad', `tests:
  - name: whoami fires
    match: true
    events: [${EVENT('C:\\Windows\\System32\\whoami.exe')}]
  - name: wrongly expected quiet
    match: false
    events: [${EVENT('C:\\Windows\\System32\\cmd.exe')}, ${EVENT('D:\\tools\\whoami.exe')}]
`);
const env = { DETECTORY_CLICKHOUSE: '', COLUMNS: '120' };

test('all cases pass: exit 0 and a table with a row per case', () => {
  const r = cli(['test', good], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /rule\s+case\s+expected\s+stream\s+duckdb\s+result/);
  assert.match(r.stdout, /Whoami Run\s+whoami fires\s+match: true\s+pass 1\s+pass 1\s+PASS/);
  assert.match(r.stdout, /Whoami Run\s+cmd does not\s+match: false\s+pass 0\s+pass 0\s+PASS/);
  assert.match(r.stdout, /passed\s+2\n/);
});

test('a failing case: exit 1, the event named, JSON lines and JUnit XML agree', () => {
  const junit = join(root, 'junit.xml');
  const r = cli(['test', bad, '--json', '--junit', junit], { env });
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.slice(0, 2).map((l) => l.result), ['pass', 'fail']);
  assert.deepEqual(lines[1].engines.stream, { status: 'fail', count: 1, events: [`${join(bad, 'whoami.tests.yml')} [wrongly expected quiet]#2`], why: `match: false, but 1 of 2 events matched: ${join(bad, 'whoami.tests.yml')} [wrongly expected quiet]#2` });
  assert.equal(lines[1].engines.duckdb.status, 'fail');
  assert.deepEqual([lines[2].summary.passed, lines[2].summary.failed], [1, 1]);
  const x = parseXml(readFileSync(junit, 'utf8'));
  const cases = childrenNamed(x, 'testsuite').flatMap((s) => childrenNamed(s, 'testcase'));
  assert.deepEqual(cases.map((c) => [c.attrs.name, childrenNamed(c, 'failure').length]), [['whoami fires', 0], ['wrongly expected quiet', 1]]);
  assert.match(childrenNamed(cases[1], 'failure')[0].attrs.message, /\[wrongly expected quiet\]#2$/);
});

test('the table explains a failure below it', () => {
  const r = cli(['test', bad, '--engines', 'stream'], { env });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL Whoami Run \(3c2e5f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f\) \/ wrongly expected quiet/);
  assert.match(r.stdout, / {2}stream: fail: match: false, but 1 of 2 events matched: .*#2/);
});

test('clickhouse without a URL: a temporary local cluster is started, used and stopped', (t) => {
  if (!findServer()) {
    if (process.env.DETECTORY_REQUIRE_SHARED === '1') throw new Error(`DETECTORY_REQUIRE_SHARED=1 but ${NO_SERVER}`);
    return t.skip(NO_SERVER);
  }
  const r = cli(['test', good, '--engines', 'stream,clickhouse'], { env });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /whoami fires\s+match: true\s+pass 1\s+pass 1/);
  assert.doesNotMatch(r.stdout + r.stderr, /error/);
});

test('usage errors exit 2 with one line', () => {
  const unknown = cli(['test', good, '--engines', 'stream,oracle'], { env });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--engines: unknown engine 'oracle'/);
  const url = cli(['test', good, '--clickhouse', 'http://x'], { env });
  assert.equal(url.status, 2);
  assert.match(url.stderr, /not a clickhouse:\/\/HOST:PORT/);
  const none = join(root, 'none');
  mkdirSync(none);
  writeFileSync(join(none, 'whoami.yml'), RULE);
  const empty = cli(['test', none], { env });
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /no tests found/);
});

test('scan does not read a tests file as a rule', () => {
  const events = join(root, 'e.jsonl');
  writeFileSync(events, JSON.stringify({ Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', EventRecordID: 9 }, EventData: { Image: 'C:\\x\\whoami.exe' } } }) + '\n');
  const r = cli(['scan', events, '--rules', good, '--format', 'jsonl'], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /whoami\.tests\.yml/);
  assert.equal(r.stdout.trim().split('\n').length, 1);
});

test('SigmaHQ data for one rule: its cases run, the others are counted as other rules\' cases', (t) => {
  const shared = requireShared(t, 'the regression data');
  if (!shared) return;
  const rule = join(shared, 'corpora', 'sigma', 'rules-threat-hunting', 'windows', 'image_load', 'image_load_win_werfaultsecure_dbgcore_dbghelp_load.yml');
  const r = cli(['test', rule, '--data', join(shared, 'conformance', 'sigma-regression'), '--json'], { env });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
  const summary = lines.pop()!.summary;
  assert.deepEqual(lines.map((l) => [l.case.name, l.result]), [['Positive Detection Test (evtx)', 'pass'], ['Positive Detection Test (json)', 'pass']]);
  assert.ok(summary.not_selected > 100, `${summary.not_selected} cases of other rules`);
});
