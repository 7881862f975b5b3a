/**
 * What a user reads from `hunt` is the same text on either store, in every output format: the
 * project's example events and rules ingested into DuckDB and into a 2-shard ClickHouse cluster, then
 * hunted with --format jsonl, csv and table. The differential tests compare (rule, event) sets; this
 * one compares the printed text of each alert (fields, `matched`, quoting, time text), and the rows
 * against `scan`'s for the same events. It found hunt's `matched` showing fields only a filter reads
 * and missing a field its logsource variant renames (Image is NewProcessName on Security 4688),
 * and hunt's `matched` without the keywords scan lists (matched.keywords).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/cli/paths.js';
import { cli } from '../../helpers/cli.js';
import { clusterAndDir, requireCluster } from '../../helpers/clickhouse.js';

const events = join(PACKAGE_ROOT, 'examples', 'events', 'workstation.jsonl');
const rules = join(PACKAGE_ROOT, 'examples', 'rules');
const ctx = clusterAndDir('detectory-hunt-formats-');

test('hunt prints the same bytes from DuckDB and from ClickHouse in jsonl, csv and table, and scan\'s rows', async (t) => {
  if (!requireCluster(t, ctx.cluster)) return;
  const duck = `duckdb:${join(ctx.dir, 'e.duckdb')}`;
  for (const store of [duck, ctx.cluster!.url]) {
    const r = cli(['ingest', events, '--store', store]);
    assert.equal(r.status, 0, r.stderr);
  }
  // hunt prints each batch of rules as it finishes: the order of the alerts is the store's, the text of each is not
  const head = (format: string): number => (format === 'jsonl' ? 0 : format === 'csv' ? 1 : 2);
  const split = (x: string, format: string): { header: string[]; rows: string[] } => {
    const lines = x.trimEnd().split('\n');
    return { header: lines.slice(0, head(format)), rows: lines.slice(head(format)).sort() };
  };
  for (const format of ['jsonl', 'csv', 'table']) {
    const d = cli(['hunt', '--store', duck, '--rules', rules, '--format', format]);
    const c = cli(['hunt', '--store', ctx.cluster!.url, '--rules', rules, '--format', format]);
    const s = cli(['scan', events, '--rules', rules, '--format', format]);
    for (const r of [d, c, s]) assert.equal(r.status, 0, r.stderr);
    const [dd, cc, ss] = [split(d.stdout, format), split(c.stdout, format), split(s.stdout, format)];
    assert.ok(dd.rows.length >= 6, `${format}: the examples give alerts\n${d.stdout}`);
    assert.deepEqual(cc, dd, `${format}: ClickHouse and DuckDB print different text`);
    // the table's last lines are the run's footer (events, seconds...): only its rows are compared
    if (format === 'table') continue;
    assert.ok(ss.rows.some((r) => r.includes(format === 'csv' ? '""keywords"":[' : '"keywords":[')), 'the examples have a keyword rule that fires');
    assert.deepEqual(ss, dd, `${format}: hunt and scan print different text`);
  }
});
