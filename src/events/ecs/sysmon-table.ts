/**
 * Sysmon (Microsoft-Windows-Sysmon/Operational) -> ECS, following the windows integration's
 * sysmon_operational ingest pipeline (packages/windows/data_stream/sysmon_operational/elasticsearch/
 * ingest_pipeline/default.yml, now _dev/shared/ingest_pipeline/sysmon_operational.yml). Comments
 * name the processor each entry follows.
 */
import type { FieldMove } from './moves.js';

export interface EventClass {
  category?: readonly string[];
  type?: readonly string[];
  action: string | readonly string[];
  outcome?: string;
}

/** sysmon default.yml: script "Add ECS categorization fields" (params per event code). */
export const SYSMON_EVENTS: Readonly<Record<string, EventClass>> = {
  '1': { category: ['process'], type: ['start'], action: 'Process creation' },
  '2': { category: ['file'], type: ['change'], action: 'A process changed a file creation time' },
  '3': { category: ['network'], type: ['start', 'connection', 'protocol'], action: 'Network connection' },
  '4': { category: ['process'], type: ['change'], action: 'Sysmon service state changed' },
  '5': { category: ['process'], type: ['end'], action: 'Process terminated' },
  '6': { category: ['driver'], type: ['start'], action: 'Driver loaded' },
  // The newest pipeline adds the library category and the "load" action (its pipeline test
  // test-image-loaded-failed-signature.json-expected.json); older ones had process/change only.
  '7': { category: ['process', 'library'], type: ['change', 'start'], action: ['Image loaded', 'load'] },
  '8': { category: ['process'], type: ['change'], action: 'CreateRemoteThread' },
  '9': { category: ['process'], type: ['access'], action: 'RawAccessRead' },
  '10': { category: ['process'], type: ['access'], action: 'ProcessAccess' },
  '11': { category: ['file'], type: ['creation'], action: 'FileCreate' },
  '12': { category: ['configuration', 'registry'], type: ['change'], action: 'RegistryEvent (Object create and delete)' },
  '13': { category: ['configuration', 'registry'], type: ['change'], action: 'RegistryEvent (Value Set)' },
  '14': { category: ['configuration', 'registry'], type: ['change'], action: 'RegistryEvent (Key and Value Rename)' },
  '15': { category: ['file'], type: ['access'], action: 'FileCreateStreamHash' },
  '16': { category: ['configuration'], type: ['change'], action: 'ServiceConfigurationChange' },
  '17': { category: ['file'], type: ['creation'], action: 'PipeEvent (Pipe Created)' },
  '18': { category: ['file'], type: ['access'], action: 'PipeEvent (Pipe Connected)' },
  '19': { category: ['process'], type: ['info'], action: 'WmiEvent (WmiEventFilter activity detected)' },
  '20': { category: ['process'], type: ['change'], action: 'WmiEvent (WmiEventConsumer activity detected)' },
  '21': { category: ['process'], type: ['access'], action: 'WmiEvent (WmiEventConsumerToFilter activity detected)' },
  '22': { category: ['network'], type: ['connection', 'protocol', 'info'], action: 'DNSEvent (DNS query)' },
  '23': { category: ['file'], type: ['deletion'], action: 'FileDelete (File Delete archived)' },
  '24': { type: ['change'], action: 'ClipboardChange (New content in the clipboard)' },
  '25': { category: ['process'], type: ['change'], action: 'ProcessTampering (Process image change)' },
  '26': { category: ['file'], type: ['deletion'], action: 'FileDeleteDetected (File Delete logged)' },
  '27': { category: ['file'], type: ['creation'], outcome: 'failure', action: 'FileBlockExecutable' },
  '28': { category: ['file'], type: ['deletion'], action: 'FileBlockShredding' },
  '29': { category: ['file'], type: ['creation'], action: 'FileExecutableDetected' },
  '255': { category: ['process'], outcome: 'failure', action: 'Error' },
};

/** sysmon default.yml: rename _temp.hashes -> process.hash for these codes ... */
export const PROCESS_HASH_CODES: readonly string[] = ['1', '23', '24', '25'];
/** ... and rename _temp.hashes -> file.hash for these. */
export const FILE_HASH_CODES: readonly string[] = ['6', '7', '15', '26', '29'];
/** sysmon default.yml: "Set registry fields" runs for these codes. */
export const REGISTRY_CODES: readonly string[] = ['12', '13', '14'];

