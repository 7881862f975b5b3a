/**
 * Where the EQL engine gets ECS documents from: every event file detectory reads. The JSON readers
 * keep ECS documents (Winlogbeat, Elastic Agent, Elastic Defend) whole in `rec.ecs`, which `toEcs`
 * passes through; Windows events (EVTX, evtx_dump JSON) are normalized as Elastic's Windows
 * integration would index them (src/events/ecs).
 */
import { listEventFiles, readEventFile } from '../../events/read.js';
import { toEcs } from '../../events/ecs/index.js';
import type { EcsDoc } from '../../events/ecs/index.js';
import type { EventRecord, ProblemSink } from '../../events/types.js';

export type { EcsDoc } from '../../events/ecs/index.js';
export { isEcsDocument, toEcs } from '../../events/ecs/index.js';

/** One input event: its source record (file, record id...) and its ECS document. */
export interface EcsEvent {
  rec: EventRecord;
  doc: EcsDoc;
}

/** The ECS documents of every event file under `paths`, in batches, in file order. */
export async function* readEcsEvents(paths: string[], onProblem: ProblemSink): AsyncGenerator<EcsEvent[]> {
  const { files } = listEventFiles(paths, onProblem);
  for (const file of files) {
    for await (const batch of readEventFile(file, onProblem)) yield batch.map((rec) => ({ rec, doc: toEcs(rec) }));
  }
}

/** Milliseconds since the epoch of a document's @timestamp (NaN when absent or unreadable). */
export function timestampMs(doc: EcsDoc): number {
  const t = doc['@timestamp'];
  if (typeof t === 'number') return t;
  return typeof t === 'string' ? Date.parse(t) : Number.NaN;
}
