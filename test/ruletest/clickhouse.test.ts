/**
 * The clickhouse engine on a real temporary 2-shard cluster (src/cluster's startCluster): the same
 * verdicts and events as stream and duckdb, and the cluster stopped afterwards. Without a
 * clickhouse-server program the test skips with a message (a failure under DETECTORY_REQUIRE_SHARED=1).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRuleTests } from '../../src/ruletest/run.js';
import { makeEngine } from '../../src/ruletest/engines/registry.js';
import { startCluster } from '../../src/cluster/cluster.js';
import type { StartCluster } from '../../src/ruletest/engines/clickhouse.js';
import { findServer } from '../../src/cluster/server-binary.js';
import { sharedDir } from '../helpers/shared.js';
import { NO_SERVER } from '../helpers/clickhouse.js';

const dir = mkdtempSync(join(tmpdir(), 'detectory-ruletest-ch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RULE = `title: Whoami Run
id: 4d2e5f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
level: low
`;
const ev = (image: string, rid: number) => `{EventID: 1, EventRecordID: ${rid}, Channel: Microsoft-Windows-Sysmon/Operational, Image: '${image}'}`;

test('clickhouse on a temporary cluster gives the verdicts and events of stream and duckdb', async (t) => {
  if (!findServer()) {
    if (process.env.DETECTORY_REQUIRE_SHARED === '1') throw new Error(`DETECTORY_REQUIRE_SHARED=1 but ${NO_SERVER}`);
    return t.skip(NO_SERVER);
  }
  writeFileSync(join(dir, 'whoami.yml'), RULE);
  writeFileSync(join(dir, 'whoami.tests.yml'), `tests:
  - {name: fires, match_count: 2, events: [${ev('C:\\x\\whoami.exe', 10)}, ${ev('C:\\x\\cmd.exe', 11)}, ${ev('D:\\whoami.exe', 12)}]}
  - {name: quiet, match: false, events: [${ev('C:\\x\\cmd.exe', 20)}]}
  - {name: wrong on purpose, match: true, events: [${ev('C:\\x\\cmd.exe', 30)}]}
`);
  const dataDirs: string[] = [];
  const shared = sharedDir();
  const CASE = join('regression_data', 'rules-threat-hunting', 'windows', 'image_load', 'image_load_win_werfaultsecure_dbgcore_dbghelp_load');
  const rulePaths = [dir];
  if (shared) {
    cpSync(join(shared, 'conformance', 'sigma-regression', CASE), join(dir, 'data', CASE), { recursive: true });
    dataDirs.push(join(dir, 'data'));
    rulePaths.push(join(shared, 'corpora', 'sigma', 'rules-threat-hunting', 'windows', 'image_load', 'image_load_win_werfaultsecure_dbgcore_dbghelp_load.yml'));
  }
  const stops: string[] = [];
  const tracked: StartCluster = async (o) => {
    const c = await startCluster(o);
    return { url: c.url, stop: async () => { await c.stop(); stops.push(c.url); } };
  };
  const engines = [makeEngine('stream', {}), makeEngine('duckdb', {}), makeEngine('clickhouse', { startCluster: tracked })];
  const rep = await runRuleTests({ rulePaths, dataDirs, engines, onProblem: () => {} });
  assert.equal(rep.engines[2].error, undefined);
  assert.equal(stops.length, 1, 'the temporary cluster is stopped');
  assert.deepEqual(rep.results.map((r) => [r.case.name, r.result, r.verdicts.map((v) => v.status)]), [
    ['fires', 'pass', ['pass', 'pass', 'pass']],
    ['quiet', 'pass', ['pass', 'pass', 'pass']],
    ['wrong on purpose', 'fail', ['fail', 'fail', 'fail']],
    ...(shared ? [['Positive Detection Test (evtx)', 'pass', ['pass', 'pass', 'pass']], ['Positive Detection Test (json)', 'pass', ['pass', 'pass', 'pass']]] : []),
  ]);
  assert.deepEqual(rep.results.flatMap((r) => r.disagreement), []);
  const fires = rep.results[0].verdicts[2];
  assert.ok(fires.status === 'pass');
  assert.deepEqual(fires.events.map((e) => e.record_id).sort(), [10, 12]);
});
