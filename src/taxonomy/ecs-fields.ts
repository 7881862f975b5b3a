import { m, type CrosswalkEntry } from './types.js';

/**
 * ECS (Elastic Common Schema, also Elastic integration fields) -> canonical fields.
 * ECS fields not listed here are canonical under their own ECS name.
 */
export const ECS_FIELDS: readonly CrosswalkEntry[] = [
  // process
  m('process.executable', 'Image'),
  m('process.name', 'Image', 'basename'),
  m('process.command_line', 'CommandLine'),
  m('process.pe.original_file_name', 'OriginalFileName'),
  m('process.pe.description', 'Description'),
  m('process.pe.product', 'Product'),
  m('process.pe.company', 'Company'),
  m('process.pe.file_version', 'FileVersion'),
  m('process.pe.imphash', 'Hashes', 'hash:IMPHASH'),
  m('process.hash.md5', 'Hashes', 'hash:MD5'),
  m('process.hash.sha1', 'Hashes', 'hash:SHA1'),
  m('process.hash.sha256', 'Hashes', 'hash:SHA256'),
  m('process.working_directory', 'CurrentDirectory'),
  m('process.pid', 'ProcessId'),
  m('process.entity_id', 'ProcessGuid', 'same', 'both identify one process instance'),
  m('process.Ext.token.integrity_level_name', 'IntegrityLevel'),
  m('process.parent.executable', 'ParentImage'),
  m('process.parent.name', 'ParentImage', 'basename'),
  m('process.parent.command_line', 'ParentCommandLine'),
  m('process.parent.pid', 'ParentProcessId'),
  m('process.parent.entity_id', 'ParentProcessGuid'),
  m('user.name', 'User', 'same', 'Sigma User is often DOMAIN\\name; the name part is compared as written'),
  // files (in a library or driver load event, file.* describe the loaded module: Sysmon ImageLoaded)
  m('file.path', 'ImageLoaded', 'same', 'the loaded module in library/driver events', { categories: ['library', 'driver'] }),
  m('file.name', 'ImageLoaded', 'basename', 'the loaded module in library/driver events', { categories: ['library', 'driver'] }),
  m('file.path', 'TargetFilename'),
  m('file.name', 'TargetFilename', 'basename'),
  m('file.extension', 'TargetFilename', 'extension'),
  m('file.directory', 'TargetFilename', 'directory'),
  m('file.hash.md5', 'Hashes', 'hash:MD5'),
  m('file.hash.sha1', 'Hashes', 'hash:SHA1'),
  m('file.hash.sha256', 'Hashes', 'hash:SHA256'),
  // libraries (image load)
  m('dll.path', 'ImageLoaded'),
  m('dll.name', 'ImageLoaded', 'basename'),
  m('dll.pe.original_file_name', 'OriginalFileName'),
  m('dll.hash.md5', 'Hashes', 'hash:MD5'),
  m('dll.hash.sha256', 'Hashes', 'hash:SHA256'),
  // registry
  m('registry.path', 'TargetObject'),
  m('registry.value', 'TargetObject', 'basename', 'the value name is the last component of the registry path'),
  m('registry.data.strings', 'Details'),
  // network
  m('destination.ip', 'DestinationIp'),
  m('destination.port', 'DestinationPort'),
  m('destination.domain', 'DestinationHostname'),
  m('destination.address', 'DestinationHostname'),
  m('source.ip', 'SourceIp'),
  m('source.port', 'SourcePort'),
  m('source.domain', 'SourceHostname'),
  m('network.transport', 'Protocol'),
  m('network.direction', 'Initiated', 'same', 'Sigma network_connection: Initiated true = egress'),
  m('dns.question.name', 'QueryName'),
  m('dns.resolved_ip', 'QueryResults'),
  // PowerShell (Elastic windows integration)
  m('powershell.file.script_block_text', 'ScriptBlockText'),
  m('powershell.file.script_block_id', 'ScriptBlockId'),
  m('powershell.command.value', 'Payload'),
  // pipes, services, windows event metadata
  m('file.Ext.original.path', 'SourceFilename', 'same', 'rename source (Sysmon file rename)'),
  m('winlog.event_id', 'EventID'),
  // Elastic Defend's event.code names an alert or event kind (malicious_file, memory_signature...):
  // it is the Windows event id only in Windows event log data.
  m('event.code', 'EventID', 'same', 'the Windows event id in winlog data only', { sources: ['winlog'], numeric: true }),
  m('winlog.channel', 'Channel'),
  m('winlog.provider_name', 'Provider_Name'),
  m('winlog.computer_name', 'Computer'),
  m('winlog.logon.type', 'LogonType'),
  // web / proxy (Sigma proxy taxonomy)
  m('url.original', 'c-uri'),
  m('url.full', 'c-uri'),
  m('url.path', 'c-uri-stem'),
  m('url.query', 'c-uri-query'),
  // Cloud audit logs (CloudTrail, Entra ID, Kubernetes...) carry user agents too: not proxy fields.
  m('user_agent.original', 'c-useragent', 'same', 'proxy/web-server user agent', { categories: ['web'] }),
  m('user_agent.original', 'c-useragent', 'same', 'proxy/web-server user agent', { sources: ['web'] }),
  m('http.request.method', 'cs-method'),
  m('http.response.status_code', 'sc-status'),
  m('http.request.referrer', 'cs-referrer'),
];

/** Elastic field spellings that name another field (suffixes and prefixes stripped before lookup). */
export const ECS_SUFFIXES_STRIPPED: readonly string[] = ['.caseless', '.text', '.keyword'];
/** Prefix under which Elastic's winlog integration keeps raw Windows event data fields. */
export const WINLOG_EVENT_DATA_PREFIX = 'winlog.event_data.';
