/**
 * EVTX oracle conformance: for every .evtx under shared/evtx and shared/conformance/sigma-regression,
 * detectory's reader is compared with two independent decoders, evtxexport (libevtx) and
 * python-evtx: record count, and per record EventRecordID, EventID, timestamp, Computer, Channel,
 * Provider name and every EventData / UserData value. Spelling differences that are not decoding
 * differences are normalized in oracle-compare.ts, each with the reason; what remains must be zero.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
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
