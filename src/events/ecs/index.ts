/**
 * Windows events -> ECS documents, as Elastic's Windows and System integrations index them.
 *
 * - toEcs(rec): the ECS document (nested objects) of one EventRecord. Sysmon, Security, PowerShell
 *   (Operational and classic) get their integration pipeline's mapping (tables in *-table.ts, each
 *   entry citing the processor it follows); System and other channels get the Winlogbeat base
 *   document (winlog.*, event.code/provider/kind, host.*), as the integrations add nothing to them.
 *   An ECS document given as input (rec.ecs, or rec.event without a System element) passes through
 *   unchanged.
 * - getPath(doc, "process.parent.name"): read a field by dotted path (nested or dotted keys).
 * - ecsIndexOf(doc): the data stream index name the integration writes it to
 *   ("logs-windows.sysmon_operational-default"), for rules' index patterns; recordIndex(rec): the
 *   same name for a Windows event without building its document (a scan skips the events no rule sees).
 * - UNPRODUCED_FIELDS: the fields Elastic's Windows rules read that no Windows event log gives, with why.
 *
 * Besides ECS, documents carry the integrations' own fields: winlog.*, powershell.*, sysmon.*.
 * Choices where the integrations leave it open: host.id is the computer name (no machine GUID in a
 * log); event.created is the event's own time (not the ingest time); GUIDs are written "{lower}".
 * Not reproduced (no rule reads them): network.community_id, dns.question.registered_domain /
 * subdomain / top_level_domain (need the public suffix list), the SDDL decoding of 4670/4817/4907,
 * the task XML of 4698-4702 beyond winlog.scheduled_task.name, the trust fields of 4706/4707, and
 * the message table beyond the codes listed in security-table.ts.
 */
import type { EventRecord } from '../types.js';
import { type EcsDoc, getPath } from './doc.js';
import { isEcsDocument } from './ecs-input.js';
import { ALL_FIELDS, type EcsNeeds } from './needs.js';
import { mapPowerShellClassic, mapPowerShellOperational } from './powershell.js';
import { mapSecurity } from './security.js';
import { mapSysmon } from './sysmon.js';
import { dropEmptyValues, finishEventData, recordDataset, winlogBase } from './winlog.js';
import { EMPTY_VALUES } from './winlog-table.js';
import type { RecordClass } from './event-class.js';

export type { EcsDoc } from './doc.js';
export { getPath, leafFields, setPath } from './doc.js';
export { isEcsDocument } from './ecs-input.js';
export { ALL_FIELDS, ecsNeeds } from './needs.js';
export type { EcsNeeds } from './needs.js';
export { splitOnUnquotedWhitespace, splitWindowsCommandLine } from './command-line.js';
export { UNPRODUCED_FIELDS, unproducedReason } from './unproduced-fields.js';
export type { UnproducedField } from './unproduced-fields.js';

/**
 * `needs` (ecsNeeds(fields)): only the fields a caller reads are sure to be there, with the values of
 * the full document (a scan's Elastic rules; see needs.ts). Default: the full document.
 * `cls`: recordClass(rec), when the caller has it (a scan's runner): the document is the same, the
 * values the class holds are not read from the record again.
 */
export function toEcs(rec: EventRecord, needs: EcsNeeds = ALL_FIELDS, cls?: RecordClass): Record<string, unknown> {
  if (rec.ecs) return rec.ecs;
  // A record the EVTX reader flattened has a System element (it is no ECS document): its `event`,
  // rendered on use, is not read here (winlogBase reads the fields when they suffice).
  if (!rec.flat && isEcsDocument(rec.event)) return rec.event;
  const ctx = winlogBase(rec, needs, cls);
  // The datasets whose case drops empty values are EMPTY_DROPPING_DATASETS (winlogBase may have dropped them).
  switch (ctx.dataset.dataset) {
    case 'windows.sysmon_operational':
      if (!ctx.emptyDropped) dropEmptyValues(ctx.data, EMPTY_VALUES); // "Remove all empty values from event_data"
      mapSysmon(ctx);
      break;
    case 'system.security':
      if (!ctx.emptyDropped) dropEmptyValues(ctx.data, EMPTY_VALUES); // system_security_default.yml: remove_empty_values_from_event_data
      mapSecurity(ctx);
      break;
    case 'windows.powershell_operational':
      mapPowerShellOperational(ctx);
      break;
    case 'windows.powershell':
      mapPowerShellClassic(ctx);
      break;
    default:
      break;
  }
  finishEventData(ctx);
  return ctx.doc;
}

/** The index (data stream) an ECS document goes to: logs-<dataset>-<namespace>. */
export function ecsIndexOf(doc: EcsDoc): string {
  const dataset = getPath(doc, 'data_stream.dataset') ?? getPath(doc, 'event.dataset');
  const namespace = getPath(doc, 'data_stream.namespace') ?? 'default';
  return `logs-${typeof dataset === 'string' ? dataset : 'generic'}-${typeof namespace === 'string' ? namespace : 'default'}`;
}

/**
 * The index toEcs(rec) goes to (as ecsIndexOf names it), from the event's channel alone: undefined
 * for an ECS document given as input, whose own fields name it.
 */
export function recordIndex(rec: EventRecord): string | undefined {
  // A record the EVTX reader flattened always has a System element (not an ECS document), and
  // carries its channel: its `event` is not rendered here (a scan skips the events no rule sees).
  if (rec.flat) return indexOfDataset(recordDataset(rec));
  if (rec.ecs || isEcsDocument(rec.event)) return undefined;
  return indexOfDataset(recordDataset(rec));
}

/** Index names by dataset (few): one string per dataset, not one per event. */
const indexes = new Map<string, string>();
function indexOfDataset(dataset: string): string {
  let i = indexes.get(dataset);
  if (i === undefined) {
    i = `logs-${dataset}-default`;
    if (indexes.size < 1024) indexes.set(dataset, i);
  }
  return i;
}
