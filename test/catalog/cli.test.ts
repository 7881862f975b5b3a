import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, write } from './fixtures.js';

/** Runs the CLI; returns exit code, stdout, stderr. */
function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/detectory.js', ...args], { encoding: 'utf8', env: { ...process.env, DETECTORY_DB: '' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const SIGMA = `title: Test Pubprn
id: 11111111-1111-1111-1111-111111111111
status: test
tags:
    - attack.defense-evasion
    - attack.t1216.001
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\cscript.exe'
        CommandLine|contains: '\\pubprn.vbs'
    filter:
        ParentImage|startswith: 'C:\\Program Files\\'
    condition: selection and not filter
level: medium
`;

const ELASTIC = (id: string, type: string, query: string): string => `[metadata]
creation_date = "2024/01/01"
maturity = "production"

[rule]
author = ["Test"]
description = "test"
name = "Test Elastic ${id}"
risk_score = 21
rule_id = "${id}"
severity = "low"
tags = ["OS: Windows"]
type = "${type}"
language = "eql"
query = '''
${query}
'''

[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "T1216"
name = "System Script Proxy Execution"
reference = "https://attack.mitre.org/techniques/T1216/"
[rule.threat.tactic]
id = "TA0005"
name = "Defense Evasion"
reference = "https://attack.mitre.org/tactics/TA0005/"
`;

const SPLUNK = `name: Test Splunk T1216
id: 55555555-5555-5555-5555-555555555555
version: 1
date: '2024-01-01'
author: Test
status: production
type: TTP
description: test
data_source:
- Sysmon EventID 1
search: '| tstats count from datamodel=Endpoint.Processes where Processes.process_name IN ("wscript.exe","cscript.exe") Processes.process="*pubprn.vbs*" by Processes.dest | \`test_filter\`'
tags:
  analytic_story:
  - Test
  asset_type: Endpoint
  mitre_attack_id:
  - T1216
  product:
  - Splunk Enterprise
  security_domain: endpoint
`;

const GOOD_EQL = 'process where host.os.type == "windows" and process.name : ("cscript.exe", "wscript.exe") and\n  process.command_line : "*pubprn.vbs*" and not ?dll.name : "x.dll"';

test('CLI: catalog build over bad input records problems and finishes; stats, guide, rule; exit codes', () => {
  const dir = tempDir();
  try {
    write(join(dir, 'sigma/good.yml'), SIGMA);
    write(join(dir, 'sigma/broken.yml'), 'title: Broken\ndetection:\n  selection:\n    Image: [unclosed\n');
    write(join(dir, 'elastic/good.toml'), ELASTIC('e-good', 'eql', GOOD_EQL));
    write(join(dir, 'elastic/broken.toml'), '[rule\nname = "x"\n');
    write(join(dir, 'elastic/unknown_type.toml'), ELASTIC('e-unknown', 'quantum', GOOD_EQL));
    write(join(dir, 'elastic/bad_query.toml'), ELASTIC('e-badquery', 'eql', 'process where host.os.type === (('));
    write(join(dir, 'splunk/detections/good.yml'), SPLUNK);
    write(join(dir, 'splunk/macros/test_filter.yml'), 'definition: search *\ndescription: test\nname: test_filter\n');
    const db = join(dir, 'c.duckdb');

    const b = cli('catalog', 'build', '--sigma', join(dir, 'sigma'), '--elastic', join(dir, 'elastic'), '--splunk', join(dir, 'splunk'), '--db', db);
    assert.equal(b.code, 0, b.err);
    assert.match(b.out, /7 files .* 7 rules: 3 parsed, 2 partial, 2 failed; 4 parse problems/);

    const s = JSON.parse(cli('catalog', 'stats', '--db', db, '--json').out) as { reasons: Array<{ reason: string }> };
    assert.deepEqual(s.reasons.map((r) => r.reason).sort(), ['query-parse', 'toml-parse', 'unknown-rule-type', 'yaml']);
    const text = cli('catalog', 'stats', '--db', db);
    assert.equal(text.code, 0);
    assert.match(text.out, /Parse problems by reason/);

    const g = JSON.parse(cli('guide', 'T1216', '--json', '--db', db).out) as {
      rules: { total: number; by_vendor: Record<string, number>; list: Array<{ id: string; subtechniques: string[] }> };
      fields: Array<{ field: string; vendor_fields: Record<string, string[]>; rules: number }>;
      indicators: Array<{ field: string; op: string; value: string; rules: number; corpus_reach: number }>;
      exclusions: Array<{ field: string; op: string; value: string; rules: number }>;
    };
    // the three partial/unknown Elastic rules are tagged too: listed, without predicates
    assert.deepEqual(g.rules.by_vendor, { sigma: 1, elastic: 3, splunk: 1 });
    assert.deepEqual(g.rules.list.find((r) => r.id === '11111111-1111-1111-1111-111111111111')?.subtechniques, ['T1216.001']);
    const cscript = g.indicators.find((i) => i.field === 'Image' && i.value === '\\cscript.exe');
    assert.deepEqual(cscript && [cscript.op, cscript.rules, cscript.corpus_reach], ['ends_with', 3, 3]);
    const image = g.fields.find((f) => f.field === 'Image')!;
    assert.deepEqual(image.vendor_fields, { elastic: ['process.name'], sigma: ['Image'], splunk: ['Processes.process_name'] });
    assert.deepEqual(g.exclusions.map((e) => [e.field, e.op, e.value]).sort(), [['ImageLoaded', 'ends_with', '\\x.dll'], ['ParentImage', 'starts_with', 'c:\\program files\\']]);

    const r = cli('rule', 'e-good', '--db', db, '--json');
    assert.equal(r.code, 0);
    const rule = (JSON.parse(r.out) as { rules: Array<{ predicates: Array<{ field: string; vendor_field: string; authored_value: string; exclusion: boolean }> }> }).rules[0];
    assert.ok(rule.predicates.some((p) => p.field === 'ImageLoaded' && p.vendor_field === 'dll.name' && p.authored_value === 'x.dll' && p.exclusion));
    assert.match(cli('rule', 'good.yml', '--db', db).out, /Test Pubprn/);

    // exit codes: unknown rule 3, not a technique 2, no database 3, missing folder 3 (the rest is still built), no folders 2
    assert.equal(cli('rule', 'nope', '--db', db).code, 3);
    assert.equal(cli('guide', 'X1', '--db', db).code, 2);
    const none = cli('guide', 'T1216', '--db', join(dir, 'none.duckdb'));
    assert.equal(none.code, 3);
    assert.match(none.err, /no catalog database/);
    const missing = cli('catalog', 'build', '--sigma', join(dir, 'nope'), '--sigma', join(dir, 'sigma'), '--db', db);
    assert.equal(missing.code, 3);
    assert.match(missing.out, /2 rules/);
    assert.equal(cli('catalog', 'build', '--db', db).code, 2);
    assert.match(cli('catalog', 'build', '--help').out, /--attack <file>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
