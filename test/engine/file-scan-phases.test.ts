/**
 * scanFile runs a batch in phases (Sigma matches, Elastic documents, their candidates, then the
 * Elastic rules and the alerts event by event): what comes out must be what a scan event by event
 * gives, in the same order: every alert with its values, the correlation hits, and the events handed
 * to the stateful rules with their place among the alerts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/engine/alert.js';
import { compileRules } from '../../src/engine/cache/rule-cache.js';
import { ElasticRunner, type OrderedEvent } from '../../src/engine/elastic/runner.js';
import { type FileResult, matchContext, SCAN_BATCH_CHUNKS, scanFile, toAlert } from '../../src/engine/file-scan.js';
import { listEventFiles, readEventFile } from '../../src/events/read.js';
import { flattenEvent } from '../../src/events/normalize.js';
import { requireShared } from '../helpers/shared.js';

const line = (a: Alert): string => JSON.stringify(a);

test('scanFile: the Windows Sigma and Elastic rules over EVTX-ATTACK-SAMPLES give, batch by batch in phases, the alerts and stateful events of an event-by-event scan, in order', async (t) => {
  const shared = requireShared(t, 'the Sigma and Elastic corpora and EVTX-ATTACK-SAMPLES');
  if (!shared) return;
  const corpora = join(shared, 'corpora');
  const compiled = await compileRules([join(corpora, 'sigma', 'rules', 'windows'), join(corpora, 'elastic', 'rules', 'windows')]);
  assert.ok(compiled.ruleSet.elastic.length > 300, `Elastic rules: ${compiled.ruleSet.elastic.length}`);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => {});
  // Two runners of the same rules: one for scanFile, one for the reference (rules keep state).
  const runner = (): ElasticRunner => new ElasticRunner(compiled.ruleSet.elastic, () => undefined, () => undefined, undefined, { cutOrdered: true });
  const phased = matchContext(compiled.matcher, compiled.ruleSet.correlations);
  phased.elastic = runner();
  const reference = runner();
  let alerts = 0;
  let handed = 0;
  for (const file of files) {
    const got: string[] = [];
    const r: FileResult = await scanFile(file, phased, (a) => got.push(line(a)), () => undefined);
    // The reference: each event through the Elastic rules (local), then the Sigma rules, as scans went before.
    const want: string[] = [];
    const ordered: Array<OrderedEvent & { at: number }> = [];
    let events = 0;
    for await (const batch of readEventFile(file, () => undefined, undefined, false, true, SCAN_BATCH_CHUNKS)) {
      for (const rec of batch) {
        events++;
        const o = reference.local(rec, (a) => want.push(line(a)));
        if (o) ordered.push({ ...o, at: want.length });
        const ev = flattenEvent(rec);
        for (const m of compiled.matcher.match(ev)) want.push(line(toAlert(m, ev)));
      }
    }
    assert.equal(r.events, events, file);
    assert.deepEqual(got, want, file);
    assert.deepEqual(JSON.parse(JSON.stringify(r.ordered)), JSON.parse(JSON.stringify(ordered)), file);
    alerts += got.length;
    handed += ordered.length;
  }
  assert.ok(alerts > 1000, `alerts: ${alerts}`);
  assert.ok(handed > 10, `events handed to stateful rules: ${handed}`);
});
