/**
 * hunt's `matched` is scan's for fields that hold several values (test/helpers/list-fields.ts):
 * the whole list, as scan shows it, on DuckDB, through the CLI (streamed statements, values
 * grouped per combination) and in process on every statement path (grouped or per event, batches
 * of many rules or of one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { alertRows, cli } from '../helpers/cli.js';
import { testTempDir } from '../helpers/temp-dir.js';
import { LIST_EXPECTED, listSummary, writeListFixture } from '../helpers/list-fields.js';
import { loadRules } from '../../src/engine/rules.js';
import type { Alert } from '../../src/engine/alert.js';
import { runHunt } from '../../src/store/hunt-loop.js';
import { duckdbDialect } from '../../src/store/duckdb/hunt.js';
import { openDb } from '../../src/store/db.js';
import { spreadEventTexts } from '../../src/store/duckdb/batch-rows.js';
import { decodeListShown, encodeListShown } from '../../src/store/list-shown.js';

test('a list field\'s text reads back as the value it was written from', () => {
  for (const v of ['', 'S', 'L', 'a\\nb', 'x\n', ['', 'a', '\\', '\\n', '\n', 'L\nS\\'], [], ['']]) {
    assert.deepEqual(decodeListShown(encodeListShown(v)), v);
  }
  assert.throws(() => decodeListShown('Labc'), /ends inside a value/);
  assert.throws(() => decodeListShown('x'), /neither single nor a list/);
});

test('hunt on DuckDB shows list fields as scan does, on every statement path', async (t) => {
  const dir = testTempDir(t, 'detectory-hunt-lists-');
  const { events, rules } = writeListFixture(dir);
  const dbPath = join(dir, 'e.duckdb');
  const ing = cli(['ingest', events, '--store', `duckdb:${dbPath}`]);
  assert.equal(ing.status, 0, ing.stderr);

  const rows = (args: string[]): string[] => alertRows(args, rules);
  const scan = rows(['scan', events]);
  assert.deepEqual(listSummary(scan.map((l) => JSON.parse(l) as Alert)), LIST_EXPECTED, 'scan shows every value of a list field');
  assert.deepEqual(rows(['hunt', '--store', `duckdb:${dbPath}`]), scan, 'hunt prints scan\'s rows');

  const set = loadRules([rules]);
  const db = await openDb(dbPath, { readOnly: true });
  try {
    for (const dedup of [true, false]) {
      for (const batchSize of [undefined, 1]) {
        const alerts: Alert[] = [];
        const dialect = duckdbDialect(db.conn, { dedup });
        await runHunt({ ...dialect, stream: undefined }, async (sql) => (await db.conn.runAndReadAll(sql)).getRowObjectsJson().map(spreadEventTexts), set, {
          batchSize,
          onAlert: (a) => alerts.push(a),
          onSkip: (_r, reason, message) => { throw new Error(`${reason}: ${message}`); },
        });
        assert.deepEqual(listSummary(alerts), LIST_EXPECTED, `DuckDB, dedup ${dedup}, batch size ${batchSize ?? 'default'}`);
      }
    }
  } finally {
    db.close();
  }
});
