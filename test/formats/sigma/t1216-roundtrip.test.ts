/**
 * Every Sigma rule of the corpus mapped to T1216 (or a sub-technique), its predicates checked one
 * by one against expectations written by hand from the rule files: field, operator, values, and
 * whether the predicate sits under a negation. Part of the catalog's round-trip checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSigmaFile } from '../../../src/formats/sigma/index.js';
import { walkPredicates } from '../../../src/model/index.js';
import { requireShared } from '../../helpers/shared.js';

const EXPECTED: Record<string, string[]> = {
  'deprecated/windows/posh_ps_cl_invocation_lolscript.yml': [
    'ScriptBlockText contains ["CL_Invocation.ps1"]', 'ScriptBlockText contains ["SyncInvoke"]'],
  'deprecated/windows/posh_ps_cl_mutexverifiers_lolscript.yml': [
    'ScriptBlockText contains ["CL_Mutexverifiers.ps1"]', 'ScriptBlockText contains ["runAfterCancelProcess"]'],
  'rules/windows/file/file_event/file_event_win_winrm_awl_bypass.yml': [
    'TargetFilename ends_with ["WsmPty.xsl","WsmTxt.xsl"]', 'NOT TargetFilename starts_with ["C:\\\\Windows\\\\System32\\\\","C:\\\\Windows\\\\SysWOW64\\\\"]'],
  'rules/windows/process_creation/proc_creation_win_customshellhost_susp_exec.yml': [
    'ParentImage ends_with ["\\\\CustomShellHost.exe"]', 'NOT Image eq ["C:\\\\Windows\\\\explorer.exe"]'],
  'rules/windows/process_creation/proc_creation_win_lolbin_launch_vsdevshell.yml': [
    'CommandLine contains ["Launch-VsDevShell.ps1"]', 'CommandLine contains ["VsWherePath ","VsInstallationPath "]'],
  'rules/windows/process_creation/proc_creation_win_lolbin_manage_bde.yml': [
    'Image ends_with ["\\\\wscript.exe"]', 'OriginalFileName eq ["wscript.exe"]', 'CommandLine contains ["manage-bde.wsf"]',
    'ParentImage ends_with ["\\\\cscript.exe","\\\\wscript.exe"]', 'ParentCommandLine contains ["manage-bde.wsf"]', 'NOT Image ends_with ["\\\\cmd.exe"]'],
  'rules/windows/process_creation/proc_creation_win_lolbin_pester.yml': [
    'ParentImage ends_with ["\\\\powershell.exe","\\\\pwsh.exe"]', 'ParentCommandLine contains ["\\\\WindowsPowerShell\\\\Modules\\\\Pester\\\\"]',
    'ParentCommandLine contains ["{ Invoke-Pester -EnableExit ;","{ Get-Help \\""]'],
  'rules/windows/process_creation/proc_creation_win_lolbin_pester_1.yml': [
    'Image ends_with ["\\\\powershell.exe","\\\\pwsh.exe"]', 'CommandLine contains ["Pester"]', 'CommandLine contains ["Get-Help"]',
    'Image ends_with ["\\\\cmd.exe"]', 'CommandLine contains ["pester"]', 'CommandLine contains [";"]',
    // '\?' is an escaped wildcard: a plain question mark.
    'CommandLine contains ["help","?"]'],
  'rules/windows/process_creation/proc_creation_win_lolbin_pubprn.yml': [
    'CommandLine contains ["\\\\pubprn.vbs"]', 'CommandLine contains ["script:"]'],
  'rules/windows/process_creation/proc_creation_win_lolbin_syncappvpublishingserver_vbs_execute_psh.yml': [
    'CommandLine contains ["\\\\SyncAppvPublishingServer.vbs"]', 'CommandLine contains [";"]'],
  'rules/windows/process_creation/proc_creation_win_lolbin_utilityfunctions.yml': [
    'CommandLine contains ["UtilityFunctions.ps1","RegSnapin "]'],
  'rules/windows/process_creation/proc_creation_win_powershell_cl_invocation.yml': [
    'CommandLine contains ["SyncInvoke "]'],
  'rules/windows/process_creation/proc_creation_win_powershell_cl_loadassembly.yml': [
    'CommandLine contains ["LoadAssemblyFromPath ","LoadAssemblyFromNS "]'],
  'rules/windows/process_creation/proc_creation_win_powershell_cl_mutexverifiers.yml': [
    'ParentImage ends_with ["\\\\powershell.exe","\\\\pwsh.exe"]', 'Image ends_with ["\\\\powershell.exe"]',
    'CommandLine contains [" -nologo -windowstyle minimized -file "]', 'CommandLine contains ["\\\\AppData\\\\Local\\\\Temp\\\\","\\\\Windows\\\\Temp\\\\"]'],
  'rules/windows/process_creation/proc_creation_win_sigverif_uncommon_child_process.yml': [
    'ParentImage ends_with ["\\\\sigverif.exe"]', 'NOT Image eq ["C:\\\\Windows\\\\System32\\\\WerFault.exe","C:\\\\Windows\\\\SysWOW64\\\\WerFault.exe"]'],
  'rules/windows/process_creation/proc_creation_win_winrm_awl_bypass.yml': [
    'CommandLine contains ["winrm"]', 'CommandLine contains ["format:pretty","format:\\"pretty\\"","format:\\"text\\"","format:text"]',
    'NOT Image starts_with ["C:\\\\Windows\\\\System32\\\\","C:\\\\Windows\\\\SysWOW64\\\\"]'],
  'rules/windows/process_creation/proc_creation_win_winrm_execution_via_scripting_api_winrm_vbs.yml': [
    'Image ends_with ["\\\\cscript.exe"]', 'OriginalFileName eq ["cscript.exe"]', 'CommandLine contains ["winrm"]',
    'CommandLine contains ["invoke Create wmicimv2/Win32_"]', 'CommandLine contains ["-r:http"]'],
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

test('Sigma T1216 rules: predicates as hand-checked', (t) => {
  const shared = requireShared(t, 'the Sigma corpus');
  if (!shared) return;
  const root = join(shared, 'corpora', 'sigma');
  // Which files are T1216 rules is read from the raw text, not from the parser.
  const files = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'deprecated']
    .flatMap((d) => walk(join(root, d)))
    .filter((f) => /attack\.t1216\b/i.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f).split('\\').join('/'))
    .sort();
  assert.deepEqual(files, Object.keys(EXPECTED).sort(), 'the T1216 rules of the corpus are the ones checked here');
  for (const f of files) {
    const r = parseSigmaFile(join(root, f));
    assert.deepEqual(r.problems, [], f);
    const rule = r.rules[0];
    assert.ok(rule.techniques.some((x) => x === 'T1216' || x.startsWith('T1216.')), f);
    const got: string[] = [];
    walkPredicates(rule.detection!, (p, _path, negated) => got.push(`${negated ? 'NOT ' : ''}${p.field} ${p.op} ${JSON.stringify(p.values)}`));
    assert.deepEqual(got, EXPECTED[f], f);
  }
});
