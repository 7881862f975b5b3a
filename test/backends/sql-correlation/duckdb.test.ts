/**
 * Correlations as DuckDB SQL (hunt) against scan, alert for alert: each correlation type on small
 * hand-written timelines where the windows matter (scenarios.ts), then seeded random timelines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlationLines, detectionKeys, scanAndHuntText } from '../../helpers/correlation-diff.js';
import { BASE, CASES, randomTimelines, type Same } from './scenarios.js';

const same: Same = async (correlation, events, expectAlerts, opts = {}, label = '') => {
  const r = await scanAndHuntText(BASE + '---\n' + correlation, events, opts);
  assert.deepEqual(r.skipped.filter((l) => !l.includes('not-windows')), [], 'hunt runs every rule');
  const scan = correlationLines(r.scan);
  assert.deepEqual(correlationLines(r.hunt), scan, `hunt raises the correlation alerts of scan ${label}`);
  assert.deepEqual(detectionKeys(r.hunt), detectionKeys(r.scan), 'and the same detection alerts (generate, suppression)');
  if (expectAlerts !== undefined) assert.equal(scan.length, expectAlerts, 'scan raises the expected number of alerts');
  return scan.length;
};

for (const c of CASES) test(c.title, () => c.run(same));

test('random timelines: every correlation type and condition gives scan\'s alerts', async () => {
  const total = await randomTimelines(same);
  assert.ok(total > 100, `the timelines raise correlation alerts (${total})`);
});
