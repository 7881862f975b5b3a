/**
 * PowerShell -> ECS, following the windows integration's pipelines:
 * powershell_operational.yml (Microsoft-Windows-PowerShell/Operational: 4103, 4104, 4105, 4106)
 * and powershell.yml (Windows PowerShell: 400, 403, 600, 800). Comments name the processor.
 */
import type { FieldMove } from './moves.js';

/** powershell_operational.yml: set event.type start (4105) / end (4106) / info; powershell.yml: 400 / 403. */
export const POWERSHELL_EVENT_TYPES: Readonly<Record<string, string>> = {
  '4105': 'start',
  '4106': 'end',
  '400': 'start',
  '403': 'end',
};

/** powershell_operational.yml "Process fields" and "PowerShell fields", in order. */
export const OPERATIONAL_MOVES: readonly FieldMove[] = [
  { from: 'SequenceNumber', to: 'event.sequence', op: 'long' }, // convert SequenceNumber -> event.sequence
  { from: 'HostID', to: 'process.entity_id', op: 'rename' }, // rename HostID -> process.entity_id
  { from: 'HostApplication', to: 'process.command_line', op: 'rename' }, // rename HostApplication -> process.command_line
  { from: 'HostName', to: 'process.title', op: 'rename' }, // rename HostName -> process.title
  { from: 'MessageNumber', to: 'powershell.sequence', op: 'long' }, // convert MessageNumber -> powershell.sequence
  { from: 'MessageTotal', to: 'powershell.total', op: 'long' }, // convert MessageTotal -> powershell.total
  { from: 'ShellID', to: 'powershell.id', op: 'rename' }, // rename ShellID -> powershell.id
  { from: 'EngineVersion', to: 'powershell.engine.version', op: 'rename' }, // rename EngineVersion
  { from: 'PipelineID', to: 'powershell.pipeline_id', op: 'rename' }, // rename PipelineID
  { from: 'RunspaceID', to: 'powershell.runspace_id', op: 'rename' }, // rename RunspaceID
  { from: 'RunspaceId', to: 'powershell.runspace_id', op: 'rename' }, // rename RunspaceId
  { from: 'HostVersion', to: 'powershell.process.executable_version', op: 'rename' }, // rename HostVersion
  { from: 'CommandLine', to: 'powershell.command.value', op: 'rename' }, // rename CommandLine -> powershell.command.value
  { from: 'CommandPath', to: 'powershell.command.path', op: 'rename' }, // rename CommandPath
  { from: 'CommandName', to: 'powershell.command.name', op: 'rename' }, // rename CommandName
  { from: 'CommandType', to: 'powershell.command.type', op: 'rename' }, // rename CommandType
  { from: 'ScriptBlockId', to: 'powershell.file.script_block_id', op: 'rename' }, // rename ScriptBlockId
  { from: 'ScriptBlockText', to: 'powershell.file.script_block_text', op: 'rename' }, // rename ScriptBlockText (then trim)
];

/** powershell.yml "Process fields" and "PowerShell fields", in order. */
export const CLASSIC_MOVES: readonly FieldMove[] = [
  { from: 'SequenceNumber', to: 'event.sequence', op: 'long' }, // convert SequenceNumber -> event.sequence
  { from: 'HostId', to: 'process.entity_id', op: 'rename' }, // rename HostId -> process.entity_id
  { from: 'HostApplication', to: 'process.command_line', op: 'rename' }, // rename HostApplication -> process.command_line
  { from: 'HostName', to: 'process.title', op: 'rename' }, // rename HostName -> process.title
  { from: 'NewEngineState', to: 'powershell.engine.new_state', op: 'rename' }, // rename NewEngineState
  { from: 'PreviousEngineState', to: 'powershell.engine.previous_state', op: 'rename' }, // rename PreviousEngineState
  { from: 'NewProviderState', to: 'powershell.provider.new_state', op: 'rename' }, // rename NewProviderState
  { from: 'ProviderName', to: 'powershell.provider.name', op: 'rename' }, // rename ProviderName
  { from: 'DetailTotal', to: 'powershell.total', op: 'long' }, // convert DetailTotal -> powershell.total
  { from: 'DetailSequence', to: 'powershell.sequence', op: 'long' }, // convert DetailSequence -> powershell.sequence
  { from: 'EngineVersion', to: 'powershell.engine.version', op: 'rename' }, // rename EngineVersion
  { from: 'PipelineId', to: 'powershell.pipeline_id', op: 'rename' }, // rename PipelineId
  { from: 'RunspaceId', to: 'powershell.runspace_id', op: 'rename' }, // rename RunspaceId
  { from: 'HostVersion', to: 'powershell.process.executable_version', op: 'rename' }, // rename HostVersion
  { from: 'CommandLine', to: 'powershell.command.value', op: 'rename' }, // rename CommandLine
  { from: 'CommandPath', to: 'powershell.command.path', op: 'rename' }, // rename CommandPath
  { from: 'CommandName', to: 'powershell.command.name', op: 'rename' }, // rename CommandName
  { from: 'CommandType', to: 'powershell.command.type', op: 'rename' }, // rename CommandType
];

/** powershell_operational.yml "Cleanup" remove processor. */
export const OPERATIONAL_CLEANUP: readonly string[] = [
  'SequenceNumber', 'User', 'ConnectedUser', 'ContextInfo', 'Severity', 'MessageTotal', 'MessageNumber', 'Payload',
];

/** powershell.yml "Cleanup" remove processor. */
export const CLASSIC_CLEANUP: readonly string[] = ['param1', 'param2', 'param3', 'SequenceNumber'];
