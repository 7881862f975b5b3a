/**
 * Events written inline in a tests file, turned into one .jsonl file per case so that every engine
 * reads them as it reads any event file. Two shapes: anything the JSON event reader takes
 * (evtx_dump {"Event": ...}, {"System", "EventData"}, Winlogbeat/ECS), or a flat Windows event:
 * a mapping with EventID and no Event/System/winlog object, whose Channel, EventID, Computer,
 * Provider_Name, EventRecordID and TimeCreated go to System and every other key to EventData.
 * An event without a record id gets its 1-based position in the case, so that it can be named.
 */

const SYSTEM_KEYS = new Set(['Channel', 'EventID', 'Computer', 'Provider_Name', 'EventRecordID', 'TimeCreated']);

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Whether `o` is a flat Windows event (see above). */
export function isFlatEvent(o: Record<string, unknown>): boolean {
  return Object.hasOwn(o, 'EventID') && !isMap(o.Event) && !isMap(o.System) && !isMap(o.winlog);
}

function fromFlat(o: Record<string, unknown>, position: number): Record<string, unknown> {
  const system: Record<string, unknown> = { EventID: o.EventID, EventRecordID: o.EventRecordID ?? position };
  if (o.Channel !== undefined) system.Channel = o.Channel;
  if (o.Computer !== undefined) system.Computer = o.Computer;
  if (o.Provider_Name !== undefined) system.Provider = { '#attributes': { Name: o.Provider_Name } };
  if (o.TimeCreated !== undefined) system.TimeCreated = { '#attributes': { SystemTime: o.TimeCreated instanceof Date ? o.TimeCreated.toISOString() : o.TimeCreated } };
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!SYSTEM_KEYS.has(k)) data[k] = v;
  return { Event: { System: system, EventData: data } };
}

/** One inline event as a JSON document for the .jsonl file (or a reason it is not an event). */
export function inlineEventDocument(v: unknown, position: number): Record<string, unknown> | string {
  if (!isMap(v)) return 'an event is a mapping';
  if (isFlatEvent(v)) return fromFlat(v, position);
  // A Windows document without a record id: give it its position (a copy, the input is left alone).
  const doc = structuredClone(v);
  const event = isMap(doc.Event) ? doc.Event : doc;
  if (isMap(event.System) && event.System.EventRecordID === undefined) event.System.EventRecordID = position;
  return doc;
}
