import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Vendor } from '../../src/model/index.js';
import { requireShared } from '../helpers/shared.js';
import { loadParsers } from '../../src/catalog/parsers.js';
import { loadMacros, parseFile } from '../../src/catalog/parse-file.js';

/** [canonical field, authored field, canonical op, canonical value, exclusion] */
type Expect = [string | null, string | null, string, string | null, boolean];

/**
 * Real rules through the project's parsers and the crosswalk, checked predicate by predicate against
 * expectations read off the rule files by hand (a subset of each rule's predicates: the mapped ones).
 */
const CASES: Array<[Vendor, string, Expect[]]> = [
  ['elastic', 'elastic/rules/windows/execution_delayed_via_ping_lolbas_unsigned.toml', [
    ['Image', 'process.name', 'ends_with', '\\ping.exe', false],
    ['process.args', 'process.args', 'eq', '-n', false],
    ['ParentImage', 'process.parent.name', 'ends_with', '\\cmd.exe', false],
    ['Image', 'process.name', 'ends_with', '\\Microsoft.Workflow.Compiler.exe', false],
    ['Image', 'process.executable', 'wildcard', '?:\\\\Users\\\\*\\\\AppData\\\\*.exe', false],
    ['OriginalFileName', 'process.pe.original_file_name', 'eq', 'DPInst.exe', true],
    ['ParentCommandLine', 'process.parent.command_line', 'contains', 'ScreenConnectConfigurator.cmd', true],
    ['CurrentDirectory', 'process.working_directory', 'wildcard', '?:\\\\Users\\\\*\\\\AppData\\\\Local\\\\Temp\\\\QBTools\\\\', true],
  ]],
  ['elastic', 'elastic/rules/macos/execution_unusual_library_load_via_python.toml', [
    ['ImageLoaded', 'dll.path', 'starts_with', '/Users/', false],
    ['Image', 'process.name', 'contains', '/python', false],
    ['ImageLoaded', 'dll.name', 'ends_with', '.dylib', true],
    ['ImageLoaded', 'dll.name', 'ends_with', '/Python', true],
  ]],
  ['elastic', 'elastic/rules/windows/command_and_control_outlook_home_page.toml', [
    ['TargetObject', 'registry.value', 'ends_with', '\\URL', false],
    ['TargetObject', 'registry.path', 'wildcard', '*\\\\SOFTWARE\\\\Microsoft\\\\Office\\\\*\\\\Outlook\\\\Webview\\\\*', false],
    ['Details', 'registry.data.strings', 'contains', '://', false],
  ]],
  ['elastic', 'elastic/rules/windows/credential_access_bruteforce_admin_account.toml', [
    ['LogonType', 'winlog.logon.type', 'eq', 'Network', false],
    ['SourceIp', 'source.ip', 'cidr', '127.0.0.0/8', true],
    ['TargetUserName', 'winlog.event_data.TargetUserName', 'contains', 'admin', false],
    ['Status', 'winlog.event_data.Status', 'eq', '0xc000015b', true],
  ]],
  ['splunk', 'splunk/detections/endpoint/windows_system_script_proxy_execution_syncappvpublishingserver.yml', [
    ['Image', 'Processes.process_name', 'ends_with', '\\wscript.exe', false],
    ['Image', 'Processes.process_name', 'ends_with', '\\cscript.exe', false],
    ['CommandLine', 'Processes.process', 'contains', 'syncappvpublishingserver.vbs', false],
  ]],
  ['splunk', 'splunk/detections/endpoint/disable_defender_antivirus_registry.yml', [
    ['TargetObject', 'Registry.registry_path', 'contains', '\\Policies\\Microsoft\\Windows Defender', false],
    ['TargetObject', 'Registry.registry_value_name', 'ends_with', '\\DisableAntiSpyware', false],
    ['Details', 'Registry.registry_value_data', 'eq', '0x00000001', false],
  ]],
  ['splunk', 'splunk/detections/endpoint/cmlua_or_cmstplua_uac_bypass.yml', [
    ['EventID', 'EventCode', 'eq', '7', false],
    ['ImageLoaded', 'ImageLoaded', 'ends_with', '\\CMLUA.dll', false],
    ['Image', 'process_name', 'ends_with', '\\CMSTP.exe', true],
  ]],
  ['splunk', 'splunk/detections/endpoint/connectwise_screenconnect_path_traversal.yml', [
    ['TargetFilename', 'Filesystem.file_path', 'contains', '\\ScreenConnect\\App_Extensions\\', false],
    ['TargetFilename', 'Filesystem.file_name', 'ends_with', '.aspx', false],
  ]],
  ['sigma', 'sigma/rules/windows/process_creation/proc_creation_win_lolbin_pubprn.yml', [
    ['CommandLine', 'CommandLine', 'contains', '\\pubprn.vbs', false],
    ['CommandLine', 'CommandLine', 'contains', 'script:', false],
  ]],
];

test('crosswalk over real rules: canonical field, operator and value, authored field, exclusion', async (t) => {
  const shared = requireShared(t, 'the corpus crosswalk checks');
  if (!shared) return;
  const parsers = await loadParsers();
  const { macros } = loadMacros(parsers, [join(shared, 'corpora/splunk/macros')]);
  let checked = 0;
  for (const [vendor, rel, expects] of CASES) {
    const parsed = parseFile(parsers, vendor, join(shared, 'corpora', rel), macros);
    assert.equal(parsed.rules, 1, `${rel}: one rule`);
    const got = parsed.rows.predicates.map((p): Expect => [p.field, p.vendor_field, p.op, p.value, p.exclusion]);
    for (const e of expects) {
      assert.ok(got.some((g) => JSON.stringify(g) === JSON.stringify(e)), `${rel}: expected ${JSON.stringify(e)} among\n${got.map((g) => JSON.stringify(g)).join('\n')}`);
      checked++;
    }
  }
  t.diagnostic(`${checked} predicates checked in ${CASES.length} rules`);
});
