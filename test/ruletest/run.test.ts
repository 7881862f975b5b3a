/**
 * detectory's own tests format (<rule>.tests.yml) end to end through runRuleTests, verdicts with a
 * fake engine that disagrees, and a SigmaHQ case copied with a wrong match_count.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRuleTests } from '../../src/ruletest/run.js';
import { makeEngine } from '../../src/ruletest/engines/registry.js';
import { streamEngine } from '../../src/ruletest/engines/stream.js';
import { storeEngine } from '../../src/ruletest/engines/store.js';
import type { EngineAdapter } from '../../src/ruletest/engines/types.js';
import { requireShared } from '../helpers/shared.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'detectory-ruletest-'));
  dirs.push(d);
  return d;
}

const RULE = `title: Certutil Download
id: 0c1e5f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f
status: test
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\certutil.exe'
    CommandLine|contains: urlcache
  condition: selection
level: high
`;

const ev = (image: string, cmd: string): string => `{EventID: 1, Channel: Microsoft-Windows-Sysmon/Operational, Image: '${image}', CommandLine: '${cmd}'}`;
const CERTUTIL = 'C:\\Windows\\System32\\certutil.exe';

function ruleDir(tests: string): string {
  const d = tempDir();
  writeFileSync(join(d, 'certutil.yml'), RULE);
  writeFileSync(join(d, 'certutil.tests.yml'), tests);
  return d;
}

const engines = (): EngineAdapter[] => [makeEngine('stream', {}), makeEngine('duckdb', {})];

describe('own tests format', () => {
  test('match: true / false and match_count pass on both engines', async () => {
    const d = ruleDir(`tests:
  - name: fires
    match: true
    events:
      - ${ev(CERTUTIL, 'certutil -urlcache -f http://x/a a')}
      - ${ev(CERTUTIL, 'certutil.exe -URLCACHE -split')}
  - name: quiet
    match: false
    events:
      - ${ev(CERTUTIL, 'certutil -dump')}
      - ${ev('C:\\Windows\\System32\\cmd.exe', 'cmd /c urlcache')}
  - name: counted
    match_count: 1
    events:
      - ${ev(CERTUTIL, 'certutil -urlcache x')}
      - ${ev(CERTUTIL, 'certutil -hashfile x')}
`);
    const problems: string[] = [];
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: engines(), onProblem: (l) => problems.push(l) });
    assert.deepEqual(problems, []);
    assert.equal(rep.rules_loaded, 1, 'the tests file is not read as a rule');
    assert.deepEqual(rep.results.map((r) => [r.case.name, r.result]), [['fires', 'pass'], ['quiet', 'pass'], ['counted', 'pass']]);
    for (const r of rep.results) assert.deepEqual(r.verdicts.map((v) => v.status), ['pass', 'pass']);
    const counted = rep.results[2].verdicts[0];
    assert.ok(counted.status === 'pass' && counted.events[0].record_id === 1, 'inline events are named by their position');
  });

  test('a wrong expectation fails on every engine, naming the events', async () => {
    const d = ruleDir(`tests:
  - name: should be quiet
    match: false
    events:
      - ${ev(CERTUTIL, 'certutil -dump')}
      - ${ev(CERTUTIL, 'certutil -urlcache -f http://x/a a')}
  - name: should all match
    match: true
    events:
      - ${ev(CERTUTIL, 'certutil -urlcache x')}
      - ${ev(CERTUTIL, 'certutil -dump')}
`);
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: engines(), onProblem: () => {} });
    assert.deepEqual(rep.results.map((r) => r.result), ['fail', 'fail']);
    const [quiet, all] = rep.results;
    for (const v of quiet.verdicts) {
      assert.equal(v.status, 'fail');
      assert.match(v.status === 'fail' ? v.why! : '', /match: false, but 1 of 2 events matched: .*certutil\.tests\.yml \[should be quiet\]#2$/);
    }
    for (const v of all.verdicts) assert.match(v.status === 'fail' ? v.why! : '', /only 1 of 2 events matched: .*#1$/);
    assert.deepEqual(quiet.disagreement, [], 'the engines agree on the wrong result');
  });

  test('events from a data file beside the tests, and inline ones, in one case', async () => {
    const d = ruleDir(`tests:
  - name: file and inline
    data: logs/sample.jsonl
    events:
      - ${ev(CERTUTIL, 'certutil -urlcache y')}
    match_count: 2
`);
    mkdirSync(join(d, 'logs'));
    const doc = (rid: number, cmd: string): string => JSON.stringify({ Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', EventRecordID: rid }, EventData: { Image: CERTUTIL, CommandLine: cmd } } });
    writeFileSync(join(d, 'logs', 'sample.jsonl'), [doc(40, 'certutil -urlcache z'), doc(41, 'certutil -dump')].join('\n') + '\n');
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: engines(), onProblem: () => {} });
    assert.equal(rep.results[0].result, 'pass', JSON.stringify(rep.results[0].verdicts));
    const v = rep.results[0].verdicts[1];
    assert.ok(v.status === 'pass');
    assert.deepEqual(v.events.map((e) => `${e.label.endsWith('sample.jsonl') ? 'file' : 'inline'}#${e.record_id}`).sort(), ['file#40', 'inline#1']);
  });

  test('bad tests files are reported, one line each, and counted', async () => {
    const d = ruleDir(`tests:
  - name: no expectation
    events:
      - ${ev(CERTUTIL, 'x')}
  - name: both
    match: true
    match_count: 1
    events: [${ev(CERTUTIL, 'x')}]
  - name: missing file
    match: true
    data: nowhere.evtx
  - name: not an event
    match: true
    events: [42]
`);
    writeFileSync(join(d, 'orphan.tests.yml'), 'tests:\n  - {match: true, events: [{EventID: 1}]}\n');
    const problems: string[] = [];
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: engines(), onProblem: (l) => problems.push(l) });
    assert.equal(rep.results.length, 0);
    assert.equal(rep.bad_tests, 5, problems.join('\n'));
    assert.match(problems.join('\n'), /tests\[0\] \(no expectation\): give either `match: true\|false` or `match_count: N`/);
    assert.match(problems.join('\n'), /tests\[2\] \(missing file\): data nowhere\.evtx not found/);
    assert.match(problems.join('\n'), /tests\[3\] \(not an event\): events\[0\]: an event is a mapping/);
    assert.match(problems.join('\n'), /orphan\.tests\.yml: bad-test: no rule file next to it/);
  });

  test('a rule that does not load fails its tests instead of dropping them', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'broken.yml'), 'title: x\nid: 9d1e5f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f\ndetection: [oops\n');
    writeFileSync(join(d, 'broken.tests.yml'), `rule: 9d1e5f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f\ntests:\n  - {name: t, match: true, events: [${ev(CERTUTIL, 'x')}]}\n`);
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: engines(), onProblem: () => {} });
    assert.equal(rep.results.length, 1);
    assert.equal(rep.results[0].result, 'fail');
    assert.match(JSON.stringify(rep.results[0].verdicts), /is not among the rules loaded/);
  });
});

describe('engines', () => {
  test('engines that disagree fail the case, naming the differing event', async () => {
    const d = ruleDir(`tests:
  - name: two downloads
    match_count: 2
    events:
      - ${ev(CERTUTIL, 'certutil -urlcache a')}
      - ${ev(CERTUTIL, 'certutil -urlcache b')}
`);
    // A fake engine: the stream engine's run with the alert on event 2 lost.
    const inner = streamEngine();
    const lossy: EngineAdapter = {
      name: 'lossy',
      async run(rules, files) {
        const r = await inner.run(rules, files);
        r.hits = r.hits.filter((h) => h.record_id !== 2);
        return r;
      },
    };
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: [streamEngine(), lossy], onProblem: () => {} });
    const r = rep.results[0];
    assert.equal(r.result, 'fail');
    assert.deepEqual(r.verdicts.map((v) => v.status), ['pass', 'fail']);
    assert.equal(r.disagreement.length, 1);
    assert.match(r.disagreement[0], /certutil\.tests\.yml \[two downloads\]#2: stream 1, lossy 0$/);
  });

  test('engines that disagree fail even when each meets the expectation', async () => {
    const d = ruleDir(`tests:
  - name: fires
    match_count: 1
    events:
      - ${ev(CERTUTIL, 'certutil -urlcache a')}
      - ${ev(CERTUTIL, 'certutil -dump')}
`);
    // Another fake: one alert, on the other event.
    const inner = streamEngine();
    const shifted: EngineAdapter = {
      name: 'shifted',
      async run(rules, files) {
        const r = await inner.run(rules, files);
        r.hits = r.hits.map((h) => ({ ...h, record_id: 2 }));
        return r;
      },
    };
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: [streamEngine(), shifted], onProblem: () => {} });
    const r = rep.results[0];
    assert.deepEqual(r.verdicts.map((v) => v.status), ['pass', 'pass']);
    assert.equal(r.result, 'fail');
    assert.equal(r.disagreement.length, 2);
  });

  test('clickhouse without a URL or a cluster starter is an error on every case, never a pass', async () => {
    const d = ruleDir(`tests:\n  - {name: t, match: true, events: [${ev(CERTUTIL, 'certutil -urlcache a')}]}\n`);
    const problems: string[] = [];
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: [makeEngine('stream', {}), makeEngine('clickhouse', {})], onProblem: (l) => problems.push(l) });
    assert.equal(rep.results[0].result, 'fail');
    assert.deepEqual(rep.results[0].verdicts[1], { engine: 'clickhouse', status: 'error', message: 'clickhouse: no cluster (give --clickhouse URL)' });
    assert.deepEqual(problems, ['clickhouse: no cluster (give --clickhouse URL)']);
  });

  test('a store given by the user that already holds a test file is an engine error, not a wrong verdict', async () => {
    const d = ruleDir(`tests:\n  - {name: t, match: true, events: [${ev(CERTUTIL, 'certutil -urlcache a')}]}\n`);
    const spec = `duckdb:${join(tempDir(), 'kept.duckdb')}`;
    const kept = storeEngine('kept', async () => ({ spec, fresh: false }));
    const first = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: [kept], onProblem: () => {} });
    assert.equal(first.results[0].result, 'pass');
    const again = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: [kept], onProblem: () => {} });
    assert.equal(again.results[0].result, 'fail');
    assert.match(JSON.stringify(again.results[0].verdicts[0]), /1 of the test's 1 event files were already in this store \(an earlier run\?\)/);
  });

  test('clickhouse with a cluster starter: it is started, used through its URL, and stopped', async () => {
    const d = ruleDir(`tests:\n  - {name: t, match: true, events: [${ev(CERTUTIL, 'certutil -urlcache a')}]}\n`);
    const calls: string[] = [];
    const engine = makeEngine('clickhouse', {
      startCluster: async ({ shards }) => {
        calls.push(`start ${shards}`);
        return { url: 'clickhouse://127.0.0.1:1/', stop: async () => void calls.push('stop') };
      },
    });
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: [engine], onProblem: () => {} });
    assert.deepEqual(calls, ['start 2', 'stop']);
    const v = rep.results[0].verdicts[0];
    // Whatever the store says (not built yet, or nothing listening on port 1), it is an error naming the cluster's URL.
    assert.equal(v.status, 'error');
    assert.match(v.status === 'error' ? v.message : '', /^clickhouse:\/\/127\.0\.0\.1:1\/: /);
  });
});

describe('Elastic rules', () => {
  test('run on the stream engine and on the SQL engine alike (hunt runs Elastic rules)', async (t) => {
    const shared = requireShared(t, 'an Elastic rule of the corpus');
    if (!shared) return;
    const d = tempDir();
    cpSync(join(shared, 'corpora', 'elastic', 'rules', 'windows', 'execution_shared_modules_local_sxs_dll.toml'), join(d, 'sxs.toml'));
    const fileEvent = (target: string): string => `{EventID: 11, Channel: Microsoft-Windows-Sysmon/Operational, Computer: ws1, TimeCreated: '2024-05-01T10:00:00Z', Image: 'C:\\Windows\\explorer.exe', TargetFilename: '${target}'}`;
    writeFileSync(join(d, 'sxs.tests.yml'), `tests:
  - name: dll in a .exe.local folder
    match: true
    events: [${fileEvent('C:\\Users\\a\\app.exe.local\\evil.dll')}]
  - name: dll elsewhere
    match: false
    events: [${fileEvent('C:\\Users\\a\\evil.dll')}]
`);
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: engines(), onProblem: () => {} });
    assert.deepEqual(rep.results.map((r) => [r.case.name, r.result, r.verdicts.map((v) => v.status)]), [
      ['dll in a .exe.local folder', 'pass', ['pass', 'pass']],
      ['dll elsewhere', 'pass', ['pass', 'pass']],
    ]);
    assert.equal(rep.passed, 2);
  });

  test('a rule no engine can run (ES|QL) is a skip on each, never a pass', async (t) => {
    const shared = requireShared(t, 'an ES|QL rule of the corpus');
    if (!shared) return;
    const d = tempDir();
    cpSync(join(shared, 'corpora', 'elastic', 'rules', 'windows', 'command_and_control_dns_rmm_domains_non_browser.toml'), join(d, 'rmm.toml'));
    writeFileSync(join(d, 'rmm.tests.yml'), `tests:
  - name: any event
    match: false
    events: [{EventID: 22, Channel: Microsoft-Windows-Sysmon/Operational, Computer: ws1, QueryName: example.org}]
`);
    const rep = await runRuleTests({ rulePaths: [d], dataDirs: [], engines: engines(), onProblem: () => {} });
    assert.deepEqual(rep.results.map((r) => [r.case.name, r.result, r.verdicts.map((v) => v.status)]), [['any event', 'skip', ['skip', 'skip']]]);
    assert.equal(rep.passed, 0, 'a case an engine skipped is not reported as passing');
  });
});

describe('SigmaHQ layout', () => {
  const CASE = join('regression_data', 'rules-threat-hunting', 'windows', 'image_load', 'image_load_win_werfaultsecure_dbgcore_dbghelp_load');
  const RULE_FILE = join('corpora', 'sigma', 'rules-threat-hunting', 'windows', 'image_load', 'image_load_win_werfaultsecure_dbgcore_dbghelp_load.yml');

  test('a copied case passes; with a wrong match_count it fails naming the event', async (t) => {
    const shared = requireShared(t, 'the SigmaHQ layout test');
    if (!shared) return;
    const d = tempDir();
    const caseDir = join(d, CASE);
    cpSync(join(shared, 'conformance', 'sigma-regression', CASE), caseDir, { recursive: true });
    const rule = join(shared, RULE_FILE);
    const run = () => runRuleTests({ rulePaths: [rule], dataDirs: [d], engines: engines(), onProblem: () => {} });
    const ok = await run();
    assert.deepEqual(ok.results.map((r) => [r.case.name, r.result]), [['Positive Detection Test (evtx)', 'pass'], ['Positive Detection Test (json)', 'pass']]);
    const info = join(caseDir, 'info.yml');
    writeFileSync(info, readFileSync(info, 'utf8').replace(/(\n\s+)type: evtx/, '$1type: evtx$1match_count: 5'));
    const bad = await run();
    assert.deepEqual(bad.results.map((r) => r.result), ['fail', 'fail']);
    for (const r of bad.results) {
      for (const v of r.verdicts) {
        assert.equal(v.status, 'fail');
        assert.match(v.status === 'fail' ? v.why! : '', /^expected at least the 5 matches info.yml records, got 1: .*8a2f4b1c-3d5e-4f7a-9b2c-1e4f6d8a9c2b\.(evtx|json)#\d+$/);
      }
    }
  });
});
