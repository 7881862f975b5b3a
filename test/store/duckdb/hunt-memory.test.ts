/**
 * Hunt streams its alerts: the memory of the hunting process must not grow with their number.
 * One store holds 4N events with a long command line each; one rule matches N of them, another
 * all 4N. Each hunt runs in a child process that reports its peak JS heap (sampled as alerts
 * every 1000 alerts, after a garbage collection) above the heap before the hunt. The 4N hunt may not need much more than the N hunt; the
 * same 4N hunt with its rows read whole (no stream: every alert's row held at once) is the
 * control showing the measure sees a batch held in memory. No timing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../../src/store/db.js';
import { ingest } from '../../../src/store/duckdb/ingest.js';
import { duckdbDialect } from '../../../src/store/duckdb/hunt.js';
import { runHunt } from '../../../src/store/hunt-loop.js';
import { procRule, rule, sysmon1 } from '../../helpers/sigma.js';

const N = 4000;
/** Bytes of command line per event: the 4N alerts' rows weigh about 4N x this. */
const LINE = 4096;
const MB = 1024 * 1024;

/** The heap still in use (garbage collected first: the child runs with --expose-gc). */
function live(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function child(store: string, which: 'few' | 'many', mode: 'stream' | 'whole'): Promise<void> {
  const db = await openDb(store, { readOnly: true });
  const r = rule(procRule(`  selection:\n    CommandLine|contains: '${which === 'few' ? 'alpha' : 'beta'}'\n  condition: selection`));
  const dialect = duckdbDialect(db.conn);
  const base = live();
  let peak = base;
  let alerts = 0;
  await runHunt(mode === 'stream' ? dialect : { ...dialect, stream: undefined },
    async (sql) => (await db.conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>,
    { detections: [r], correlations: [], filters: [], elastic: [], problems: [], files: 0 },
    {
      onAlert: () => {
        if (++alerts % 1000 === 0) peak = Math.max(peak, live());
      },
      onSkip: (_r, reason, message) => { throw new Error(`${reason}: ${message}`); },
    });
  db.close();
  process.stdout.write(JSON.stringify({ alerts, heapGrowth: peak - base }) + '\n');
}

function measure(store: string, which: 'few' | 'many', mode: 'stream' | 'whole'): { alerts: number; heapGrowth: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    encoding: 'utf8', env: { ...process.env, HUNT_MEMORY_CHILD: JSON.stringify([store, which, mode]) },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { alerts: number; heapGrowth: number };
}

if (process.env.HUNT_MEMORY_CHILD) {
  const [store, which, mode] = JSON.parse(process.env.HUNT_MEMORY_CHILD) as [string, 'few' | 'many', 'stream' | 'whole'];
  await child(store, which, mode);
} else {
  test('hunt memory does not grow with the number of alerts', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'detectory-hunt-memory-'));
    try {
      const lines: string[] = [];
      for (let i = 0; i < 4 * N; i++) {
        const words = `beta ${i % 4 === 0 ? 'alpha ' : ''}${i} `;
        lines.push(JSON.stringify(sysmon1({ Image: 'C:\\x.exe', CommandLine: words + 'z'.repeat(LINE - words.length) }, { EventRecordID: i + 1 })));
      }
      writeFileSync(join(dir, 'events.jsonl'), lines.join('\n') + '\n');
      const store = join(dir, 'store.duckdb');
      const db = await openDb(store);
      try {
        assert.equal((await ingest(db.conn, [join(dir, 'events.jsonl')])).events, 4 * N);
      } finally {
        db.close();
      }
      const few = measure(store, 'few', 'stream');
      const many = measure(store, 'many', 'stream');
      const whole = measure(store, 'many', 'whole');
      assert.equal(few.alerts, N);
      assert.equal(many.alerts, 4 * N);
      assert.equal(whole.alerts, 4 * N);
      const rows = (4 * N * LINE) / MB;
      t.diagnostic(`live heap growth: streamed ${(few.heapGrowth / MB).toFixed(1)} MB (${N} alerts), ${(many.heapGrowth / MB).toFixed(1)} MB (${4 * N}); held whole ${(whole.heapGrowth / MB).toFixed(1)} MB (${4 * N})`);
      // Streamed: 3N more alerts (about 3/4 of `rows` MB more text) add less than a third of `rows` to the heap.
      assert.ok(many.heapGrowth - few.heapGrowth < (rows / 3) * MB, `streamed: ${(few.heapGrowth / MB).toFixed(1)} MB for ${N} alerts, ${(many.heapGrowth / MB).toFixed(1)} MB for ${4 * N}`);
      // Control: the rows held whole do show in the measure.
      assert.ok(whole.heapGrowth > many.heapGrowth + (rows / 2) * MB, `held whole: ${(whole.heapGrowth / MB).toFixed(1)} MB, streamed ${(many.heapGrowth / MB).toFixed(1)} MB for ${4 * N} alerts`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
