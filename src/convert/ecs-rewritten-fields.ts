/**
 * ECS fields the taxonomy reads as a raw Windows field although the Windows integration writes them
 * differently from the raw value, so a Sigma rule on the raw field would not select the same events.
 * Found by the semantic conversion check (test/convert/semantic.test.ts).
 */
export const ECS_REWRITTEN_FIELDS: Readonly<Record<string, string>> = {
  'registry.data.strings': 'Sysmon writes a DWORD as "DWORD (0x00000001)" in Details; the integration stores it as "1"',
  'user.name': 'the raw User is DOMAIN\\name; the integration keeps the name part alone',
  'user.domain': 'the raw User is DOMAIN\\name; the integration keeps the domain part alone',
  'process.Ext.token.integrity_level_name': 'an Elastic Defend field: the Windows integration leaves IntegrityLevel in winlog.event_data',
};
