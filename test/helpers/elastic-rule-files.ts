/**
 * A small folder of Elastic rule files for rule-cache and worker tests: a KQL rule and an EQL
 * sequence that fire on test/engine/eql/fixtures/scan-seed003-positive.jsonl, a threshold rule, an
 * EQL rule the engine refuses (a skip) and a file that is not TOML (a problem).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';

/** Events the KQL rule (record 11) and the sequence (records 10, 11) fire on. */
export const ELASTIC_EVENTS = join(PACKAGE_ROOT, 'test', 'engine', 'eql', 'fixtures', 'scan-seed003-positive.jsonl');

export const KQL_RULE_FILE = 'kql.toml';
export const KQL_RULE_ID = 'kql-wmi-powershell';

export function elasticRuleToml(id: string, name: string, body: string): string {
  return `[metadata]\ncreation_date = "2026/01/01"\nmaturity = "production"\n\n[rule]\nauthor = ["t"]\ndescription = "a long description the scan does not keep"\nname = "${name}"\nrisk_score = 21\nrule_id = "${id}"\nseverity = "low"\ntags = ["OS: Windows"]\nnote = "an investigation guide"\nreferences = ["https://example.org"]\n${body}\n`;
}

export function kqlRuleToml(name: string): string {
  return elasticRuleToml(KQL_RULE_ID, name, `type = "query"\nlanguage = "kuery"\nindex = ["logs-windows.sysmon_operational-*", "winlogbeat-*"]\nquery = '''\nprocess.parent.name : "WmiPrvSE.exe" and process.name : "powershell.exe"\n'''`);
}

/** Writes the rule files into `dir`. */
export function writeElasticRules(dir: string): void {
  writeFileSync(join(dir, KQL_RULE_FILE), kqlRuleToml('WMI child PowerShell'));
  writeFileSync(join(dir, 'sequence.toml'), elasticRuleToml('eql-seq', 'Library load then WMI child', `type = "eql"\nlanguage = "eql"\nindex = ["logs-windows.sysmon_operational-*", "winlogbeat-*"]\nquery = '''\nsequence by host.id with maxspan = 5s\n  [library where dll.name : "wmiutils.dll"]\n  [process where process.parent.name : "WmiPrvSE.exe"]\n'''`));
  writeFileSync(join(dir, 'threshold.toml'), elasticRuleToml('th-rule', 'Many failed logons', 'type = "threshold"\nlanguage = "kuery"\nquery = "event.code : 4625"\n[rule.threshold]\nfield = ["user.name"]\nvalue = 5'));
  writeFileSync(join(dir, 'bad-eql.toml'), elasticRuleToml('bad-eql', 'Bad EQL', 'type = "eql"\nlanguage = "eql"\nquery = "process where nosuch(process.name)"'));
  writeFileSync(join(dir, 'broken.toml'), '[rule\nname = ');
}