/** The field processors, in pipeline order. */
export const SYSMON_MOVES: readonly FieldMove[] = [
  { from: 'ID', to: 'error.code', op: 'rename', codes: ['255'] }, // rename winlog.event_data.ID -> error.code
  { from: 'RuleName', to: 'rule.name', op: 'rename' }, // rename RuleName -> rule.name
  { from: 'Type', to: 'message', op: 'rename', codes: ['25'] }, // rename Type -> message (25)
  // Process fields
  { from: 'ProcessGuid', to: 'process.entity_id', op: 'rename' }, // rename ProcessGuid -> process.entity_id
  { from: 'ProcessId', to: 'process.pid', op: 'long' }, // convert ProcessId -> process.pid (long)
  { from: 'Image', to: 'process.executable', op: 'rename' }, // rename Image -> process.executable
  { from: 'SourceProcessGuid', to: 'process.entity_id', op: 'rename' }, // rename SourceProcessGuid -> process.entity_id
  { from: 'SourceProcessGUID', to: 'process.entity_id', op: 'rename' }, // rename SourceProcessGUID -> process.entity_id
  { from: 'SourceProcessId', to: 'process.pid', op: 'long' }, // convert SourceProcessId -> process.pid
  { from: 'SourceThreadId', to: 'process.thread.id', op: 'long' }, // convert SourceThreadId -> process.thread.id
  { from: 'SourceImage', to: 'process.executable', op: 'rename' }, // rename SourceImage -> process.executable
  { from: 'Destination', to: 'process.executable', op: 'rename' }, // rename Destination -> process.executable
  { from: 'CommandLine', to: 'process.command_line', op: 'rename' }, // rename CommandLine -> process.command_line
  { from: 'CurrentDirectory', to: 'process.working_directory', op: 'rename' }, // rename CurrentDirectory -> process.working_directory
  { from: 'ParentProcessGuid', to: 'process.parent.entity_id', op: 'rename' }, // rename ParentProcessGuid -> process.parent.entity_id
  { from: 'ParentProcessId', to: 'process.parent.pid', op: 'long' }, // convert ParentProcessId -> process.parent.pid
  { from: 'ParentImage', to: 'process.parent.executable', op: 'rename' }, // rename ParentImage -> process.parent.executable
  { from: 'ParentCommandLine', to: 'process.parent.command_line', op: 'rename' }, // rename ParentCommandLine -> process.parent.command_line
  { from: 'OriginalFileName', to: 'process.pe.original_file_name', op: 'rename', notCodes: ['7'] }, // rename OriginalFileName -> process.pe.original_file_name (not 7)
  { from: 'Company', to: 'process.pe.company', op: 'copy', notCodes: ['7'] }, // set process.pe.company copy_from Company (not 7)
  { from: 'Description', to: 'process.pe.description', op: 'copy', notCodes: ['7'] }, // set process.pe.description copy_from Description
  { from: 'FileVersion', to: 'process.pe.file_version', op: 'copy', notCodes: ['7'] }, // set process.pe.file_version copy_from FileVersion
  { from: 'Product', to: 'process.pe.product', op: 'copy', notCodes: ['7'] }, // set process.pe.product copy_from Product
  // File fields
  { from: 'TargetFilename', to: 'file.path', op: 'rename' }, // rename TargetFilename -> file.path
  { from: 'Device', to: 'file.path', op: 'rename' }, // rename Device -> file.path
  { from: 'PipeName', to: 'file.name', op: 'rename' }, // rename PipeName -> file.name
  { from: 'ImageLoaded', to: 'file.path', op: 'rename' }, // rename ImageLoaded -> file.path
  { from: 'Signature', to: 'file.code_signature.subject_name', op: 'copy' }, // set file.code_signature.subject_name copy_from Signature
  { from: 'SignatureStatus', to: 'file.code_signature.status', op: 'copy' }, // set file.code_signature.status copy_from SignatureStatus
  { from: 'OriginalFileName', to: 'file.pe.original_file_name', op: 'rename', codes: ['7'] }, // rename OriginalFileName -> file.pe.original_file_name (7)
  { from: 'Company', to: 'file.pe.company', op: 'copy', codes: ['7'] }, // set file.pe.company copy_from Company (7)
  { from: 'Description', to: 'file.pe.description', op: 'copy', codes: ['7'] }, // set file.pe.description (7)
  { from: 'FileVersion', to: 'file.pe.file_version', op: 'copy', codes: ['7'] }, // set file.pe.file_version (7)
  { from: 'Product', to: 'file.pe.product', op: 'copy', codes: ['7'] }, // set file.pe.product (7)
  // Network, Destination and Source fields
  { from: 'Protocol', to: 'network.transport', op: 'rename' }, // rename Protocol -> network.transport
  { from: 'DestinationPortName', to: 'network.protocol', op: 'rename', notCodes: ['22'] }, // rename DestinationPortName -> network.protocol
  { from: 'SourcePortName', to: 'network.protocol', op: 'rename', notCodes: ['22'] }, // rename SourcePortName -> network.protocol
  { from: 'SourceIp', to: 'source.ip', op: 'ip' }, // convert SourceIp -> source.ip (ip)
  { from: 'SourceHostname', to: 'source.domain', op: 'rename' }, // rename SourceHostname -> source.domain
  { from: 'SourcePort', to: 'source.port', op: 'long' }, // convert SourcePort -> source.port (long)
  { from: 'DestinationIp', to: 'destination.ip', op: 'ip' }, // convert DestinationIp -> destination.ip (ip)
  { from: 'DestinationHostname', to: 'destination.domain', op: 'rename' }, // rename DestinationHostname -> destination.domain
  { from: 'DestinationPort', to: 'destination.port', op: 'long' }, // convert DestinationPort -> destination.port (long)
  { from: 'QueryName', to: 'dns.question.name', op: 'rename' }, // rename QueryName -> dns.question.name
  // Sysmon fields
  { from: 'QueryStatus', to: 'sysmon.dns.status', op: 'rename' }, // rename QueryStatus -> sysmon.dns.status (then translated)
  { from: 'Archived', to: 'sysmon.file.archived', op: 'boolean' }, // convert Archived -> sysmon.file.archived (boolean)
  { from: 'IsExecutable', to: 'sysmon.file.is_executable', op: 'boolean' }, // convert IsExecutable -> sysmon.file.is_executable
];

