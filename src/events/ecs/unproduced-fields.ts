/**
 * Fields the Windows Elastic rules read that documents made from Windows event logs do not have,
 * and why. A pattern ending in ".*" covers a field set. The ECS coverage test checks that every
 * field the rules read is produced or listed here, and that nothing listed here is produced.
 */
export interface UnproducedField {
  field: string;
  reason: string;
}

const DEFEND = 'Elastic Defend (endpoint) enrichment: no Windows event log carries it';

export const UNPRODUCED_FIELDS: readonly UnproducedField[] = [
  { field: 'process.code_signature.*', reason: `${DEFEND}; Sysmon 1 and Security 4688 do not sign the process image (the lineage table records it from a Sysmon 7 load of the image: ProcessTable.get(id).signature)` },
  { field: 'process.Ext.*', reason: DEFEND },
  { field: 'process.parent.Ext.*', reason: DEFEND },
  { field: 'dll.Ext.*', reason: DEFEND },
  { field: 'file.Ext.*', reason: DEFEND },
  { field: 'file.size', reason: `${DEFEND}; Sysmon file events do not log the size` },
  { field: 'file.origin_url', reason: `${DEFEND} (read from the Zone.Identifier stream)` },
  { field: 'file.origin_referrer_url', reason: `${DEFEND} (read from the Zone.Identifier stream)` },
  { field: 'process.name.caseless', reason: 'a multi-field of the Elastic Defend index mapping (a lower-cased copy of process.name), not a document field' },
  { field: 'process.thread.capabilities.*', reason: 'Linux capabilities (Elastic Defend on Linux)' },
  { field: 'destination.address', reason: 'the Sysmon pipeline maps DestinationIp to destination.ip and DestinationHostname to destination.domain; address is set by Elastic Defend and network integrations' },
  { field: 'host.ip', reason: 'agent metadata (the collecting host\'s addresses), not in the event log' },
  { field: 'kibana.alert.rule.*', reason: 'a field of alert documents (rules that read the alerts index), not of events' },
  { field: 'Esql.*', reason: 'a column an ES|QL query computes (EVAL / STATS), not an event field' },
  { field: 'message_upper', reason: 'a column an ES|QL query computes (EVAL), not an event field' },
  { field: 'chunk_index', reason: 'a column an ES|QL query computes (EVAL), not an event field' },
  { field: 'parent_domain', reason: 'a column an ES|QL query computes (EVAL), not an event field' },
  { field: 'Effective_process.name', reason: 'a column an ES|QL query computes (EVAL), not an event field' },
  { field: 'Target.process.name', reason: 'a column an ES|QL query computes (EVAL), not an event field' },
];

/** The entry covering `field`, if any. */
export function unproducedReason(field: string): UnproducedField | undefined {
  return UNPRODUCED_FIELDS.find((u) => (u.field.endsWith('.*') ? field.startsWith(u.field.slice(0, -1)) : field === u.field));
}
