/**
 * Event types (Sigma logsource categories are the vocabulary) and how other vendors name them:
 * Elastic EQL event categories / ECS event.category, Splunk CIM datasets and data sources.
 */

/** Elastic EQL `<category> where` and ECS event.category values -> event type. */
export const ELASTIC_EVENT_CATEGORIES: Readonly<Record<string, string>> = {
  process: 'process_creation',
  file: 'file_event',
  library: 'image_load',
  registry: 'registry_event',
  network: 'network_connection',
  dns: 'dns_query',
  driver: 'driver_load',
  authentication: 'authentication',
  iam: 'iam',
  configuration: 'configuration',
  web: 'webserver',
  api: 'api',
  session: 'session',
  intrusion_detection: 'intrusion_detection',
  malware: 'malware',
  package: 'package',
  host: 'host',
  database: 'database',
  email: 'email',
  threat: 'threat',
};

/** Splunk CIM datasets (datamodel=Endpoint.Processes, Processes.* fields) -> event type. */
export const CIM_DATASET_EVENTS: Readonly<Record<string, string>> = {
  'Endpoint.Processes': 'process_creation',
  'Endpoint.Filesystem': 'file_event',
  'Endpoint.Registry': 'registry_event',
  'Endpoint.Services': 'service',
  'Endpoint.Ports': 'network_connection',
  'Network_Traffic.All_Traffic': 'network_connection',
  'Network_Traffic': 'network_connection',
  'Network_Resolution.DNS': 'dns_query',
  'Network_Resolution': 'dns_query',
  'Web': 'webserver',
  'Web.Web': 'webserver',
  'Authentication': 'authentication',
  'Authentication.Authentication': 'authentication',
  'Change': 'configuration',
  'Change.All_Changes': 'configuration',
  'Email': 'email',
  'Risk': 'risk',
  'Risk.All_Risk': 'risk',
};

/** Field prefixes of CIM datasets, for searches without a `datamodel=` clause. */
export const CIM_FIELD_PREFIX_EVENTS: Readonly<Record<string, string>> = {
  'Processes.': 'process_creation',
  'Filesystem.': 'file_event',
  'Registry.': 'registry_event',
  'All_Traffic.': 'network_connection',
  'DNS.': 'dns_query',
  'Web.': 'webserver',
  'Authentication.': 'authentication',
  'All_Changes.': 'configuration',
};

/** Splunk data source names (exact, case-insensitive) -> event type. */
export const SPLUNK_DATA_SOURCE_EVENTS: ReadonlyArray<readonly [string, string]> = [
  ['Sysmon EventID 1', 'process_creation'],
  ['Windows Event Log Security 4688', 'process_creation'],
  ['CrowdStrike ProcessRollup2', 'process_creation'],
  ['Sysmon EventID 3', 'network_connection'],
  ['Sysmon EventID 7', 'image_load'],
  ['Sysmon EventID 8', 'create_remote_thread'],
  ['Sysmon EventID 10', 'process_access'],
  ['Sysmon EventID 11', 'file_event'],
  ['Sysmon EventID 12', 'registry_event'],
  ['Sysmon EventID 13', 'registry_event'],
  ['Sysmon EventID 14', 'registry_event'],
  ['Sysmon EventID 15', 'create_stream_hash'],
  ['Sysmon EventID 17', 'pipe_created'],
  ['Sysmon EventID 18', 'pipe_created'],
  ['Sysmon EventID 22', 'dns_query'],
  ['Sysmon EventID 23', 'file_delete'],
  ['Sysmon EventID 26', 'file_delete'],
  ['Powershell Script Block Logging 4104', 'ps_script'],
  ['PowerShell Script Block Logging 4104', 'ps_script'],
  ['Windows Event Log System 7045', 'service'],
];
