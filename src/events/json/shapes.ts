/**
 * The JSON event shapes accepted, all turned into the evtx_dump shape of EventRecord.event:
 * - evtx_dump: {"Event": {"System": ..., "EventData": ...}}
 * - a bare {"System": ..., "EventData"|"UserData": ...}
 * - detectory's own `events` output: {"file", "record_id", "timestamp", "event": {...}}
 * - Winlogbeat / ECS documents with a `winlog` object (channel, event_id, event_data, ...).
 * - other ECS documents (Elastic Defend): an empty event, the document kept in `ecs`.
 * ECS documents are also kept whole in `ecs`, which toEcs passes through unchanged.
 */
import { isEcsDocument } from '../ecs/ecs-input.js';
import type { EventRecord, ProblemSink } from '../types.js';
import { MAX_EVENT_DEPTH, nestsDeeper } from './depth.js';

export function toEventRecord(v: unknown, file: string, where: string): EventRecord | string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  if (nestsDeeper(v)) return `nested deeper than ${MAX_EVENT_DEPTH} levels: not a Windows event`;
  const o = v as Record<string, unknown>;
  let event: Record<string, unknown> | undefined;
  if (o.Event && typeof o.Event === 'object') event = o.Event as Record<string, unknown>;
  else if (o.System && typeof o.System === 'object') event = o;
  else if (o.event && typeof o.event === 'object' && (o.event as Record<string, unknown>).System) event = o.event as Record<string, unknown>;
  else if (o.winlog && typeof o.winlog === 'object') event = fromWinlog(o);
  const ecs = isEcsDocument(o) ? o : undefined;
  if (!event && ecs) event = {};
  if (!event) return 'not a Windows event (no Event, System or winlog object) nor an ECS document';
  const sys = (event.System ?? {}) as Record<string, unknown>;
  const rid = sys.EventRecordID;
  const tc = sys.TimeCreated as Record<string, unknown> | undefined;
  const attrs = tc?.['#attributes'] as Record<string, unknown> | undefined;
  const ts = attrs?.SystemTime;
  const ecsTs = ecs?.['@timestamp'];
  const rec: EventRecord = {
    file,
    where,
    recordId: typeof rid === 'number' ? rid : typeof rid === 'string' && rid !== '' ? Number(rid) : undefined,
    timestamp: typeof ts === 'string' ? ts : typeof ecsTs === 'string' ? ecsTs : undefined,
    event,
  };
  if (ecs) rec.ecs = ecs;
  return rec;
}

function fromWinlog(o: Record<string, unknown>): Record<string, unknown> {
  const w = o.winlog as Record<string, unknown>;
  const ts = o['@timestamp'];
  const system: Record<string, unknown> = {
    Provider: { '#attributes': { Name: w.provider_name, Guid: w.provider_guid } },
    EventID: typeof w.event_id === 'string' ? Number(w.event_id) : w.event_id,
    EventRecordID: w.record_id,
    Channel: w.channel,
    Computer: w.computer_name,
    TimeCreated: { '#attributes': { SystemTime: ts } },
  };
  const out: Record<string, unknown> = { System: system };
  if (w.event_data) out.EventData = w.event_data;
  if (w.user_data) out.UserData = w.user_data;
  return out;
}

/**
 * Parses one JSON text (an event, or an array of events) found at `line`, into `out`. Returns false
 * when the text is not JSON (reported unless `quiet`).
 */
export function parseJsonEvents(text: string, file: string, line: number, out: EventRecord[], onProblem: ProblemSink, quiet = false): boolean {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    if (!quiet) onProblem({ file, where: `line ${line}`, reason: 'invalid-json', message: (e as Error).message });
    return false;
  }
  if (!Array.isArray(v)) {
    const rec = toEventRecord(v, file, `line ${line}`);
    if (typeof rec === 'string') onProblem({ file, where: `line ${line}`, reason: 'not-an-event', message: rec });
    else out.push(rec);
    return true;
  }
  v.forEach((value, k) => {
    const where = `line ${line}, item ${k + 1}`;
    const rec = toEventRecord(value, file, where);
    if (typeof rec === 'string') onProblem({ file, where, reason: 'not-an-event', message: rec });
    else out.push(rec);
  });
  return true;
}
