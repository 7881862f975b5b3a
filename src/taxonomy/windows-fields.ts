import { m, type CrosswalkEntry } from './types.js';

/**
 * Raw Windows event fields (Security auditing, PowerShell, System) whose meaning is a Sigma taxonomy
 * field under another name. Sysmon fields are Sigma names already. Used for Splunk searches over raw
 * XmlWinEventLog data and Elastic `winlog.event_data.*` fields (prefix stripped). Looked up
 * case-insensitively (Splunk field names are case-sensitive in theory, written loosely in practice).
 */
export const WINDOWS_RAW_FIELDS: readonly CrosswalkEntry[] = [
  // Security 4688 (process creation)
  m('NewProcessName', 'Image', 'same', 'Security 4688'),
  m('ParentProcessName', 'ParentImage', 'same', 'Security 4688'),
  m('Process_Command_Line', 'CommandLine', 'same', 'Splunk TA name of 4688 CommandLine'),
  m('NewProcessId', 'ProcessId', 'same', 'Security 4688'),
  // Security 4663 / 4656 (object access): the object name is the file or key path
  m('ObjectName', 'ObjectName'),
  // Sysmon fields as exposed by the Splunk add-on
  m('EventCode', 'EventID'),
  m('TargetFileName', 'TargetFilename'),
  // PowerShell 4103 / 400 / 800
  m('ScriptBlockText', 'ScriptBlockText'),
  m('Message', 'Message'),
];
