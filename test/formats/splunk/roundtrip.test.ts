/**
 * Round trip over real security_content detections: the predicates extracted from each file are
 * asserted field by field against expectations written by reading the YAML (and its macros).
 * Tuples: [field, op, values, under a not, cased].
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { requireShared } from '../../helpers/shared.js';
import { loadSplunkMacros, parseSplunkFile, walkSplunkDetections as walk } from '../../../src/formats/splunk/index.js';
import type { LogSource } from '../../../src/model/index.js';
import { tuples, type Tuple } from '../spl/helpers.js';

interface Case {
  file: string;
  techniques?: string[];
  preds: Tuple[];
  selector?: Tuple[];
  logsource?: LogSource;
  /** Paths of predicates that came from a macro, with the macro's name. */
  macros?: Record<string, string>;
}

const F = false;
const T = true;

const CASES: Case[] = [
  {
    // The only T1216 detection of the corpus (T1216 + T1218).
    file: 'endpoint/windows_system_script_proxy_execution_syncappvpublishingserver.yml',
    techniques: ['T1216', 'T1218'],
    preds: [
      ['Processes.process_name', 'eq', ['wscript.exe', 'cscript.exe'], F, F],
      ['Processes.process', 'contains', ['syncappvpublishingserver.vbs'], F, F],
    ],
    // data sources: Sysmon EventID 1 (windows), Security 4688 (windows), CrowdStrike (no product)
    logsource: { category: 'process_creation', product: 'windows' },
  },
  {
    file: 'endpoint/uac_bypass_with_colorui_com_object.yml',
    preds: [
      ['EventCode', 'eq', [7], F, F],
      ['ImageLoaded', 'ends_with', ['\\colorui.dll'], F, F],
      ['process_name', 'ne', ['colorcpl.exe'], F, F],
      ['Image', 'contains', ['\\windows\\', '\\program files'], T, F],
    ],
    selector: [
      ['sourcetype', 'eq', ['XmlWinEventLog:Microsoft-Windows-Sysmon/Operational'], F, F],
      ['source', 'eq', ['XmlWinEventLog:Microsoft-Windows-Sysmon/Operational'], F, F],
      ['source', 'eq', ['Syslog:Linux-Sysmon/Operational'], F, F],
    ],
    logsource: { product: 'windows', service: 'sysmon', category: 'image_load' },
  },
  {
    file: 'endpoint/windows_windbg_spawning_autoit3.yml',
    preds: [
      ['Processes.parent_process_name', 'eq', ['windbg.exe'], F, F],
      ['Processes.process_name', 'eq', ['autoit3.exe'], F, F],
      ['Processes.process_name', 'wildcard', ['autoit*.exe'], F, F],
      ['Processes.original_file_name', 'eq', ['autoit3.exe'], F, F],
      ['Processes.original_file_name', 'wildcard', ['autoit*.exe'], F, F],
      ['matches_extension', 'eq', ['Yes'], F, F],
    ],
  },
  {
    file: 'application/okta_idp_lifecycle_modifications.yml',
    preds: [
      ['eventType', 'eq', ['system.idp.lifecycle.activate', 'system.idp.lifecycle.create', 'system.idp.lifecycle.delete', 'system.idp.lifecycle.deactivate'], F, F],
    ],
    selector: [
      ['eventtype', 'eq', ['okta_log'], F, F],
      ['sourcetype', 'eq', ['OktaIM2:log'], F, F],
    ],
    logsource: { product: 'okta', service: 'okta' },
  },
  {
    file: 'endpoint/detect_regasm_with_no_command_line_arguments.yml',
    preds: [
      ['Processes.process_name', 'eq', ['regasm.exe'], F, F],
      ['Processes.original_file_name', 'eq', ['RegAsm.exe'], F, F],
      ['process', 'regex_match', ['(regasm\\.exe.{0,4}$)'], F, F],
    ],
    macros: { '0.0.0': 'process_regasm', '0.0.1': 'process_regasm' },
  },
  {
    file: 'network/detect_outbound_smb_traffic.yml',
    preds: [
      ['All_Traffic.action', 'eq', ['allowed'], F, F],
      ['All_Traffic.direction', 'eq', ['outbound'], F, F],
      ['All_Traffic.dest_port', 'eq', [139], F, F],
      ['All_Traffic.dest_port', 'eq', [445], F, F],
      ['All_Traffic.app', 'eq', ['smb'], F, F],
      ['match', 'eq', [0], F, F],
    ],
    logsource: { category: 'network_connection' },
  },
  {
    file: 'endpoint/impacket_lateral_movement_smbexec_commandline_parameters.yml',
    preds: [
      ['Processes.process_name', 'eq', ['cmd.exe'], F, F],
      ['process', 'regex_match', ['cmd\\.exe\\s+\\/Q\\s+\\/c'], F, F],
      ['process', 'regex_match', ['echo\\s+cd'], F, F],
      ['process', 'regex_match', ['\\__output'], F, F],
      ['process', 'regex_match', ['C:\\\\Windows\\\\[a-zA-Z]{1,8}\\.bat'], F, F],
      ['process', 'regex_match', ['\\\\127\\.0\\.0\\.1\\.*'], F, T],
    ],
  },
  {
    file: 'endpoint/detect_computer_changed_with_anonymous_account.yml',
    preds: [
      ['EventCode', 'eq', [4624], F, F],
      ['EventCode', 'eq', [4742], F, F],
      ['TargetUserName', 'eq', ['ANONYMOUS LOGON'], F, F],
      ['LogonType', 'eq', [3], F, F],
    ],
    selector: [
      ['eventtype', 'eq', ['wineventlog_security'], F, F],
      ['Channel', 'eq', ['security'], F, F],
      ['source', 'eq', ['XmlWinEventLog:Security'], F, F],
    ],
    logsource: { product: 'windows', service: 'security' },
  },
  {
    file: 'endpoint/adsisearcher_account_discovery.yml',
    preds: [
      ['EventCode', 'eq', [4104], F, F],
      ['ScriptBlockText', 'contains', ['[adsisearcher]'], F, F],
      ['ScriptBlockText', 'contains', ['objectcategory=user'], F, F],
      ['ScriptBlockText', 'contains', ['.findAll()'], F, F],
    ],
    logsource: { product: 'windows', service: 'powershell', category: 'ps_script' },
  },
  {
    file: 'endpoint/change_default_file_association.yml',
    preds: [
      ['Registry.registry_path', 'contains', ['\\shell\\open\\command\\'], F, F],
      ['Registry.registry_path', 'contains', ['HKCR\\'], F, F],
    ],
    logsource: { category: 'registry_event', product: 'windows' },
  },
  {
    file: 'endpoint/windows_lolbas_executed_outside_expected_path.yml',
    preds: [
      ['Processes.process', 'ne', ['unknown'], F, F],
      ['Processes.process_path', 'contains', ['\\Program Files', '\\PROGRA~', '\\Windows\\System32\\', '\\Windows\\Syswow64\\'], T, F],
      ['desc', 'ne', ['false'], F, F],
      ['is_lolbas_path', 'eq', ['false'], F, F],
    ],
  },
  {
    file: 'endpoint/windows_proxy_via_netsh.yml',
    preds: [
      ['Processes.process_name', 'eq', ['netsh.exe'], F, F],
      ['Processes.original_file_name', 'eq', ['netsh.exe'], F, F],
      ['Processes.process', 'contains', [' portproxy '], F, F],
      ['Processes.process', 'contains', [' v4tov4 '], F, F],
    ],
    macros: { '0.0.0': 'process_netsh', '0.0.1': 'process_netsh' },
  },
  {
    file: 'endpoint/linux_auditd_file_permissions_modification_via_chattr.yml',
    preds: [
      ['type', 'eq', ['PROCTITLE'], F, F],
      ['process_exec', 'contains', ['chattr '], F, T],
      ['process_exec', 'contains', [' -i'], F, T],
    ],
    selector: [['sourcetype', 'eq', ['linux:audit'], F, F]],
    logsource: { product: 'linux', service: 'auditd' },
    macros: { '0.0': 'linux_auditd_normalized_proctitle_process' },
  },
  {
    file: 'endpoint/malicious_powershell_process_with_obfuscation_techniques.yml',
    preds: [
      ['Processes.process_name', 'eq', ['pwsh.exe'], F, F],
      ['Processes.process_name', 'eq', ['sqlps.exe'], F, F],
      ['Processes.process_name', 'eq', ['sqltoolsps.exe'], F, F],
      ['Processes.process_name', 'eq', ['powershell.exe'], F, F],
      ['Processes.process_name', 'eq', ['powershell_ise.exe'], F, F],
      ['Processes.original_file_name', 'eq', ['pwsh.dll'], F, F],
      ['Processes.original_file_name', 'eq', ['PowerShell.EXE'], F, F],
      ['Processes.original_file_name', 'eq', ['powershell_ise.EXE'], F, F],
      ['num_obfuscation', 'gt', [10], F, undefined],
    ],
  },
  {
    file: 'endpoint/add_or_set_windows_defender_exclusion.yml',
    preds: [
      ['Processes.process', 'contains', ['Add-MpPreference '], F, F],
      ['Processes.process', 'contains', ['Set-MpPreference '], F, F],
      ['Processes.process', 'contains', ['-exclusion'], F, F],
    ],
  },
  {
    file: 'endpoint/attempt_to_add_certificate_to_untrusted_store.yml',
    preds: [
      ['Processes.process_name', 'eq', ['certutil.exe'], F, F],
      ['Processes.original_file_name', 'eq', ['CertUtil.exe'], F, F],
      ['Processes.process', 'contains', ['-addstore'], F, F],
    ],
  },
];

