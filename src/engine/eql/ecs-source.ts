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
  return typeof t === 'string' ? isoMs(t) : Number.NaN;
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const digits2 = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * Date.parse(t), read without it for the one shape toEcs writes ("2019-07-18T03:34:02.025Z", every
 * event's): the fields go to Date.UTC when they are in ranges where both agree (days up to 28, years
 * from 1000); any other text goes to Date.parse.
 */
export function isoMs(t: string): number {
  if (t.length !== 24 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 ||
    t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 46 || t.charCodeAt(23) !== 90) return Date.parse(t);
  for (const i of ISO_DIGITS) {
    const d = digit(t, i);
    if (d < 0 || d > 9) return Date.parse(t);
  }
  const year = digits2(t, 0) * 100 + digits2(t, 2);
  const month = digits2(t, 5);
  const day = digits2(t, 8);
  const hour = digits2(t, 11);
  const minute = digits2(t, 14);
  const second = digits2(t, 17);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59) return Date.parse(t);
  return Date.UTC(year, month - 1, day, hour, minute, second, digits2(t, 20) * 10 + digit(t, 22));
}

const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
