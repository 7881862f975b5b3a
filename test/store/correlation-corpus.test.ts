/**
 * Correlations on real events: hunt (DuckDB SQL) against scan over EVTX-ATTACK-SAMPLES and the
 * SigmaHQ regression data. The Sigma corpus at its pinned commit holds no correlation rule (counted
 * below; any that appears runs here with every corpus rule as its bases), so the test also runs
 * correlations of every type written for these events: one over all of the corpus's Windows
 * Security rules, the others over small base rules (Sysmon process and network events, logons).
 * Files with the same content are one file to the store: both sides read each content once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine/scan.js';
import { loadRules } from '../../src/engine/rules.js';
import type { Alert } from '../../src/engine/alert.js';
import { listEventFiles } from '../../src/events/read.js';
import { openDb } from '../../src/store/db.js';
import { fileHash, ingest } from '../../src/store/duckdb/ingest.js';
import { hunt } from '../../src/store/duckdb/hunt.js';
import { requireShared } from '../helpers/shared.js';
import { correlationLines } from '../helpers/correlation-diff.js';
import { sigmaRuleDirs } from '../support/regression.js';

const base = (name: string, logsource: string, selection: string): string =>
  `title: ${name}\nid: 00000000-0000-4000-9000-${String(name.length).padStart(4, '0')}${Buffer.from(name).toString('hex').slice(0, 8).padEnd(8, '0')}\nname: ${name}\nlogsource: ${logsource}\ndetection:\n  s: ${selection}\n  condition: s\nlevel: low\n`;

function correlations(securityIds: string[]): string {
  const c = (title: string, body: string): string => `title: ${title}\nlevel: high\ncorrelation:\n${body}`;
  return [
    base('proc', '{product: windows, category: process_creation}', '{Image|contains: "\\\\"}'),
    base('net', '{product: windows, category: network_connection}', '{Initiated: "true"}'),
    base('logon_ok', '{product: windows, service: security}', '{EventID: 4624}'),
    base('logon_fail', '{product: windows, service: security}', '{EventID: 4625}'),
    base('psh', '{product: windows, category: ps_script}', '{ScriptBlockText|contains: "-"}'),
    c('corpus security rules per computer', `  type: event_count\n  rules: [${securityIds.join(', ')}]\n  group-by: [Computer]\n  timespan: 1h\n  condition: {gte: 2}\n  generate: true\n`),
    c('process burst', '  type: event_count\n  rules: [proc]\n  group-by: [Computer, User]\n  timespan: 5m\n  condition: {gte: 5}\n  generate: true\n'),
    c('few failures', '  type: event_count\n  rules: [logon_fail]\n  group-by: [TargetUserName]\n  timespan: 10m\n  condition: {lt: 3}\n'),
    c('many images', '  type: value_count\n  rules: [proc]\n  group-by: [Computer]\n  timespan: 10m\n  condition: {field: Image, gte: 4}\n  generate: true\n'),
    c('spray', '  type: value_count\n  rules: [logon_fail, logon_ok]\n  group-by: [IpAddress]\n  timespan: 1h\n  condition: {field: TargetUserName, gte: 2}\n'),
    c('ports', '  type: value_sum\n  rules: [net]\n  group-by: [Image]\n  timespan: 1h\n  condition: {field: DestinationPort, gt: 1000}\n  generate: true\n'),
    c('low pids', '  type: value_avg\n  rules: [proc]\n  group-by: [Computer]\n  timespan: 1h\n  condition: {field: ProcessId, lt: 3000}\n  generate: true\n'),
    c('rare image', '  type: value_percentile\n  rules: [proc]\n  group-by: [Computer]\n  timespan: 1d\n  condition: {field: Image, lte: 5}\n  generate: true\n'),
    c('process and connection', '  type: temporal\n  rules: [proc, net, psh]\n  group-by: [Computer]\n  timespan: 5m\n  condition: {gte: 2}\n  generate: true\n'),
    c('process then connection', '  type: temporal_ordered\n  rules: [proc, net]\n  group-by: [Image]\n  timespan: 10m\n  generate: true\n'),
    `title: logon then process\nid: 00000000-0000-4000-9000-00000000c0c0\nname: logon_then_process\nlevel: high\ncorrelation:\n  type: temporal_ordered\n  rules: [logon_ok, proc]\n  group-by: [host]\n  aliases:\n    host:\n      logon_ok: Computer\n      proc: Computer\n  timespan: 1h\n  generate: true\n`,
    c('repeated logon then process', '  type: event_count\n  rules: [logon_then_process]\n  group-by: [host]\n  timespan: 1d\n  condition: {gte: 2}\n'),
  ].join('---\n');
}

test('hunt (DuckDB) raises scan\'s correlation alerts on EVTX-ATTACK-SAMPLES and the regression data', async (t) => {
  const shared = requireShared(t, 'the correlation differential');
  if (!shared) return;
  const corpus = loadRules(sigmaRuleDirs(shared));
  t.diagnostic(`correlation rules in the Sigma corpus: ${corpus.correlations.length}`);
  const security = join(shared, 'corpora', 'sigma', 'rules', 'windows', 'builtin', 'security');
  const securityIds = loadRules([security]).detections.map((r) => r.id);
  assert.ok(securityIds.length > 100, `corpus Security rules: ${securityIds.length}`);

  // Each content once, as the store keeps it (the first file of a content hash).
  const { files } = listEventFiles([join(shared, 'conformance', 'sigma-regression'), join(shared, 'evtx')], () => {});
  const seen = new Set<string>();
  const inputs: string[] = [];
  for (const f of files) {
    const h = await fileHash(f);
    if (!seen.has(h)) inputs.push(f);
    seen.add(h);
  }
  const dir = mkdtempSync(join(tmpdir(), 'detectory-corrcorpus-'));
  const db = await openDb(':memory:');
  try {
    const mine = join(dir, 'correlations.yml');
    writeFileSync(mine, correlations(securityIds));
    const rulePaths = corpus.correlations.length ? [...sigmaRuleDirs(shared), mine] : [security, mine];
    const fromScan: Alert[] = [];
    await scan({ rulePaths, eventPaths: inputs, threads: 1, onAlert: (a) => fromScan.push(a), onProblem: () => {} });
    const ing = await ingest(db.conn, inputs);
    assert.equal(ing.failed, 0);
    const fromHunt: Alert[] = [];
    const skipped: string[] = [];
    const rules = loadRules(rulePaths);
    await hunt(db.conn, rules, { onAlert: (a) => fromHunt.push(a), onSkip: (r, reason, m) => { if (reason !== 'not-windows-logsource') skipped.push(`${r.title}: ${reason}: ${m}`); } });
    assert.deepEqual(skipped, [], 'every rule runs as SQL');
    const scanLines = correlationLines(fromScan);
    const huntLines = correlationLines(fromHunt);
    const perRule = new Map<string, number>();
    for (const a of fromScan) if (a.rule.type === 'correlation') perRule.set(a.rule.title, (perRule.get(a.rule.title) ?? 0) + 1);
    t.diagnostic(`correlations run: ${rules.correlations.length}; scan alerts per correlation: ${JSON.stringify(Object.fromEntries(perRule))}`);
    assert.equal(perRule.size, rules.correlations.length, 'every correlation fires on these events (a test that can fail)');
    assert.deepEqual(huntLines.filter((l) => !scanLines.includes(l)), [], 'hunt raises no alert scan does not');
    assert.deepEqual(scanLines.filter((l) => !huntLines.includes(l)), [], 'scan raises no alert hunt does not');
    assert.equal(huntLines.length, scanLines.length);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
