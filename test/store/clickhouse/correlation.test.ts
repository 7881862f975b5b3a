/**
 * Correlations on the 2-shard ClickHouse cluster: the same correlations and events as
 * test/store/correlation-corpus.test.ts (where DuckDB equals scan), hunted through the store.
 * Every correlation runs (chained ones in two steps; value_count, value_percentile and temporal from
 * their sorted hit stream, whose groups of every process of a computer passed 18.16's memory in the
 * array form) and raises exactly scan's alerts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../../src/engine/scan.js';
import { loadRules } from '../../../src/engine/rules.js';
import type { Alert } from '../../../src/engine/alert.js';
import { openEventStore } from '../../../src/store/event-store.js';
import { requireShared } from '../../helpers/shared.js';
import { correlationLines } from '../../helpers/correlation-diff.js';
import { correlations, uniqueInputs } from '../../support/correlation-rules.js';
import { requireCluster, startTestCluster, type TestCluster } from '../../helpers/clickhouse.js';

let cluster: TestCluster | undefined;
before(async () => { cluster = await startTestCluster(); });
after(async () => { await cluster?.dispose(); });

test('hunt on the 2-shard cluster raises scan\'s correlation alerts, every correlation run', async (t) => {
  const shared = requireShared(t, 'the ClickHouse correlation differential');
  const c = requireCluster(t, cluster);
  if (!shared || !c) return;
  const security = join(shared, 'corpora', 'sigma', 'rules', 'windows', 'builtin', 'security');
  const securityIds = loadRules([security]).detections.map((r) => r.id);
  const inputs = await uniqueInputs(shared);
  const dir = mkdtempSync(join(tmpdir(), 'detectory-corrch-'));
  try {
    const mine = join(dir, 'correlations.yml');
    writeFileSync(mine, correlations(securityIds));
    const rulePaths = [security, mine];
    const fromScan: Alert[] = [];
    await scan({ rulePaths, eventPaths: inputs, threads: 1, onAlert: (a) => fromScan.push(a), onProblem: () => {} });
    const store = await openEventStore(c.url);
    const fromHunt: Alert[] = [];
    const skipped: Array<{ title: string; why: string }> = [];
    try {
      const ing = await store.ingest(inputs);
      assert.equal(ing.failed, 0);
      await store.hunt(loadRules(rulePaths), {
        onAlert: (a) => fromHunt.push(a),
        onSkip: (r, reason, m) => { if (reason !== 'not-windows-logsource') skipped.push({ title: r.title, why: `${reason}: ${m}` }); },
      });
    } finally {
      await store.close();
    }
    for (const s of skipped) t.diagnostic(`skipped on ClickHouse: ${s.title}: ${s.why.slice(0, 200)}`);
    assert.deepEqual(skipped, [], 'no rule is skipped on ClickHouse');
    const scanLines = correlationLines(fromScan);
    const huntLines = correlationLines(fromHunt);
    const corr = new Set(fromScan.filter((a) => a.rule.type === 'correlation').map((a) => a.rule.title));
    t.diagnostic(`correlations compared on ClickHouse: ${corr.size}: ${[...corr].sort().join(', ')}`);
    for (const title of ['many images', 'rare image', 'process and connection']) assert.ok(corr.has(title), `scan raises alerts of '${title}', compared here`);
    assert.deepEqual(huntLines.filter((l) => !scanLines.includes(l)), [], 'hunt raises no alert scan does not');
    assert.deepEqual(scanLines.filter((l) => !huntLines.includes(l)), [], 'scan raises no alert hunt does not');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
