/**
 * Fields stored as their own columns besides the map: every field tested by at least 3 Windows
 * Sigma rules (counted over rules, rules-emerging-threats and rules-threat-hunting after their
 * pipelines: Image in 1440 rules, CommandLine 1116, NewProcessName 1096, ...; 2739 of the 2856
 * rules that run as SQL test only these). A MAP lookup reads the whole map of every row, a column
 * only its own values: counting one field over 379k events took 9.1 s through the map and 0.24 s
 * through its column (DuckDB 1.5, 2-core machine at load average 20). Columns of fields an event
 * lacks are NULL and cost next to nothing stored. The map still holds every field.
 */
export const PROMOTED_FIELDS: readonly string[] = [
  'Image', 'CommandLine', 'NewProcessName', 'OriginalFileName', 'EventID', 'ParentImage', 'ParentProcessName',
  'TargetObject', 'TargetFilename', 'Details', 'ScriptBlockText', 'ImageLoaded', 'Provider_Name', 'Description',
  'ParentCommandLine', 'Product', 'Hashes', 'Initiated', 'ImagePath', 'Data', 'ServiceName', 'SourceImage',
  'TargetImage', 'QueryName', 'IntegrityLevel', 'ObjectName', '__IntegrityLevel', 'User', 'Payload',
  'DestinationHostname', 'ProcessName', 'ObjectType', 'Company', 'GrantedAccess', '__User', 'ServiceFileName',
  'PipeName', 'RelativeTargetName', 'DestinationPort', 'DestinationIp', 'CallTrace', 'ShareName', 'Signed',
  'ContextInfo', 'SubjectUserName', 'AccessMask', 'FileName', 'LogonType', 'TargetUserName', 'CurrentDirectory',
  'AccessList', 'Path', 'NewValue', 'IpAddress', 'SignatureStatus', 'EventType', 'AttributeLDAPDisplayName',
  'TaskName', 'AttributeValue', 'Contents', 'AuthenticationPackageName', 'param1', 'SubjectLogonId', 'Level',
  'RemoteName', 'ModifyingApplication', 'Configuration', 'WorkstationName', 'TargetName', 'LogonProcessName',
  'SubjectUserSid', 'ObjectClass', 'SourcePort', 'Signature', 'FileVersion', 'NewName', 'AppName', 'Action',
  'ApplicationPath', 'Application', 'ObjectServer', 'PrivilegeList', 'ObjectValueName', 'Status',
  'TicketEncryptionType', 'SamAccountName', 'DestPort', 'TaskContent', 'StartModule', 'Protocol', 'ParentUser',
  '__ParentUser', 'LogonId',
];

const PROMOTED = new Set(PROMOTED_FIELDS);

/** The column of a promoted field (names above are plain identifiers), else undefined. */
export function promotedColumn(field: string): string | undefined {
  return PROMOTED.has(field) ? `"f_${field}"` : undefined;
}

/**
 * The most tested promoted fields (the first LOWERED_COUNT, each in more than 20 rules) are also
 * stored lower-cased (DuckDB's own lower(), at ingest): a case-insensitive test reads
 * `l_<field>` instead of lowering every value for every rule. Not all of them: every column costs
 * ingest time (12k events: 1.7 s to insert with 29 promoted fields, 4.4 s with 93, both lowered).
 */
export const LOWERED_FIELDS = PROMOTED_FIELDS.slice(0, 29);
const LOWERED = new Map(LOWERED_FIELDS.map((f) => [`"f_${f}"`, `"l_${f}"`]));

/** The lower-cased column of a promoted column (`"f_X"` -> `"l_X"`), if it has one. */
export function loweredColumn(column: string): string | undefined {
  return LOWERED.get(column);
}

const LOWERED_FROM = new Map([...LOWERED].map(([f, l]) => [l, f]));

/** The promoted column a lower-cased column is lower() of (`"l_X"` -> `"f_X"`), if `column` is one. */
export function lowerCaseOf(column: string): string | undefined {
  return LOWERED_FROM.get(column);
}

/** `lower(expr)`, read from the lower-cased column when `expr` is a promoted column. */
export function loweredSql(expr: string): string {
  return LOWERED.get(expr) ?? `lower(${expr})`;
}
