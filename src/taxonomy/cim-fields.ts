import { m, type CrosswalkEntry } from './types.js';

/**
 * Splunk CIM data-model fields -> canonical fields. Qualified names (Processes.process_name) come from
 * tstats/datamodel searches; BARE names come after `drop_dm_object_name` / `| rename`, where the data
 * model prefix is gone. Fields not listed stay canonical under their authored name.
 */
export const CIM_FIELDS: readonly CrosswalkEntry[] = [
  // Endpoint.Processes
  m('Processes.process', 'CommandLine'),
  m('Processes.process_name', 'Image', 'basename'),
  m('Processes.process_path', 'Image'),
  m('Processes.process_exec', 'Image', 'basename'),
  m('Processes.original_file_name', 'OriginalFileName'),
  m('Processes.parent_process', 'ParentCommandLine'),
  m('Processes.parent_process_name', 'ParentImage', 'basename'),
  m('Processes.parent_process_path', 'ParentImage'),
  m('Processes.parent_process_exec', 'ParentImage', 'basename'),
  m('Processes.process_id', 'ProcessId'),
  m('Processes.parent_process_id', 'ParentProcessId'),
  m('Processes.process_guid', 'ProcessGuid'),
  m('Processes.parent_process_guid', 'ParentProcessGuid'),
  m('Processes.process_current_directory', 'CurrentDirectory'),
  m('Processes.process_integrity_level', 'IntegrityLevel'),
  m('Processes.process_hash', 'Hashes'),
  m('Processes.user', 'User'),
  m('Processes.dest', 'host.name'),
  // Endpoint.Filesystem
  m('Filesystem.file_path', 'TargetFilename'),
  m('Filesystem.file_name', 'TargetFilename', 'basename'),
  m('Filesystem.file_hash', 'Hashes'),
  m('Filesystem.process_path', 'Image'),
  m('Filesystem.process_id', 'ProcessId'),
  m('Filesystem.process_guid', 'ProcessGuid'),
  m('Filesystem.user', 'User'),
  m('Filesystem.dest', 'host.name'),
  m('Filesystem.action', 'event.action'),
  // Endpoint.Registry
  m('Registry.registry_path', 'TargetObject'),
  m('Registry.registry_key_name', 'TargetObject', 'same', 'authors match the key path with wildcards'),
  m('Registry.registry_value_name', 'TargetObject', 'basename', 'the value name is the last component of the registry path'),
  m('Registry.registry_value_data', 'Details'),
  m('Registry.process_path', 'Image'),
  m('Registry.process_id', 'ProcessId'),
  m('Registry.process_guid', 'ProcessGuid'),
  m('Registry.user', 'User'),
  m('Registry.dest', 'host.name'),
  m('Registry.action', 'event.action'),
  // Network_Traffic.All_Traffic
  m('All_Traffic.dest_ip', 'DestinationIp'),
  m('All_Traffic.dest_port', 'DestinationPort'),
  m('All_Traffic.src_ip', 'SourceIp'),
  m('All_Traffic.src_port', 'SourcePort'),
  m('All_Traffic.dest', 'DestinationHostname'),
  m('All_Traffic.transport', 'Protocol'),
  m('All_Traffic.process_id', 'ProcessId'),
  m('All_Traffic.user', 'User'),
  // Network_Resolution.DNS
  m('DNS.query', 'QueryName'),
  m('DNS.answer', 'QueryResults'),
  // Web
  m('Web.url', 'c-uri'),
  m('Web.uri_path', 'c-uri-stem'),
  m('Web.uri_query', 'c-uri-query'),
  m('Web.http_user_agent', 'c-useragent'),
  m('Web.http_method', 'cs-method'),
  m('Web.status', 'sc-status'),
  m('Web.http_referrer', 'cs-referrer'),
  // Endpoint.Services
  m('Services.service_name', 'ServiceName'),
  m('Services.service_path', 'ImagePath'),
];

/** Bare CIM names (after the data-model prefix is dropped). Only for Splunk rules. */
export const CIM_BARE_FIELDS: readonly CrosswalkEntry[] = [
  m('process', 'CommandLine'),
  m('process_name', 'Image', 'basename'),
  m('process_path', 'Image'),
  m('process_exec', 'Image', 'basename'),
  m('original_file_name', 'OriginalFileName'),
  m('parent_process', 'ParentCommandLine'),
  m('parent_process_name', 'ParentImage', 'basename'),
  m('parent_process_path', 'ParentImage'),
  m('parent_process_exec', 'ParentImage', 'basename'),
  m('process_id', 'ProcessId'),
  m('parent_process_id', 'ParentProcessId'),
  m('process_guid', 'ProcessGuid'),
  m('parent_process_guid', 'ParentProcessGuid'),
  m('process_current_directory', 'CurrentDirectory'),
  m('process_integrity_level', 'IntegrityLevel'),
  m('process_hash', 'Hashes'),
  m('file_path', 'TargetFilename'),
  m('file_name', 'TargetFilename', 'basename'),
  m('registry_path', 'TargetObject'),
  m('registry_key_name', 'TargetObject'),
  m('registry_value_name', 'TargetObject', 'basename'),
  m('registry_value_data', 'Details'),
  m('dest_ip', 'DestinationIp'),
  m('dest_port', 'DestinationPort'),
  m('src_ip', 'SourceIp'),
  m('src_port', 'SourcePort'),
  m('query', 'QueryName'),
  m('url', 'c-uri'),
  m('http_user_agent', 'c-useragent'),
  m('http_method', 'cs-method'),
  m('user', 'User'),
];

/** Data-model roots that may precede a dataset in qualified names (Network_Resolution.DNS.query -> DNS.query). */
export const CIM_DATAMODEL_ROOTS: readonly string[] = [
  'Endpoint', 'Network_Resolution', 'Network_Traffic', 'Web', 'Change', 'Authentication', 'Email', 'Risk',
];
