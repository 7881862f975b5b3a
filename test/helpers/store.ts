/** Events through the real store (ingest into DuckDB, rules as SQL) next to the real engine, for differential tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rule } from '../../src/model/index.js';
import { openDb } from '../../src/store/db.js';
import { ingest } from '../../src/store/duckdb/ingest.js';
import { hunt } from '../../src/store/duckdb/hunt.js';
import { Matcher } from '../../src/engine/matcher.js';
import { flattenEvent } from '../../src/events/normalize.js';

export interface Verdicts {
  /** "ruleId#recordId" per alert of the SQL path. */
  sql: Set<string>;
  /** The same from the compiled matcher. */
  engine: Set<string>;
  skipped: string[];
}

/** Events (evtx_dump-shaped, EventRecordID set) ingested from a .jsonl file; every rule run both ways. */
export async function bothWays(rules: Rule[], events: Array<Record<string, unknown>>): Promise<Verdicts> {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-store-'));
  try {
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const db = await openDb(':memory:');
    const sql = new Set<string>();
    const skipped: string[] = [];
    try {
      const s = await ingest(db.conn, [file]);
      if (s.events !== events.length) throw new Error(`ingested ${s.events} of ${events.length} events`);
      await hunt(db.conn, { detections: rules, correlations: [], filters: [], elastic: [], problems: [], files: 0 }, {
        onAlert: (a) => sql.add(`${a.rule.id}#${a.event.record_id}`),
        onSkip: (r, reason, message) => skipped.push(`${r.id}: ${reason}: ${message}`),
      });
    } finally {
      db.close();
    }
    const engine = new Set<string>();
    const m = new Matcher(rules);
    for (const e of events) {
      const ev = flattenEvent({ file, event: e, recordId: Number((e.System as Record<string, unknown>).EventRecordID) });
      for (const v of m.match(ev)) engine.add(`${v.rule.id}#${ev.record.recordId}`);
    }
    return { sql, engine, skipped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
