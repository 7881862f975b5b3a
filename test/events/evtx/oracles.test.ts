/**
 * EVTX oracle conformance: for every .evtx under shared/evtx and shared/conformance/sigma-regression,
 * detectory's reader is compared with two independent decoders, evtxexport (libevtx) and
 * python-evtx: record count, and per record EventRecordID, EventID, timestamp, Computer, Channel,
 * Provider name, every System element and attribute, and every EventData / UserData value. Spelling
 * differences where an oracle departs from what Windows writes are normalized in oracle-compare.ts
 * (normValue), each with the reason; GUID braces and trailing white space are compared as stored.
 * What remains must be zero. A second test compares live and leftover record counts with evtxinfo.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvtxFile } from '../../../src/events/evtx/index.js';
import { requireShared } from '../../helpers/shared.js';
import { compareRecords, listEvtx, runOracle, summarizeFile, type Difference, type FileResult, type Summary } from './oracle-compare.js';

function haveOracles(): string | undefined {
  if (!existsSync('/usr/bin/evtxexport')) return 'evtxexport (Debian libevtx-utils) is not installed';
  const py = spawnSync('/usr/bin/python3', ['-c', 'import Evtx.Evtx'], { encoding: 'utf8' });
  if (py.status !== 0) return 'python3-evtx is not installed';
  return undefined;
}

test('EVTX reader agrees with evtxexport and python-evtx on every shared .evtx file', { timeout: 600_000 }, async (t) => {
  const shared = requireShared(t, 'the EVTX oracle comparison');
  if (!shared) return;
  const missing = haveOracles();
  if (missing) {
    if (process.env.DETECTORY_REQUIRE_SHARED === '1') assert.fail(`${missing} (.ci/run installs it)`);
    t.skip(missing);
    return;
  }
  const files = [...listEvtx(join(shared, 'evtx')), ...listEvtx(join(shared, 'conformance/sigma-regression'))];
  assert.ok(files.length > 100, `expected the shared .evtx corpus, found ${files.length} files`);
  // evtxexport is fast: one process; python-evtx is slow: two processes (one per core).
  const [ee, py] = await Promise.all([runOracle('evtxexport', files, 1), runOracle('pyevtx', files, 2)]);
  const mine = new Map<string, Summary[]>();
  let myProblems = 0;
  for (const f of files) {
    const r = await summarizeFile(f);
    mine.set(f, r.records);
    myProblems += r.problems.length;
  }
  const report = (name: string, oracle: Map<string, FileResult>, mode: '100ns' | 'us') => {
    let records = 0;
    let oracleErrors = 0;
    const diffs: Difference[] = [];
    for (const f of files) {
      const theirs = oracle.get(f);
      assert.ok(theirs, `${name} gave no result for ${f}`);
      oracleErrors += theirs.errors.length;
      const m = mine.get(f)!;
      records += m.length;
      diffs.push(...compareRecords(f, m, theirs.records, mode));
    }
    t.diagnostic(`${name}: ${files.length} files, ${records} records compared, ${diffs.length} differences, ${oracleErrors} oracle errors`);
    return diffs;
  };
  const eeDiffs = report('evtxexport', ee, '100ns');
  const pyDiffs = report('python-evtx', py, 'us');
  t.diagnostic(`detectory reported ${myProblems} problems on the corpus`);
  assert.equal(myProblems, 0, 'the shared corpus is intact: no read problems expected');
  assert.deepEqual(eeDiffs.slice(0, 20), [], 'differences with evtxexport');
  assert.deepEqual(pyDiffs.slice(0, 20), [], 'differences with python-evtx');
});

test('live records and leftover records in chunk slack: the counts evtxinfo (libevtx) gives, for every shared .evtx file', { timeout: 300_000 }, async (t) => {
  const shared = requireShared(t, 'the EVTX corpus');
  if (!shared) return;
  if (!existsSync('/usr/bin/evtxinfo')) {
    if (process.env.DETECTORY_REQUIRE_SHARED === '1') assert.fail('evtxinfo (Debian libevtx-utils) is not installed (.ci/run installs it)');
    t.skip('evtxinfo is not installed');
    return;
  }
  const files = [...listEvtx(join(shared, 'evtx')), ...listEvtx(join(shared, 'conformance/sigma-regression'))];
  const diffs: string[] = [];
  let live = 0;
  let leftovers = 0;
  for (const f of files) {
    const info = spawnSync('/usr/bin/evtxinfo', [f], { encoding: 'utf8' }).stdout;
    const theirs = [/Number of records\s*:\s*(\d+)/, /Number of recovered records\s*:\s*(\d+)/].map((re) => Number(re.exec(info)?.[1] ?? NaN));
    let records = 0;
    let slack = 0;
    for await (const r of readEvtxFile(f, (p) => {
      const m = /^(\d+) leftover records in chunk slack/.exec(p.message);
      if (p.reason === 'deleted-records' && m) slack = Number(m[1]);
    })) if (r) records++;
    live += records;
    leftovers += slack;
    if (records !== theirs[0] || slack !== theirs[1]) diffs.push(`${f}: records ${records} / ${theirs[0]}, leftovers ${slack} / ${theirs[1]}`);
  }
  t.diagnostic(`${files.length} files: ${live} live records, ${leftovers} leftover records in chunk slack (copies of live records included, as evtxinfo counts them)`);
  assert.deepEqual(diffs, []);
});
