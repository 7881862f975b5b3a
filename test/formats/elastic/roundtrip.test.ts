import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listTomlFiles } from '../../../src/formats/elastic/corpus.js';
import { parseElasticFile } from '../../../src/formats/elastic/index.js';
import type { Detection, Rule } from '../../../src/model/index.js';
import { requireShared } from '../../helpers/shared.js';
import { tuples } from './predicates.js';
import type { Tuple } from './predicates.js';

/**
 * Round trip over real corpus rules: each expectation below was written by reading the rule's TOML
 * (its query, filters and settings) and listing the predicates in tree order as
 * [field, op, values, negated, case]. Wildcard values are in the model's canonical glob form
 * (String.raw keeps the doubled backslashes of literal backslashes).
 */
interface Case {
  path: string;
  predicates: Tuple[];
  check?: (r: Rule) => void;
}

const W = String.raw;
const PS = ['start', 'process_started'];

const CASES: Case[] = [
  {
    // Seed 003: sequence, ?dll.name, `:` lists, != and the wildcard executable paths.
    path: 'rules/windows/initial_access_scripts_process_started_via_wmi.toml',
    predicates: [
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.category', 'eq', ['library', 'driver'], false, 'i'],
      ['event.category', 'eq', ['process'], false, 's'],
      ['event.action', 'starts_with', ['Image loaded'], false, 'i'],
      ['dll.name', 'eq', ['wmiutils.dll'], false, 'i'],
      ['file.name', 'eq', ['wmiutils.dll'], false, 'i'],
      ['process.name', 'eq', ['wscript.exe', 'cscript.exe'], false, 'i'],
      ['event.category', 'eq', ['process'], false, 's'],
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.type', 'eq', ['start'], false, 's'],
      ['process.parent.name', 'eq', ['wmiprvse.exe'], false, 'i'],
      ['user.domain', 'ne', ['NT AUTHORITY'], false, 's'],
      ['process.pe.original_file_name', 'eq', ['cscript.exe', 'wscript.exe', 'PowerShell.EXE', 'Cmd.Exe', 'MSHTA.EXE', 'RUNDLL32.EXE', 'REGSVR32.EXE', 'MSBuild.exe', 'InstallUtil.exe', 'RegAsm.exe', 'RegSvcs.exe', 'msxsl.exe', 'CONTROL.EXE', 'EXPLORER.EXE', 'Microsoft.Workflow.Compiler.exe', 'msiexec.exe'], false, 'i'],
      ['process.executable', 'wildcard', [W`C:\\Users\\*.exe`, W`C:\\ProgramData\\*.exe`], false, 'i'],
    ],
    check: (r) => {
      assert.deepEqual(r.techniques, ['T1566', 'T1566.001', 'T1047', 'T1059', 'T1059.005', 'T1059.007']);
      const seq = r.extra.sequence as { by: string[]; maxspan: string; maxspanMs: number; items: unknown[] };
      assert.deepEqual([seq.by, seq.maxspan, seq.maxspanMs, seq.items.length], [['host.id'], '5s', 5000, 2]);
      assert.deepEqual(r.extra.eql_optional_fields, ['dll.name']);
      assert.equal(r.detection, undefined);
      assert.deepEqual(r.sequence?.stages.map((s) => [s.category, s.missing, s.by]), [['any', false, []], ['process', false, []]]);
      assert.deepEqual([r.sequence?.by, r.sequence?.maxspanMs], [[{ text: 'host.id', optional: false }], 5000]);
    },
  },
  {
    // The Elastic rule mapped to T1216 (no rule maps a T1216 sub-technique).
    path: 'rules/windows/execution_delayed_via_ping_lolbas_unsigned.toml',
    predicates: [
      ['event.category', 'eq', ['process'], false, 's'],
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.action', 'eq', ['start'], false, 's'],
      ['process.name', 'eq', ['ping.exe'], false, 'i'],
      ['process.args', 'eq', ['-n'], false, 'i'],
      ['process.parent.name', 'eq', ['cmd.exe'], false, 'i'],
      ['user.id', 'eq', ['S-1-5-18'], true, 'i'],
      ['event.category', 'eq', ['process'], false, 's'],
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.action', 'eq', ['start'], false, 's'],
      ['process.parent.name', 'eq', ['cmd.exe'], false, 'i'],
      ['process.name', 'eq', ['rundll32.exe', 'powershell.exe', 'mshta.exe', 'msbuild.exe', 'certutil.exe', 'regsvr32.exe', 'cscript.exe', 'wscript.exe', 'wmic.exe', 'installutil.exe', 'msxsl.exe', 'Microsoft.Workflow.Compiler.exe', 'ieexec.exe', 'iexpress.exe', 'RegAsm.exe', 'RegSvcs.exe'], false, 'i'],
      ['process.executable', 'wildcard', [W`?:\\Users\\*\\AppData\\*.exe`], false, 'i'],
      ['process.code_signature.trusted', 'eq', [true], true, '-'],
      ['process.args', 'wildcard', [W`?:\\Program Files\\*`, W`?:\\Program Files (x86)\\*`], true, 'i'],
      ['process.name', 'eq', ['openssl.exe', 'httpcfg.exe', 'certutil.exe'], true, 'i'],
      ['process.parent.command_line', 'contains', ['ScreenConnectConfigurator.cmd'], true, 'i'],
      ['process.pe.original_file_name', 'eq', ['DPInst.exe'], true, 'i'],
      ['process.command_line', 'eq', ['driver\\DPInst_x64  /f '], true, 'i'],
      ['process.name', 'eq', ['powershell.exe'], true, 'i'],
      ['process.args', 'starts_with', ['Write-Host ======'], true, 'i'],
      ['process.name', 'eq', ['wscript.exe'], true, 'i'],
      ['process.args', 'eq', ['launchquiet_args.vbs'], true, 'i'],
      ['process.parent.args', 'wildcard', [W`?:\\Windows\\TempInst\\7z*`], true, 'i'],
      ['process.name', 'eq', ['regsvr32.exe'], true, 'i'],
      ['process.args', 'wildcard', [W`?:\\windows\\syswow64\\msxml?.dll`, 'msxml?.dll', W`?:\\Windows\\SysWOW64\\mschrt20.ocx`], true, 'i'],
      ['process.name', 'eq', ['wscript.exe'], true, 'i'],
      ['process.working_directory', 'wildcard', [W`?:\\Windows\\TempInst\\*`, W`?:\\Users\\*\\AppData\\Local\\Temp\\BackupBootstrapper\\Logs\\`, W`?:\\Users\\*\\AppData\\Local\\Temp\\QBTools\\`], true, 'i'],
    ],
    check: (r) => {
      assert.ok(r.techniques.includes('T1216'));
      assert.deepEqual(r.tactics, ['execution', 'defense-evasion']);
      const seq = r.extra.sequence as { by: string[]; maxspanMs: number };
      assert.deepEqual([seq.by, seq.maxspanMs], [['process.parent.entity_id'], 60000]);
      assert.equal(r.logsource.product, 'windows');
    },
  },
  {
    path: 'rules/windows/execution_suspicious_image_load_wmi_ms_office.toml',
    predicates: [
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.category', 'eq', ['library', 'driver'], false, 'i'],
      ['event.category', 'eq', ['process'], false, 's'],
      ['event.action', 'starts_with', ['Image loaded'], false, 'i'],
      ['process.name', 'eq', ['WINWORD.EXE', 'EXCEL.EXE', 'POWERPNT.EXE', 'MSPUB.EXE', 'MSACCESS.EXE'], false, 'i'],
      ['dll.name', 'eq', ['wmiutils.dll'], false, 'i'],
      ['file.name', 'eq', ['wmiutils.dll'], false, 'i'],
    ],
    check: (r) => {
      assert.deepEqual(r.techniques, ['T1047']);
      assert.equal(r.extra.sequence, undefined);
    },
  },
  {
    path: 'rules/windows/credential_access_kerberos_coerce_dns.toml',
    predicates: [
      ['event.category', 'eq', ['network'], false, 's'],
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['dns.question.name', 'wildcard', ['*UWhRC*BAAAA*'], false, 'i'],
    ],
    check: (r) => assert.deepEqual(r.logsource, { product: 'windows', category: 'network_connection' }),
  },
  {
    // like~ with a `*` in the middle.
    path: 'rules/macos/defense_evasion_sandboxed_office_app_suspicious_zip_file.toml',
    predicates: [
      ['event.category', 'eq', ['file'], false, 's'],
      ['host.os.type', 'eq', ['macos'], false, 's'],
      ['event.action', 'eq', ['modification', 'rename'], false, 's'],
      ['file.name', 'wildcard', ['~$*.zip'], false, 'i'],
    ],
  },
  {
    // regex~ over a """raw""" string (a whole-value Lucene regex: anchored RE2); `!= null` is exists.
    path: 'rules/windows/defense_evasion_suspicious_short_program_name.toml',
    predicates: [
      ['event.category', 'eq', ['process'], false, 's'],
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.type', 'eq', ['start'], false, 's'],
      ['process.name', 'regex_match', [W`^(?:[a-z0-9]\.exe)$`], false, 'i'],
      ['process.pe.original_file_name', 'exists', [], false, '-'],
    ],
    check: (r) => assert.deepEqual(r.logsource, { product: 'windows', category: 'process_creation' }),
  },
  {
    // in (case-sensitive), numbers, != null, != value, not cidrmatch.
    path: 'rules/cross-platform/initial_access_ollama_api_external_access.toml',
    predicates: [
      ['event.category', 'eq', ['network'], false, 's'],
      ['event.action', 'eq', ['connection_accepted'], false, 's'],
      ['process.name', 'eq', ['ollama', 'ollama.exe'], false, 's'],
      ['destination.port', 'eq', [11434], false, '-'],
      ['source.ip', 'exists', [], false, '-'],
      ['source.ip', 'ne', ['0.0.0.0'], false, 's'],
      ['source.ip', 'cidr', ['10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '::1', 'fe80::/10', 'fc00::/7', 'ff00::/8'], true, '-'],
    ],
  },
  {
    // like~ lists and in~.
    path: 'rules/macos/lateral_movement_credential_access_kerberos_bifrostconsole.toml',
    predicates: [
      ['event.category', 'eq', ['process'], false, 's'],
      ['host.os.type', 'eq', ['macos'], false, 's'],
      ['event.type', 'eq', PS, false, 's'],
      ['process.args', 'eq', ['-action'], false, 'i'],
      ['process.args', 'eq', ['-kerberoast', 'askhash', 'asktgs', 'asktgt', 's4u'], false, 'i'],
      ['process.args', 'eq', ['-ticket'], false, 'i'],
      ['process.args', 'eq', ['ptt'], false, 'i'],
      ['process.args', 'eq', ['dump'], false, 'i'],
      ['process.args', 'eq', ['tickets', 'keytab'], false, 'i'],
    ],
    check: (r) => assert.deepEqual(r.logsource, { product: 'macos', category: 'process_creation' }),
  },
  {
    // A missing event (![...]) is under a `not`.
    path: 'rules/cross-platform/defense_evasion_missing_events_after_alert.toml',
    predicates: [
      ['data_stream.dataset', 'eq', ['endpoint.alerts'], false, 's'],
      ['event.category', 'eq', ['process', 'library', 'registry', 'network', 'dns', 'file'], true, 's'],
    ],
    check: (r) => {
      const seq = r.extra.sequence as { items: { missing: boolean; category: string }[]; maxspan: string };
      assert.deepEqual(seq.items.map((i) => [i.category, i.missing]), [['any', false], ['any', true]]);
      assert.equal(seq.maxspan, '5m');
    },
  },
  {
    // startsWith: the function's argument is a literal, not a pattern.
    path: 'rules/windows/credential_access_adidns_wildcard.toml',
    predicates: [
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.code', 'eq', ['5137'], false, 's'],
      ['winlog.event_data.ObjectDN', 'starts_with', ['DC=*,'], false, 's'],
    ],
  },
  {
    // length(...) > 0 is an unknown node (it was a fake predicate named after the expression) and a loss.
    path: 'rules/windows/lateral_movement_defense_evasion_lanman_nullsessionpipe_modification.toml',
    predicates: [
      ['event.category', 'eq', ['registry'], false, 's'],
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.type', 'eq', ['change'], false, 's'],
      ['registry.value', 'eq', ['NullSessionPipes'], false, 'i'],
      ['registry.data.strings', 'eq', ['(empty)'], true, 'i'],
    ],
    // length(registry.data.strings) > 0: a computed test, the computation kept (no predicate row, no loss)
    check: (r) => {
      assert.equal(r.losses, undefined);
      const found: unknown[] = [];
      const walk = (d: Detection): void => {
        if (d.kind === 'computed') found.push([d.value, d.op, d.values]);
        else if (d.kind === 'and' || d.kind === 'or') d.children.forEach(walk);
        else if (d.kind === 'not') walk(d.child);
      };
      walk(r.detection!);
      assert.deepEqual(found, [[{ kind: 'call', fn: 'length', args: [{ kind: 'field', field: 'registry.data.strings' }] }, 'gt', [0]]]);
    },
  },
  {
    // with runs = 5
    path: 'rules/macos/credential_access_high_volume_of_pbpaste.toml',
    predicates: [
      ['event.category', 'eq', ['process'], false, 's'],
      ['host.os.type', 'eq', ['macos'], false, 's'],
      ['event.type', 'eq', ['start'], false, 's'],
      ['event.action', 'eq', ['exec'], false, 's'],
      ['process.name', 'eq', ['pbpaste'], false, 'i'],
    ],
    check: (r) => {
      const seq = r.extra.sequence as { by: string[]; items: { runs?: number }[] };
      assert.deepEqual(seq.by, ['host.hostname', 'host.id']);
      assert.equal(seq.items[0].runs, 5);
    },
  },
  {
    path: 'rules/windows/privilege_escalation_driver_newterm_imphash.toml',
    predicates: [
      ['event.category', 'eq', ['driver'], false, 's'],
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.action', 'eq', ['load'], false, 's'],
    ],
    check: (r) => {
      assert.equal(r.type, 'new_terms');
      assert.deepEqual(r.extra.new_terms, { fields: ['dll.pe.original_file_name', 'dll.code_signature.subject_name'], history_window_start: 'now-30d' });
      assert.deepEqual(r.logsource, { product: 'windows', category: 'driver_load' });
    },
  },
  {
    path: 'rules/integrations/okta/credential_access_attempts_to_brute_force_okta_user_account.toml',
    predicates: [
      ['data_stream.dataset', 'eq', ['okta.system'], false, 's'],
      ['event.action', 'eq', ['user.account.lock'], false, 's'],
    ],
    check: (r) => assert.deepEqual(r.extra.threshold, { fields: ['okta.actor.alternate_id'], value: 3, cardinality: [] }),
  },
  {
    // ES|QL: the WHERE before stats are predicates, the one after is an aggregate condition.
    path: 'rules/cross-platform/execution_potential_widespread_malware_infection.toml',
    predicates: [
      ['event.code', 'eq', ['malicious_file', 'memory_signature', 'shellcode_thread'], false, 's'],
      ['rule.name', 'exists', [], false, '-'],
    ],
    check: (r) => {
      const esql = r.extra.esql as { indices: string[]; aggregate_where: string[] };
      assert.deepEqual(esql.indices, ['logs-endpoint.alerts-*']);
      assert.deepEqual(esql.aggregate_where, ['Esql.host_id_count_distinct >= 3']);
    },
  },
  {
    // Lucene: lower-case `or` is a term in query_string (only OR is an operator), /regex/, NOT.
    path: 'rules/_deprecated/privilege_escalation_setgid_bit_set_via_chmod.toml',
    predicates: [
      ['event.category', 'eq', ['process'], false, 's'],
      ['event.type', 'eq', ['start', 'or', 'process_started'], false, 's'],
      ['process.name', 'eq', ['chmod'], false, 's'],
      ['process.args', 'eq', ['g+s'], false, 's'],
      ['process.args', 'regex_match', ['^(?:2[0-9]{3})$'], false, 's'],
      ['user.name', 'eq', ['root'], true, 's'],
    ],
    check: (r) => assert.equal(r.status, 'deprecated'),
  },
  {
    // Kibana filters (query DSL wildcard, case_insensitive, meta.negate) and-ed after the KQL query.
    path: 'rules/_deprecated/privilege_escalation_printspooler_service_suspicious_file.toml',
    predicates: [
      ['event.category', 'eq', ['file'], false, 's'],
      ['host.os.type', 'eq', ['windows'], false, 's'],
      ['event.type', 'eq', ['creation'], false, 's'],
      ['process.name', 'eq', ['spoolsv.exe'], false, 's'],
      ['file.extension', 'eq', ['dll'], false, 's'],
      ['file.path', 'wildcard', [W`?:\\Windows\\Sys?????\\*`], false, 'i'],
      ['file.path', 'wildcard', [W`?:\\Windows\\Sys?????\\PrintConfig.dll`], true, 'i'],
      ['file.path', 'wildcard', [W`?:\\Windows\\Sys?????\\x5lrs.dll`], true, 'i'],
      ['file.path', 'wildcard', [W`?:\\Windows\\system32\\spool\\DRIVERS\\x64\\*.dll`], true, 'i'],
      ['file.path', 'wildcard', [W`?:\\Windows\\system32\\spool\\DRIVERS\\W32X86\\*.dll`], true, 'i'],
      ['file.path', 'wildcard', [W`?:\\Windows\\system32\\spool\\PRTPROCS\\x64\\*.dll`], true, 'i'],
      ['file.path', 'wildcard', [W`?:\\Windows\\system32\\spool\\{????????-????-????-????-????????????}\\*.dll`], true, 'i'],
    ],
    check: (r) => assert.deepEqual(r.extra.new_terms, { fields: ['host.id', 'file.name'], history_window_start: 'now-5d' }),
  },
  {
    path: 'rules_building_block/execution_github_repo_created.toml',
    predicates: [
      ['event.category', 'eq', ['configuration'], false, 's'],
      ['event.dataset', 'eq', ['github.audit'], false, 's'],
      ['event.action', 'eq', ['repo.create'], false, 's'],
    ],
    check: (r) => {
      assert.equal(r.extra.building_block, true);
      assert.equal(r.extra.building_block_type, 'default');
    },
  },
  {
    path: 'rules/threat_intel/threat_intel_indicator_match_registry.toml',
    predicates: [['registry.path', 'exists', [], false, '-']],
    check: (r) => {
      const tm = r.extra.threat_match as { mapping: unknown };
      assert.deepEqual(tm.mapping, [[{ field: 'registry.path', type: 'mapping', value: 'threat.indicator.registry.path' }]]);
    },
  },
  {
    // sample: unordered items, not in, not cidrmatch.
    path: 'rules/linux/execution_netcon_from_rwx_mem_region_binary.toml',
    predicates: [
      ['event.category', 'eq', ['process'], false, 's'],
      ['host.os.type', 'eq', ['linux'], false, 's'],
      ['auditd.data.syscall', 'eq', ['mprotect'], false, 's'],
      ['auditd.data.a2', 'eq', ['7'], false, 's'],
      ['process.name', 'eq', ['httpd', 'java', 'node', 'code', 'apache2'], true, 's'],
      ['event.category', 'eq', ['network'], false, 's'],
      ['host.os.type', 'eq', ['linux'], false, 's'],
      ['event.type', 'eq', ['start'], false, 's'],
      ['event.action', 'eq', ['connection_attempted'], false, 's'],
      ['destination.ip', 'cidr', ['127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '::1'], true, '-'],
    ],
    check: (r) => {
      const seq = r.extra.sequence as { kind: string; by: string[] };
      assert.deepEqual([seq.kind, seq.by], ['sample', ['host.id', 'process.pid', 'process.name']]);
    },
  },
];

test('Elastic round trip: predicates of hand-checked corpus rules', async (t) => {
  const shared = requireShared(t, 'the Elastic round-trip test');
  if (!shared) return;
  assert.ok(CASES.length >= 16);
  for (const c of CASES) {
    await t.test(c.path, () => {
      const { rules, problems } = parseElasticFile(join(shared, 'corpora', 'elastic', c.path));
      assert.deepEqual(problems, []);
      assert.equal(rules.length, 1);
      assert.deepEqual(tuples(rules[0]), c.predicates);
      c.check?.(rules[0]);
    });
  }
});

test('Elastic round trip: every rule mapped to T1216 or a sub-technique is covered', (t) => {
  const shared = requireShared(t, 'the T1216 check');
  if (!shared) return;
  // Independent of the loader: grep the threat ids in the TOML text.
  const mapped = listTomlFiles(join(shared, 'corpora', 'elastic'))
    .filter((f) => /^id = "T1216(\.\d{3})?"$/m.test(readFileSync(f, 'utf8')))
    .map((f) => f.slice(join(shared, 'corpora', 'elastic').length + 1));
  assert.ok(mapped.length >= 1);
  for (const m of mapped) assert.ok(CASES.some((c) => c.path === m), `${m} has no round-trip case`);
});
