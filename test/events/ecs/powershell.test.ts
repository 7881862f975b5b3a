/**
 * PowerShell -> ECS: 4104 and 800 from EVTX-ATTACK-SAMPLES, hand-made 4103 / 4105 / 400 events, and
 * the script block statistics on texts whose values are computed by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toEcs, getPath } from '../../../src/events/ecs/index.js';
import { scriptBlockStats } from '../../../src/events/ecs/entropy.js';
import { requireShared } from '../../helpers/shared.js';
import { sampleRecord } from '../../helpers/samples.js';
import { expectFields } from './pick.js';
import { makeEvent } from './make-event.js';

test('4104 script block (sample)', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const d = toEcs(await sampleRecord(shared, 'Credential Access/Powershell_4104_MiniDumpWriteDump_Lsass.evtx', 971));
  const text = getPath(d, 'powershell.file.script_block_text') as string;
  assert.ok(text.startsWith('function Memory($path)'));
  assert.equal(text, text.trim());
  assert.deepEqual(...expectFields(d, {
    'event.code': '4104',
    'event.category': ['process'],
    'event.type': ['info'],
    'event.dataset': 'windows.powershell_operational',
    'process.pid': 7008, // copy of winlog.process.pid
    'user.id': 'S-1-5-21-3461203602-4096304019-2269080069-1000',
    'powershell.file.script_block_id': '{27f08bda-c330-419f-b83b-eb5c0f699930}',
    'powershell.sequence': 1,
    'powershell.total': 1,
    'powershell.file.script_block_length': text.length,
    'powershell.file.script_block_unique_symbols': new Set(text).size,
    'file.path': 'C:\\Users\\Public\\lsass_wer_ps.ps1', // Path -> ScriptName -> file.path
    'file.name': 'lsass_wer_ps.ps1',
    'file.directory': 'C:\\Users\\Public',
    'file.extension': 'ps1',
    'winlog.event_data.ScriptBlockText': undefined,
    'winlog.event_data.MessageNumber': undefined, // cleanup
  }));
});

test('800 pipeline execution details (sample, Windows PowerShell log)', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const d = toEcs(await sampleRecord(shared, 'Other/emotet/exec_emotet_ps_800_get-item.evtx', 789));
  const details = getPath(d, 'powershell.command.invocation_details') as Record<string, string>[];
  assert.deepEqual(details[0], { type: 'CommandInvocation', related_command: 'Get-Item', value: '"Get-Item"' });
  assert.deepEqual(details[1], { type: 'ParameterBinding', related_command: 'Get-Item', name: '"Path"', value: '"C:\\Users\\Clippy\\AppData\\Local\\Temp\\word\\2019\\Dyxxur4gx.exe"' });
  assert.deepEqual(...expectFields(d, {
    'event.code': '800',
    'event.dataset': 'windows.powershell',
    'event.type': ['info'],
    'event.sequence': 27,
    'user.domain': 'DESKTOP-RIPCLIP',
    'user.name': 'Clippy',
    'process.entity_id': '7d5cb8a8-0a62-4f52-ba67-09f94d24e1b7',
    'process.command_line': 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    'process.args': ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'],
    'process.args_count': 1,
    'process.title': 'ConsoleHost',
    'powershell.engine.version': '5.1.19041.1',
    'powershell.runspace_id': 'b385ee3b-6b79-46f4-a038-8be3065370c3',
    'winlog.keywords': ['Classic'],
    'winlog.event_data.param2': undefined,
    'winlog.event_data.UserId': 'DESKTOP-RIPCLIP\\Clippy',
  }));
});

test('4103 module logging: ContextInfo and Payload (hand-made)', () => {
  const ctxInfo = [
    '        Severity = Informational',
    '        Host Name = ConsoleHost',
    '        Host Application = powershell.exe -nop -c "iex x"',
    '        Command Name = Invoke-Expression',
    '        Command Type = Cmdlet',
    '        Script Name = C:\\s\\a.ps1',
    '        Sequence Number = 16',
    '        User = CORP\\bob',
    '        Connected User = ',
    '        Shell ID = Microsoft.PowerShell',
  ].join('\r\n');
  const d = toEcs(makeEvent('Microsoft-Windows-PowerShell/Operational', 'Microsoft-Windows-PowerShell', 4103, {
    ContextInfo: ctxInfo, UserData: '', Payload: 'CommandInvocation(Invoke-Expression): "Invoke-Expression"\nParameterBinding(Invoke-Expression): name="Command"; value="x"',
  }, { userId: 'S-1-5-21-1-2-3-1001' }));
  assert.deepEqual(...expectFields(d, {
    'event.type': ['info'],
    'event.sequence': 16,
    'process.title': 'ConsoleHost',
    'process.command_line': 'powershell.exe -nop -c "iex x"',
    'process.args': ['powershell.exe', '-nop', '-c', 'iex x'],
    'process.args_count': 4,
    'powershell.command.name': 'Invoke-Expression',
    'powershell.command.type': 'Cmdlet',
    'powershell.id': 'Microsoft.PowerShell',
    'powershell.command.invocation_details': [
      { type: 'CommandInvocation', related_command: 'Invoke-Expression', value: '"Invoke-Expression"' },
      { type: 'ParameterBinding', related_command: 'Invoke-Expression', name: '"Command"', value: '"x"' },
    ],
    'file.path': 'C:\\s\\a.ps1',
    'file.name': 'a.ps1',
    'user.id': 'S-1-5-21-1-2-3-1001',
    'winlog.event_data.ContextInfo': undefined,
    'winlog.event_data.Payload': undefined,
    'winlog.event_data.Severity': undefined, // cleanup
    'winlog.event_data.ConnectedUser': undefined, // empty
  }));
});

test('4105 / 400 start, 403 end (hand-made)', () => {
  const s = toEcs(makeEvent('Microsoft-Windows-PowerShell/Operational', 'Microsoft-Windows-PowerShell', 4105, { ScriptBlockId: '{a}', RunspaceId: 'r1' }));
  assert.deepEqual(...expectFields(s, { 'event.type': ['start'], 'powershell.runspace_id': 'r1', 'powershell.file.script_block_id': '{a}' }));
  const param3 = 'Available\tNewEngineState=Available\n\tPreviousEngineState=None\n\n\tSequenceNumber=13\n\n\tHostName=ConsoleHost\n\tHostVersion=5.1\n\tHostId=abc\n\tHostApplication=powershell.exe -enc ZQBjAGgAbwA=\n\tEngineVersion=5.1\n\tRunspaceId=r2\n\tPipelineId=\n\tCommandName=\n\tCommandType=\n\tScriptName=\n\tCommandPath=\n\tCommandLine=';
  const start = toEcs(makeEvent('Windows PowerShell', 'PowerShell', 400, { Data: { '#text': ['Available', 'None', param3] } }, { keywords: '0x80000000000000' }));
  assert.deepEqual(...expectFields(start, {
    'event.type': ['start'],
    'event.sequence': 13,
    'powershell.engine.new_state': 'Available',
    'powershell.engine.previous_state': 'None',
    'process.entity_id': 'abc',
    'process.command_line': 'powershell.exe -enc ZQBjAGgAbwA=',
    'process.args': ['powershell.exe', '-enc', 'ZQBjAGgAbwA='],
    'powershell.runspace_id': 'r2',
    'powershell.pipeline_id': undefined, // empty value dropped
    'winlog.event_data.param1': undefined, // cleanup
  }));
  const provider = toEcs(makeEvent('Windows PowerShell', 'PowerShell', 600, { Data: { '#text': ['Registry', 'Started', '\tProviderName=Registry\n\tNewProviderState=Started\n\n\tSequenceNumber=1\n\n\tHostName=ConsoleHost\n\tHostApplication=powershell.exe -w hidden'] } }));
  assert.deepEqual(...expectFields(provider, {
    'event.type': ['info'],
    'powershell.provider.name': 'Registry',
    'powershell.provider.new_state': 'Started',
    'process.args': ['powershell.exe', '-w', 'hidden'],
    'process.title': 'ConsoleHost',
  }));
  const end = toEcs(makeEvent('Windows PowerShell', 'PowerShell', 403, { Data: { '#text': ['Stopped', 'Available', '\tNewEngineState=Stopped'] } }));
  assert.deepEqual(...expectFields(end, { 'event.type': ['end'], 'powershell.engine.new_state': 'Stopped' }));
});

test('script block statistics computed by hand', () => {
  // "aabb": p = 1/2, 1/2 -> H = 1 bit, every surprisal equals H -> stdev 0; normalized H / log2(4) = 0.5
  assert.deepEqual(scriptBlockStats('aabb'), { entropyBits: 1, normalized: 0.5, surprisalStdev: 0, length: 4, uniqueSymbols: 2 });
  // "aaab": p = 3/4, 1/4 -> H = 0.8113; surprisals 0.415 and 2 -> variance 0.75*0.1570 + 0.25*1.4131 = 0.4711
  const s = scriptBlockStats('aaab')!;
  assert.ok(Math.abs(s.entropyBits - 0.811278) < 1e-6);
  assert.ok(Math.abs(s.surprisalStdev - Math.sqrt(0.471142)) < 1e-4);
  // A signature-only block is skipped.
  assert.equal(scriptBlockStats('# SIG # Begin signature block\n# ' + 'A'.repeat(64) + '\n# more'), undefined);
});
