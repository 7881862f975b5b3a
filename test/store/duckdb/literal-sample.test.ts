/**
 * The hunt's literal frequencies (store/duckdb/literal-sample.ts) are the same from run to run on
 * a store read by several threads, and the connection's thread setting is left as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../../../src/store/db.js';
import { createEventTables } from '../../../src/store/duckdb/ingest.js';
import { sampleFrequency } from '../../../src/store/duckdb/literal-sample.js';
import { PROMOTED_FIELDS, loweredSql, promotedColumn } from '../../../src/store/duckdb/promoted-fields.js';

test('literal frequencies are estimated the same on every run with several threads, and the thread setting is restored', async () => {
  const db = await openDb(':memory:');
  try {
    await createEventTables(db.conn);
    await db.conn.run('SET threads = 4');
    const field = PROMOTED_FIELDS[0];
    const column = promotedColumn(field)!;
    const lowered = loweredSql(column);
    // 400,000 events over several row groups (the sample is about 40,000 rows of them): values that vary along the table.
    const value = "'cmd ' || (i % 5003)::VARCHAR || CASE WHEN i % 7 = 0 THEN ' -enc' ELSE '' END || CASE WHEN i > 200000 THEN ' late' ELSE '' END";
    const columns = lowered === `lower(${column})` ? [column] : [column, lowered];
    await db.conn.run(`INSERT INTO events (file, file_hash, seq, ${columns.join(', ')}) SELECT 'f', 'h', i, ${columns.map(() => value).join(', ')} FROM range(400000) t(i)`);
    const literals = ['-enc', 'late', ...Array.from({ length: 10 }, (_, d) => String(d)), '12', '99', '500'];
    const estimates: number[][] = [];
    for (let run = 0; run < 5; run++) {
      const f = await sampleFrequency(db.conn);
      estimates.push(literals.map((literal) => f({ column: lowered, literal })));
    }
    assert.ok(estimates[0].some((x) => x > 0 && x < 1), `the sample saw the column: ${estimates[0].join(' ')}`);
    for (const e of estimates.slice(1)) assert.deepEqual(e, estimates[0]);
    const [{ t }] = (await db.conn.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJson();
    assert.equal(Number(t), 4);
  } finally {
    db.close();
  }
});
