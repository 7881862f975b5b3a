import { join } from 'node:path';
import { readEventFile } from '../../src/events/read.js';
import { NOTICE_REASONS, type EventRecord } from '../../src/events/types.js';

/** The event id of a record (EventID may carry Qualifiers). */
export function eventIdOf(r: EventRecord): number {
  const sys = r.event.System as Record<string, unknown> | undefined;
  const e = sys?.EventID;
  const v = e !== null && typeof e === 'object' ? (e as Record<string, unknown>)['#text'] : e;
  return Number(v);
}

/** The records of one EVTX-ATTACK-SAMPLES file (relative path) with the given event id (all when omitted). */
export async function sampleEvents(shared: string, rel: string, id?: number): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  const file = join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES', rel);
  for await (const batch of readEventFile(file, (p) => {
    // notices (leftover records in chunk slack, counted) are not read failures
    if (!NOTICE_REASONS.has(p.reason)) throw new Error(`${p.file}: ${p.message}`);
  })) {
    for (const r of batch) if (id === undefined || eventIdOf(r) === id) out.push(r);
  }
  return out;
}

/** The record with this EventRecordID in a sample file. */
export async function sampleRecord(shared: string, rel: string, recordId: number): Promise<EventRecord> {
  const all = await sampleEvents(shared, rel);
  const r = all.find((e) => e.recordId === recordId);
  if (!r) throw new Error(`${rel}: no record ${recordId}`);
  return r;
}
