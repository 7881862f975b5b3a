/** The JSON shape of an EQL match, shared by `detectory eql` and the MCP `eql_query` tool. */
import type { EqlMatch } from './plan.js';
import type { SourcedEvent } from './run-files.js';

export function eventJson(e: SourcedEvent): Record<string, unknown> {
  const r = e.source.rec;
  return { file: r.file, record_id: r.recordId ?? null, timestamp: r.timestamp ?? (e.doc['@timestamp'] as string | undefined) ?? null, event: e.doc };
}

/** Event queries give the event; sequences and samples give their join keys and events. */
export function matchObject(m: EqlMatch<SourcedEvent>, multi: boolean): Record<string, unknown> {
  if (!multi) return eventJson(m.events[0]);
  return { join_keys: m.key ?? [], events: m.events.map(eventJson) };
}