test('splunk round trip: predicates of hand-checked detections', (t) => {
  const shared = requireShared(t, 'the Splunk round-trip test');
  if (!shared) return;
  const root = join(shared, 'corpora', 'splunk');
  const { macros } = loadSplunkMacros(join(root, 'macros'));
  for (const c of CASES) {
    const r = parseSplunkFile(join(root, 'detections', c.file), macros);
    assert.deepEqual(r.problems, [], c.file);
    assert.equal(r.rules.length, 1, c.file);
    const rule = r.rules[0];
    assert.equal(rule.vendor, 'splunk');
    assert.equal(rule.language, 'spl');
    assert.deepEqual(tuples(rule.detection, true), c.preds, c.file);
    if (c.selector) assert.deepEqual(tuples(rule.extra.selector as never, true), c.selector, `${c.file} selector`);
    if (c.logsource) assert.deepEqual(rule.logsource, c.logsource, `${c.file} logsource`);
    if (c.techniques) assert.deepEqual(rule.techniques, c.techniques, `${c.file} techniques`);
    if (c.macros) {
      const got = Object.fromEntries((rule.extra.predicate_origins as { path: string; macro?: string }[]).filter((o) => o.macro).map((o) => [o.path, o.macro]));
      assert.deepEqual(got, c.macros, `${c.file} macro origins`);
    }
  }
});

test('splunk round trip: every T1216 detection is in the hand-checked set', (t) => {
  const shared = requireShared(t, 'the Splunk T1216 test');
  if (!shared) return;
  // Computed from the corpus, so a new T1216 detection makes this fail until it is hand-checked.
  const root = join(shared, 'corpora', 'splunk');
  const { macros } = loadSplunkMacros(join(root, 'macros'));
  const checked = new Set(CASES.map((c) => c.file));
  const found: string[] = [];
  for (const f of walk(join(root, 'detections'))) {
    const r = parseSplunkFile(f, macros);
    if (r.rules.some((x) => x.techniques.some((id) => id === 'T1216' || id.startsWith('T1216.')))) found.push(f.slice(join(root, 'detections').length + 1));
  }
  assert.ok(found.length >= 1);
  for (const f of found) assert.ok(checked.has(f), `T1216 detection ${f} is not hand-checked`);
});
