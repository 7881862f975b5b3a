/**
 * Correlations run from a sorted hit stream (store/clickhouse/streamed-correlation.ts), no server:
 * hits given as the rows ClickHouse would return (sorted by group, then time), cut into chunks of
 * every size, give the alerts scan's engine (runCorrelations) raises for the same hits; aliases and
 * rules named by `name` included. The real-server checks are in test/backends/sql-correlation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../../src/engine/rules.js';
import { runCorrelations, type Hit } from '../../../src/engine/correlation.js';
import type { Rule } from '../../../src/model/index.js';
import { planCorrelation } from '../../../src/backends/sql-correlation/plan.js';
import { correlationAlert } from '../../../src/backends/sql-correlation/alert-row.js';
import { streamedCorrelation, type RowStream } from '../../../src/store/clickhouse/streamed-correlation.js';
import { correlationLines } from '../../helpers/correlation-diff.js';

const RULES = `title: proc
id: 00000000-0000-4000-a000-0000000000a1
name: proc
logsource: {product: windows, category: process_creation}
detection:
  s: {Image|contains: x}
  condition: s
---
title: net
id: 00000000-0000-4000-a000-0000000000a2
name: net
logsource: {product: windows, category: network_connection}
detection:
  s: {Image|contains: x}
  condition: s
---
title: many images
level: high
correlation:
  type: value_count
  rules: [proc]
  group-by: [Computer]
  timespan: 30s
  condition: {field: Image, gte: 3}
---
title: rare image
level: high
correlation:
  type: value_percentile
  rules: [proc]
  group-by: [Computer]
  timespan: 1m
  condition: {field: Image, lte: 30}
---
title: proc and net on a host
level: high
correlation:
  type: temporal
  rules: [proc, net]
  group-by: [host]
  aliases:
    host:
      proc: Computer
      net: Workstation
  timespan: 20s
`;

/** A seeded pseudo-random sequence (tests are repeatable). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('the hit stream gives runCorrelations\' alerts, whatever the chunk size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-streamcorr-'));
  try {
    writeFileSync(join(dir, 'rules.yml'), RULES);
    const rules = loadRules([join(dir, 'rules.yml')]);
    assert.equal(rules.correlations.length, 3);
    const byName = (n: string): Rule => rules.detections.find((r) => r.extra.name === n)!;
    const bases = rules.detections.map((rule) => ({ rule, where: '1' }));
    const next = rng(7);
    // Distinct times (scan and the stream order ties differently: README.md), 3 hosts, 5 images.
    const hits: Hit[] = [];
    for (let i = 0; i < 400; i++) {
      const proc = next() < 0.7;
      const host = `h${Math.floor(next() * 3)}`;
      const image = `C:\\x${Math.floor(next() * next() * 5)}.exe`;
      const fields: Record<string, string> = proc ? { Computer: host, Image: image } : { Workstation: host, Image: image };
      const rule = byName(proc ? 'proc' : 'net');
      hits.push({ ruleId: rule.id, ruleName: String(rule.extra.name), time: 1_700_000_000_000 + i * 1000 + Math.floor(next() * 900), fields,
        event: { file: 'f.evtx', record_id: i, timestamp: null, computer: host, channel: 'c', event_id: proc ? 1 : 3 } });
    }
    const expected = runCorrelations(rules.correlations, hits).alerts;
    let compared = 0;
    for (const c of rules.correlations) {
      const p = planCorrelation(c, bases, rules.correlations);
      assert.ok('plan' in p);
      const { plan } = p;
      // The rows ClickHouse returns: one per hit of a source, sorted by group then time.
      const rows = hits.flatMap((h) => {
        const si = plan.sources.findIndex((s) => s.rule.id === h.ruleId);
        if (si < 0) return [];
        const s = plan.sources[si];
        return [{ g: s.groupFields.map((f) => h.fields[f] ?? null), t: String(h.time), si, v: s.valueField === null ? '' : h.fields[s.valueField] ?? null,
          file: h.event.file, seq: h.event.record_id, record_id: h.event.record_id, timestamp: null, computer: h.event.computer, channel: 'c', event_id: h.event.event_id }];
      }).sort((a, b) => JSON.stringify(a.g).localeCompare(JSON.stringify(b.g)) || Number(a.t) - Number(b.t));
      const want = correlationLines(expected.filter((a) => a.rule.id === c.id));
      assert.ok(want.length > 3, `${c.title}: scan fires (${want.length})`);
      compared += want.length;
      for (const size of [1, 7, rows.length]) {
        const stream: RowStream = async (_sql, onRows) => {
          for (let i = 0; i < rows.length; i += size) onRows(rows.slice(i, i + size));
        };
        const out = await streamedCorrelation(plan, 'unused', stream);
        assert.deepEqual(correlationLines(out.map((r) => correlationAlert(c, r))), want, `${c.title}, chunks of ${size}`);
      }
    }
    assert.ok(compared > 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
