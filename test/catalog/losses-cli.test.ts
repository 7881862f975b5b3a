/**
 * Issue 9 end to end with the real Splunk parser: a rule with a join subsearch and a condition the
 * lowering cannot read is `partial`; `detectory rule` (text and --json) lists its lost conditions;
 * `catalog stats` (text and --json) counts them by reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { tempDir, write } from './fixtures.js';

const RULE = `name: Join and computed
id: 0b5e0a8c-0000-4000-8000-000000000009
type: TTP
description: test
search: '\`sysmon\` EventCode=1 process_name=gpupdate.exe | join process_id [| tstats count FROM datamodel=Network_Traffic.All_Traffic where All_Traffic.dest_port != 0 by All_Traffic.process_id | rename All_Traffic.process_id as process_id] | where NOT new_ace IN (old_values) | \`join_and_computed_filter\`'
tags:
  mitre_attack_id:
  - T1484
`;

test('CLI: rule and catalog stats show the conditions a partial rule lost', () => {
  const dir = tempDir();
  try {
    const splunk = join(dir, 'splunk');
    write(join(splunk, 'detections', 'endpoint', 'join_and_computed.yml'), RULE);
    write(join(splunk, 'macros', 'sysmon.yml'), 'name: sysmon\ndefinition: sourcetype=XmlWinEventLog:Microsoft-Windows-Sysmon/Operational\n');
    const db = join(dir, 'c.duckdb');
    const b = cli(['catalog', 'build', '--splunk', splunk, '--db', db]);
    assert.equal(b.status, 0, b.stderr);

    const text = cli(['rule', '0b5e0a8c-0000-4000-8000-000000000009', '--db', db]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /parse: partial \(lost: 2 condition\(s\)/);
    assert.match(text.stdout, /Conditions not in the predicates \(2\): the rule is partial/);
    assert.match(text.stdout, /- computed-comparison at \d+: new_ace IN \(old_values\)/);
    assert.match(text.stdout, /- join-subsearch at \d+: \[\| tstats count FROM datamodel=Network_Traffic/);

    const json = JSON.parse(cli(['rule', '0b5e0a8c-0000-4000-8000-000000000009', '--db', db, '--json']).stdout) as { rules: Array<{ parse_status: string; losses: Array<{ reason: string; text: string; offset: number }>; predicates: Array<{ vendor_field: string }> }> };
    const r = json.rules[0];
    assert.equal(r.parse_status, 'partial');
    assert.deepEqual(r.losses.map((l) => l.reason).sort(), ['computed-comparison', 'join-subsearch']);
    // the join's condition is a predicate (of the joined events), the unknown one is not
    assert.ok(r.predicates.some((p) => p.vendor_field === 'All_Traffic.dest_port'));

    const stats = JSON.parse(cli(['catalog', 'stats', '--db', db, '--json']).stdout) as { vendors: Array<{ parsed: number; partial: number }>; losses: Array<{ vendor: string; reason: string; losses: number; rules: number }> };
    assert.deepEqual(stats.vendors.map((v) => [v.parsed, v.partial]), [[0, 1]]);
    assert.deepEqual(stats.losses, [
      { vendor: 'splunk', reason: 'computed-comparison', losses: 1, rules: 1 },
      { vendor: 'splunk', reason: 'join-subsearch', losses: 1, rules: 1 },
    ]);
    const statsText = cli(['catalog', 'stats', '--db', db]).stdout;
    assert.match(statsText, /Conditions not in the predicates, by reason/);
    assert.match(statsText, /splunk\s+join-subsearch\s+1\s+1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
