/**
 * scanFile runs a batch in phases (Sigma matches, Elastic documents, their candidates, then the
 * Elastic rules and the alerts event by event): what comes out must be what a scan event by event
 * gives, in the same order: every alert with its values, and the events handed to the stateful
 * rules in their place among the alerts, both as a worker hands them on (FileResult.ordered, with
 * `at`) and as a one-thread scan does (MatchContext.ordered, at once, uncut).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/engine/alert.js';
import { compileRules } from '../../src/engine/cache/rule-cache.js';
import { ElasticRunner, type OrderedEvent } from '../../src/engine/elastic/runner.js';
import { SCAN_BATCH_CHUNKS } from '../../src/engine/batch-size.js';
import { matchContext, scanFile, toAlert } from '../../src/engine/file-scan.js';
import { listEventFiles, readEventFile } from '../../src/events/read.js';
import { flattenEvent } from '../../src/events/normalize.js';
import { requireShared } from '../helpers/shared.js';

const alertLine = (a: Alert): string => `alert ${JSON.stringify(a)}`;
const orderedLine = (o: OrderedEvent): string => `ordered ${JSON.stringify(o)}`;

test('scanFile: the Windows Sigma and Elastic rules over EVTX-ATTACK-SAMPLES give, batch by batch in phases, the alerts and stateful events of an event-by-event scan, in order', async (t) => {
  const shared = requireShared(t, 'the Sigma and Elastic corpora and EVTX-ATTACK-SAMPLES');
  if (!shared) return;
  const corpora = join(shared, 'corpora');
  const compiled = await compileRules([join(corpora, 'sigma', 'rules', 'windows'), join(corpora, 'elastic', 'rules', 'windows')]);
  assert.ok(compiled.ruleSet.elastic.length > 300, `Elastic rules: ${compiled.ruleSet.elastic.length}`);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => {});
  // A runner per scan of the same rules (rules keep state): a worker's share, a one-thread scan, the reference of each.
  const runner = (): ElasticRunner => new ElasticRunner(compiled.ruleSet.elastic, () => undefined, () => undefined, undefined, { cutOrdered: true });
  const worker = matchContext(compiled.matcher, compiled.ruleSet.correlations);
  worker.elastic = runner();
  let oneThreadLines: string[] = [];
  const oneThread = matchContext(compiled.matcher, compiled.ruleSet.correlations);
  oneThread.elastic = runner();
  oneThread.ordered = (o) => oneThreadLines.push(orderedLine(o));
  const workerRef = runner();
  const oneThreadRef = runner();
  let alerts = 0;
  let handed = 0;
  for (const file of files) {
    const got: string[] = [];
    const r = await scanFile(file, worker, (a) => got.push(alertLine(a)), () => undefined);
    oneThreadLines = [];
    const r1 = await scanFile(file, oneThread, (a) => oneThreadLines.push(alertLine(a)), () => undefined);
    // The references: each event through the Elastic rules (local), then the Sigma rules, as scans went before.
    const want: string[] = [];
    const wantOrdered: Array<OrderedEvent & { at: number }> = [];
    const want1: string[] = [];
    let events = 0;
    for await (const batch of readEventFile(file, () => undefined, undefined, false, true, SCAN_BATCH_CHUNKS)) {
      for (const rec of batch) {
        events++;
        const o = workerRef.local(rec, (a) => want.push(alertLine(a)));
        if (o) wantOrdered.push({ ...o, at: want.length });
        const o1 = oneThreadRef.local(rec, (a) => want1.push(alertLine(a)), false);
        if (o1) want1.push(orderedLine(o1));
        const ev = flattenEvent(rec);
        for (const m of compiled.matcher.match(ev)) {
          want.push(alertLine(toAlert(m, ev)));
          want1.push(alertLine(toAlert(m, ev)));
        }
      }
    }
    assert.equal(r.events, events, file);
    assert.equal(r1.events, events, file);
    assert.deepEqual(got, want, file);
    assert.deepEqual(JSON.parse(JSON.stringify(r.ordered)), JSON.parse(JSON.stringify(wantOrdered)), file);
    assert.deepEqual(oneThreadLines, want1, file);
    alerts += got.length;
    handed += wantOrdered.length;
  }
  assert.ok(alerts > 1000, `alerts: ${alerts}`);
  assert.ok(handed > 10, `events handed to stateful rules: ${handed}`);
});
