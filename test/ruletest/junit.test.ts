/** JUnit XML: well-formed whatever the rule titles, case names and event files hold; structure and counts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { junitXml } from '../../src/ruletest/report/junit.js';
import { xmlAttr, xmlText } from '../../src/ruletest/report/xml.js';
import { caseResult } from '../../src/ruletest/verdict.js';
import type { CaseResult, EngineVerdict, TestCase } from '../../src/ruletest/types.js';
import { childrenNamed, parseXml } from '../helpers/xml.js';

const HOSTILE = 'a & b <c> "d" \'e\' ]]> \u0000\u0001\u001b[31m \ud800 tab\tnl\ncr\r \ufffe end';

function result(ruleId: string, name: string, verdicts: EngineVerdict[], title = 'Rule'): CaseResult {
  const c: TestCase = { ruleId, definedIn: `/t/${name}.tests.yml`, name, source: 'detectory', data: [{ path: '/t/x.jsonl', label: `/t/${HOSTILE}.evtx` }], expect: { kind: 'count', n: 1 } };
  return caseResult(c, { title, path: `/r/${ruleId}.yml` }, verdicts);
}

const ev = (record_id: number) => ({ label: `/t/${HOSTILE}.evtx`, record_id, timestamp: null, event_id: 1 });

const results = [
  result('r1', 'passes', [{ engine: 'stream', status: 'pass', count: 1, events: [ev(1)] }, { engine: 'duckdb', status: 'pass', count: 1, events: [ev(1)] }]),
  result('r1', `fails ${HOSTILE}`, [{ engine: 'stream', status: 'fail', count: 2, events: [ev(1), ev(2)], why: `expected 1 match, got 2: ${HOSTILE}#1, #2` }, { engine: 'duckdb', status: 'fail', count: 2, events: [ev(1), ev(2)], why: 'expected 1 match, got 2' }], HOSTILE),
  result('r2', 'disagree', [{ engine: 'stream', status: 'pass', count: 1, events: [ev(1)] }, { engine: 'duckdb', status: 'pass', count: 1, events: [ev(3)] }]),
  result('r3', 'skipped', [{ engine: 'stream', status: 'pass', count: 1, events: [ev(1)] }, { engine: 'duckdb', status: 'skip', reason: 'elastic-not-in-hunt: Elastic rules run in scan' }]),
  result('r3', 'engine down', [{ engine: 'stream', status: 'pass', count: 1, events: [ev(1)] }, { engine: 'clickhouse', status: 'error', message: 'clickhouse: no cluster (give --clickhouse URL)' }]),
];

test('hostile text round-trips through escaping: the parser reads back what went in, minus what XML cannot hold', () => {
  const doc = parseXml(`<a b="${xmlAttr(HOSTILE)}">${xmlText(HOSTILE)}</a>`);
  const expected = HOSTILE.replace('\u0000', '\\x00').replace('\u0001', '\\x01').replace('\u001b', '\\x1b').replace('\ud800', '\\ud800').replace('\ufffe', '\\ufffe');
  assert.equal(doc.attrs.b, expected);
  // Text content: XML parsers turn CR into LF; ours keeps it, as the bytes say.
  assert.equal(doc.text, expected);
});

test('the checker refuses what is not well-formed', () => {
  for (const bad of ['<a>', '<a></b>', '<a x="1" x="2"/>', '<a x=1/>', '<a>&foo;</a>', '<a>& b</a>', '<a x="<"/>', '<a/><b/>', '<a>]]></a>', '<a>\u0001</a>', '<a>&#1;</a>', 'text']) {
    assert.throws(() => parseXml(bad), /not well-formed/, bad);
  }
});

test('one testsuite per rule, one testcase per case, failures and skips counted', () => {
  const xml = junitXml(results, 1.5);
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  assert.deepEqual([root.attrs.tests, root.attrs.failures, root.attrs.skipped, root.attrs.time], ['5', '3', '1', '1.5']);
  const suites = childrenNamed(root, 'testsuite');
  assert.deepEqual(suites.map((s) => [s.attrs.tests, s.attrs.failures, s.attrs.skipped]), [['2', '1', '0'], ['1', '1', '0'], ['2', '1', '1']]);
  assert.equal(suites[0].attrs.name, 'Rule (r1)', 'a suite is named by its first case\'s rule title');
  const cases = suites.flatMap((s) => childrenNamed(s, 'testcase'));
  assert.deepEqual(cases.map((c) => c.attrs.classname), ['r1', 'r1', 'r2', 'r3', 'r3']);
  const fail = childrenNamed(cases[1], 'failure')[0];
  assert.equal(fail.attrs.type, 'wrong-matches');
  assert.ok(fail.attrs.message.includes('a & b <c> "d" \'e\' ]]> \\0\\x01\\x1b[31m'), 'the message is the text (controls made visible), escaped on the way out and read back');
  assert.match(fail.text, /stream: fail: expected 1 match, got 2/);
  const disagree = childrenNamed(cases[2], 'failure')[0];
  assert.equal(disagree.attrs.type, 'engines-disagree');
  assert.match(disagree.text, /engines disagree:\n.*#1: stream 1, duckdb 0\n.*#3: stream 0, duckdb 1/);
  assert.equal(childrenNamed(cases[3], 'skipped').length, 1);
  assert.equal(childrenNamed(cases[4], 'failure')[0].attrs.type, 'error');
  assert.equal(childrenNamed(cases[0], 'failure').length, 0);
});

test('an independent XML parser (expat, via the system Python) reads it too', (t) => {
  if (!existsSync('/usr/bin/python3')) return t.skip('no /usr/bin/python3 here');
  const dir = mkdtempSync(join(tmpdir(), 'detectory-junit-'));
  try {
    const file = join(dir, 'junit.xml');
    writeFileSync(file, junitXml(results, 1));
    const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); print(len(d.getElementsByTagName("testcase")), len(d.getElementsByTagName("failure")))', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '5 3');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
