/** `convert --to duckdb` of a correlation rule: one query over the rules it names, returning scan's alerts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAnyRules } from '../../src/convert/read-rules.js';
import { convertRule } from '../../src/convert/targets.js';
import { openDb } from '../../src/store/db.js';
import { ingest } from '../../src/store/duckdb/ingest.js';
import { correlationAlert } from '../../src/backends/sql-correlation/alert-row.js';
import { correlationLines, scanAndHunt } from '../helpers/correlation-diff.js';
import { cli, EXAMPLES } from '../helpers/cli.js';

const rulesDir = join(EXAMPLES, 'rules');
const events = join(EXAMPLES, 'events');

test('the bundled correlation converts to DuckDB SQL whose rows are scan\'s alerts', async () => {
  const { rules } = readAnyRules([rulesDir]);
  const corr = rules.find((r) => r.type === 'correlation')!;
  const c = convertRule(corr, 'duckdb', { rules });
  assert.equal(c.status, 'converted', JSON.stringify(c));
  assert.ok('text' in c);
  const db = await openDb(':memory:');
  try {
    await ingest(db.conn, [events]);
    const rows = (await db.conn.runAndReadAll(c.text.replace(/;$/, ''))).getRowObjectsJson() as Array<Record<string, unknown>>;
    const both = await scanAndHunt([rulesDir], [events]);
    const fromScan = correlationLines(both.scan);
    assert.equal(fromScan.length, 1, 'scan raises the bundled correlation once');
    assert.deepEqual(correlationLines(rows.map((r) => correlationAlert(corr, r))), fromScan);
    assert.deepEqual(correlationLines(both.hunt), fromScan, 'hunt raises it too');
  } finally {
    db.close();
  }
});

test('a correlation naming a rule not converted with it, or converted to another target, is not convertible with the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-convcorr-'));
  try {
    const f = join(dir, 'c.yml');
    writeFileSync(f, 'title: lonely\ncorrelation:\n  type: event_count\n  rules: [no_such_rule]\n  group-by: [User]\n  timespan: 1h\n  condition: {gte: 2}\n');
    const { rules } = readAnyRules([f]);
    const c = convertRule(rules[0], 'duckdb', { rules });
    assert.equal(c.status, 'not-convertible');
    assert.match(c.reasons[0], /no_such_rule/);
    assert.equal(convertRule(rules[0], 'kql', { rules }).status, 'not-convertible');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('detectory convert --to duckdb prints the correlation\'s query', () => {
  const r = cli(['convert', rulesDir, '--to', 'duckdb', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const reports = r.stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { status: string; title: string });
  const corr = reports.find((x) => /Password Guessing/.test(x.title));
  assert.equal(corr?.status, 'converted');
  assert.match(r.stdout, /list_reduce/);
});
