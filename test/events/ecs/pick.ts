import { getPath } from '../../../src/events/ecs/index.js';

/** The values of the named fields of a document (undefined when absent), for one deepEqual per event. */
export function pick(doc: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = getPath(doc, f);
  return out;
}

/** Asserts the document has exactly these values for these fields (undefined = absent). */
export function expectFields(doc: Record<string, unknown>, expected: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  return [pick(doc, Object.keys(expected)), expected];
}