/** sysmon default.yml: "Cleanup" remove processor (event data fields already mapped elsewhere). */
export const SYSMON_CLEANUP: readonly string[] = [
  'ProcessId', 'ParentProcessId', 'SourceProcessId', 'SourceThreadId', 'SourceIp', 'SourcePort', 'SourcePortName',
  'DestinationIp', 'DestinationPort', 'DestinationPortName', 'RuleName', 'User', 'Initiated', 'SourceIsIpv6',
  'DestinationIsIpv6', 'QueryStatus', 'Archived', 'IsExecutable', 'QueryResults', 'UtcTime', 'Hash', 'Hashes',
  'TargetObject',
];

/** sysmon default.yml: "Set registry fields" params (hive names and abbreviations -> ECS hive). */
export const REGISTRY_HIVES: Readonly<Record<string, string>> = {
  HKEY_CLASSES_ROOT: 'HKCR',
  HKCR: 'HKCR',
  HKEY_CURRENT_CONFIG: 'HKCC',
  HKCC: 'HKCC',
  HKEY_CURRENT_USER: 'HKCU',
  HKCU: 'HKCU',
  HKEY_DYN_DATA: 'HKDD',
  HKDD: 'HKDD',
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKLM: 'HKLM',
  HKEY_PERFORMANCE_DATA: 'HKPD',
  HKPD: 'HKPD',
  HKEY_USERS: 'HKU',
  HKU: 'HKU',
};

/**
 * sysmon default.yml: "Splits the QueryResults field" params: DNS record type numbers -> names
 * (the common ones; an unknown number leaves the answer without a type, as the pipeline's lookup does).
 */
export const DNS_TYPES: Readonly<Record<string, string>> = {
  '1': 'A', '2': 'NS', '5': 'CNAME', '6': 'SOA', '12': 'PTR', '13': 'HINFO', '15': 'MX', '16': 'TXT', '17': 'RP',
  '18': 'AFSDB', '24': 'SIG', '25': 'KEY', '28': 'AAAA', '29': 'LOC', '33': 'SRV', '35': 'NAPTR', '37': 'CERT',
  '39': 'DNAME', '41': 'OPT', '43': 'DS', '46': 'RRSIG', '47': 'NSEC', '48': 'DNSKEY', '49': 'DHCID', '250': 'TSIG',
  '251': 'IXFR', '252': 'AXFR', '255': 'ANY',
};

/**
 * sysmon default.yml: "Translate DNS Query status" params (Win32 / DNS status codes -> names), the
 * codes Sysmon reports most; others stay numeric as the pipeline leaves unknown codes.
 */
export const DNS_STATUS: Readonly<Record<string, string>> = {
  '0': 'SUCCESS',
  '5': 'ERROR_ACCESS_DENIED',
  '123': 'ERROR_INVALID_NAME',
  '1214': 'ERROR_INVALID_NETNAME',
  '1223': 'ERROR_CANCELLED',
  '1460': 'ERROR_TIMEOUT',
  '9001': 'DNS_ERROR_RCODE_FORMAT_ERROR',
  '9002': 'DNS_ERROR_RCODE_SERVER_FAILURE',
  '9003': 'DNS_ERROR_RCODE_NAME_ERROR',
  '9004': 'DNS_ERROR_RCODE_NOT_IMPLEMENTED',
  '9005': 'DNS_ERROR_RCODE_REFUSED',
  '9501': 'DNS_INFO_NO_RECORDS',
  '9502': 'DNS_ERROR_BAD_PACKET',
  '9503': 'DNS_ERROR_NO_PACKET',
  '9560': 'DNS_ERROR_INVALID_NAME_CHAR',
  '9701': 'DNS_ERROR_RECORD_DOES_NOT_EXIST',
  '10054': 'WSAECONNRESET',
  '10055': 'WSAENOBUFS',
  '10060': 'WSAETIMEDOUT',
};
