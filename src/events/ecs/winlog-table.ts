/**
 * What Winlogbeat / the Elastic Agent's winlog input put in every document before any ingest
 * pipeline runs: the rendered names of System's numeric Level, Opcode and Keywords (from the
 * Windows event metadata, winmeta.xml), and which dataset a channel goes to in the integrations.
 */

/** System/Level -> log.level (lower-cased rendered level name, as the expected documents show "information"). */
export const LEVEL_NAMES: Readonly<Record<number, string>> = {
  0: 'information', // LogAlways: Security events render as "Information"
  1: 'critical',
  2: 'error',
  3: 'warning',
  4: 'information',
  5: 'verbose',
};

/** System/Opcode -> winlog.opcode (winmeta.xml opcode names). */
export const OPCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'Info',
  1: 'Start',
  2: 'Stop',
  3: 'DCStart',
  4: 'DCStop',
  7: 'Extension',
  8: 'Reply',
  9: 'Resume',
  10: 'Suspend',
  11: 'Send',
  240: 'Receive',
};

/** System/Keywords bits 48-55 (winmeta.xml) -> winlog.keywords; provider-specific bits are not rendered. */
export const KEYWORD_NAMES: readonly { bit: bigint; name: string; outcome?: 'success' | 'failure' }[] = [
  { bit: 0x0001000000000000n, name: 'Response Time' },
  { bit: 0x0002000000000000n, name: 'WDI Context' },
  { bit: 0x0004000000000000n, name: 'WDI Diag' },
  { bit: 0x0008000000000000n, name: 'SQM' },
  // winlogbeat: event.outcome from the audit keywords
  { bit: 0x0010000000000000n, name: 'Audit Failure', outcome: 'failure' },
  { bit: 0x0020000000000000n, name: 'Audit Success', outcome: 'success' },
  { bit: 0x0040000000000000n, name: 'Correlation Hint' },
  { bit: 0x0080000000000000n, name: 'Classic' },
];

/**
 * Task names of providers whose metadata an EVTX file does not carry (Winlogbeat renders them into
 * winlog.task and event.action). Microsoft-Windows-Eventlog task 104 is the log clearing of 1102
 * and System 104, which the rules read as event.action "Log clear".
 */
export const EVENTLOG_TASKS: Readonly<Record<number, string>> = {
  104: 'Log clear',
};

/** Which integration data stream reads a channel: event.module, event.dataset, data_stream.dataset. */
export interface Dataset {
  module: string;
  dataset: string;
}

/** Channel (lower-case) -> dataset, as the Fleet integrations route them (windows and system packages). */
export const CHANNEL_DATASETS: Readonly<Record<string, Dataset>> = {
  'microsoft-windows-sysmon/operational': { module: 'windows', dataset: 'windows.sysmon_operational' },
  'microsoft-windows-powershell/operational': { module: 'windows', dataset: 'windows.powershell_operational' },
  'windows powershell': { module: 'windows', dataset: 'windows.powershell' },
  'microsoft-windows-windows defender/operational': { module: 'windows', dataset: 'windows.windows_defender' },
  'microsoft-windows-applocker/exe and dll': { module: 'windows', dataset: 'windows.applocker_exe_and_dll' },
  'microsoft-windows-applocker/msi and script': { module: 'windows', dataset: 'windows.applocker_msi_and_script' },
  security: { module: 'system', dataset: 'system.security' },
  system: { module: 'system', dataset: 'system.system' },
  application: { module: 'system', dataset: 'system.application' },
};

/** Any other channel: the Custom Windows Event Logs integration's default dataset. */
export const DEFAULT_DATASET: Dataset = { module: 'winlog', dataset: 'winlog.winlog' };

/** Event data values the integrations' pipelines drop as empty ("Remove all empty values from event_data"). */
export const EMPTY_VALUES: ReadonlySet<string> = new Set(['', '-', '{00000000-0000-0000-0000-000000000000}']);

/** The datasets whose pipelines drop EMPTY_VALUES from event data (sysmon_operational, system security). */
export const EMPTY_DROPPING_DATASETS: ReadonlySet<string> = new Set(['windows.sysmon_operational', 'system.security']);
