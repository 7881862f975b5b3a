/**
 * hunt's `matched` lists every field scan's does: a rule whose positive tests read more fields than
 * a statement was once cut to (32) still shows all of them, values and order as scan prints them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertRows, cli } from '../helpers/cli.js';
import { testTempDir } from '../helpers/temp-dir.js';
import type { Alert } from '../../src/engine/alert.js';

const FIELDS = 40;

test('hunt on DuckDB shows all of a rule\'s matched fields, as scan does (more than 32)', (t) => {
  const dir = testTempDir(t, 'detectory-hunt-shown-');
  const names = Array.from({ length: FIELDS }, (_, i) => `Field${String(i).padStart(2, '0')}`);
  const event = { Event: {
    System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 1, EventRecordID: 7, Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'host', TimeCreated: { '#attributes': { SystemTime: '2026-01-01T00:00:00.0000000Z' } } },
    EventData: Object.fromEntries(names.map((n, i) => [n, `value ${i}`])),
  } };
  const events = join(dir, 'events.jsonl');
  writeFileSync(events, `${JSON.stringify(event)}\n`);
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  writeFileSync(join(rules, 'many-fields.yml'), [
    'title: Many fields',
    'id: 6f1b2c3d-0000-4000-8000-000000000040',
    'status: test',
    'logsource: {product: windows, service: sysmon}',
    'detection:',
    '  selection:',
    ...names.map((n, i) => `    ${n}|endswith: ' ${i}'`),
    '  condition: selection',
    'level: high',
    '',
  ].join('\n'));
  const db = join(dir, 'e.duckdb');
  const ing = cli(['ingest', events, '--store', `duckdb:${db}`]);
  assert.equal(ing.status, 0, ing.stderr);
  const scan = alertRows(['scan', events], rules);
  assert.equal(scan.length, 1, 'the rule fires on the event');
  const matched = (JSON.parse(scan[0]) as Alert).matched;
  assert.deepEqual(Object.keys(matched), names, 'scan shows every field the rule reads');
  assert.deepEqual(alertRows(['hunt', '--store', `duckdb:${db}`], rules), scan, 'hunt prints scan\'s row');
});
