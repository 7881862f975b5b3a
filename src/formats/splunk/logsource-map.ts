/**
 * How a Splunk detection's data maps onto Sigma-style log sources. Three typed tables, read in
 * this order by logsource.ts (the first that gives a category wins; product and service merge):
 * 1. the CIM data model of `tstats ... from datamodel=X.Y`;
 * 2. the event selector (source / sourcetype / eventtype values) with the EventCode predicate;
 * 3. the detection's `data_source` names.
 */
import type { LogSource } from '../../model/index.js';

/** CIM data model (dataset) -> log source. Data models with no Sigma counterpart are left out. */
export const DATAMODEL_LOGSOURCE: Readonly<Record<string, LogSource>> = {
  'Endpoint.Processes': { category: 'process_creation' },
  'Endpoint.Filesystem': { category: 'file_event' },
  'Endpoint.Registry': { category: 'registry_event' },
  'Endpoint.Services': { category: 'service' },
  'Network_Traffic': { category: 'network_connection' },
  'Network_Traffic.All_Traffic': { category: 'network_connection' },
  'Network_Resolution': { category: 'dns' },
  'Network_Resolution.DNS': { category: 'dns' },
  'Web': { category: 'proxy' },
  'Web.Web': { category: 'proxy' },
  'Authentication': { category: 'authentication' },
  'Authentication.Authentication': { category: 'authentication' },
  'Email': { category: 'email' },
  'Email.All_Email': { category: 'email' },
  'Intrusion_Detection.IDS_Attacks': { category: 'ids' },
  'Certificates.All_Certificates': { category: 'certificate' },
};

/** Selector values (source, sourcetype, eventtype, Channel), matched case-insensitively. */
export interface SelectorRule {
  pattern: RegExp;
  logsource: LogSource;
}

export const SELECTOR_LOGSOURCE: readonly SelectorRule[] = [
  { pattern: /Microsoft-Windows-Sysmon\/Operational|^sysmon$/i, logsource: { product: 'windows', service: 'sysmon' } },
  { pattern: /Linux-Sysmon/i, logsource: { product: 'linux', service: 'sysmon' } },
  { pattern: /WinEventLog:Security$|^wineventlog_security$|^security$/i, logsource: { product: 'windows', service: 'security' } },
  { pattern: /WinEventLog:System$|^wineventlog_system$/i, logsource: { product: 'windows', service: 'system' } },
  { pattern: /WinEventLog:Application$|^wineventlog_application$/i, logsource: { product: 'windows', service: 'application' } },
  { pattern: /PowerShell\/Operational/i, logsource: { product: 'windows', service: 'powershell' } },
  { pattern: /Windows Defender\/Operational/i, logsource: { product: 'windows', service: 'windefend' } },
  { pattern: /TaskScheduler\/Operational/i, logsource: { product: 'windows', service: 'taskscheduler' } },
  { pattern: /WMI-Activity\/Operational/i, logsource: { product: 'windows', service: 'wmi' } },
  { pattern: /^linux:audit$|auditd/i, logsource: { product: 'linux', service: 'auditd' } },
  { pattern: /^aws:cloudtrail$/i, logsource: { product: 'aws', service: 'cloudtrail' } },
  { pattern: /^o365:management:activity$/i, logsource: { product: 'm365', service: 'audit' } },
  { pattern: /^azure:monitor:aad$/i, logsource: { product: 'azure', service: 'signinlogs' } },
  { pattern: /^OktaIM2:log$/i, logsource: { product: 'okta', service: 'okta' } },
  { pattern: /^kube:/i, logsource: { product: 'kubernetes', service: 'audit' } },
  { pattern: /^google:gcp:/i, logsource: { product: 'gcp', service: 'gcp.audit' } },
  { pattern: /^github/i, logsource: { product: 'github', service: 'audit' } },
];

/** Sysmon EventID -> Sigma category (product windows / linux, service sysmon). */
export const SYSMON_EVENT_CATEGORY: Readonly<Record<number, string>> = {
  1: 'process_creation',
  2: 'file_change',
  3: 'network_connection',
  5: 'process_termination',
  6: 'driver_load',
  7: 'image_load',
  8: 'create_remote_thread',
  9: 'raw_access_thread',
  10: 'process_access',
  11: 'file_event',
  12: 'registry_event',
  13: 'registry_set',
  14: 'registry_rename',
  15: 'create_stream_hash',
  17: 'pipe_created',
  18: 'pipe_created',
  19: 'wmi_event',
  20: 'wmi_event',
  21: 'wmi_event',
  22: 'dns_query',
  23: 'file_delete',
  24: 'clipboard_capture',
  25: 'process_tampering',
  26: 'file_delete_detected',
};

/** Windows Security / PowerShell EventIDs with a Sigma category of their own. */
export const WINDOWS_EVENT_CATEGORY: Readonly<Record<string, Record<number, string>>> = {
  security: { 4688: 'process_creation' },
  powershell: { 4103: 'ps_module', 4104: 'ps_script' },
};

/** `data_source` names (security_content data_sources/*.yml names) -> log source. */
export interface DataSourceRule {
  pattern: RegExp;
  logsource: LogSource;
  /** The EventID is the name's trailing number: categorize with the Sysmon table. */
  sysmonId?: boolean;
}

export const DATA_SOURCE_LOGSOURCE: readonly DataSourceRule[] = [
  { pattern: /^Sysmon EventID (\d+)/i, logsource: { product: 'windows', service: 'sysmon' }, sysmonId: true },
  { pattern: /^Sysmon for Linux EventID (\d+)/i, logsource: { product: 'linux', service: 'sysmon' }, sysmonId: true },
  { pattern: /^Windows Event Log Security 4688|^Windows Security 4688/i, logsource: { product: 'windows', service: 'security', category: 'process_creation' } },
  { pattern: /^Windows (Event Log )?Security/i, logsource: { product: 'windows', service: 'security' } },
  { pattern: /^Powershell Script Block Logging 4104/i, logsource: { product: 'windows', service: 'powershell', category: 'ps_script' } },
  { pattern: /^Windows Event Log System/i, logsource: { product: 'windows', service: 'system' } },
  { pattern: /^Windows Event Log Application/i, logsource: { product: 'windows', service: 'application' } },
  { pattern: /^Windows Event Log Defender/i, logsource: { product: 'windows', service: 'windefend' } },
  { pattern: /^CrowdStrike ProcessRollup2/i, logsource: { category: 'process_creation' } },
  { pattern: /^Linux Auditd/i, logsource: { product: 'linux', service: 'auditd' } },
  { pattern: /^AWS CloudTrail/i, logsource: { product: 'aws', service: 'cloudtrail' } },
  { pattern: /^(O365|Office 365)/i, logsource: { product: 'm365', service: 'audit' } },
  { pattern: /^Azure Active Directory/i, logsource: { product: 'azure', service: 'auditlogs' } },
  { pattern: /^Okta/i, logsource: { product: 'okta', service: 'okta' } },
  { pattern: /^Kubernetes/i, logsource: { product: 'kubernetes', service: 'audit' } },
  { pattern: /^(Google Workspace|G Suite)/i, logsource: { product: 'gcp', service: 'google_workspace.admin' } },
  { pattern: /^GitHub/i, logsource: { product: 'github', service: 'audit' } },
  { pattern: /^(Windows|Powershell|NTLM Operational)\b/i, logsource: { product: 'windows' } },
];
