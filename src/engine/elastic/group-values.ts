/** The term combinations of an event over a list of fields, as Elastic's terms aggregations bucket them. */
import type { Doc, Scalar, Value } from '../eql/values.js';
import { fieldReader, keyText } from '../eql/values.js';

export type FieldReader = (doc: Doc) => Value;

/** Readers of dotted ECS field names, compiled once per rule. */
export function readers(fields: readonly string[]): FieldReader[] {
  return fields.map((f) => fieldReader(f.split('.')));
}

/** At most this many combinations per event (fields holding long arrays multiply). */
export const MAX_COMBINATIONS = 100;

export interface Combination {
  key: string;
  values: Scalar[];
}

/**
 * Every combination of one value per field (an array field contributes each of its values, as a terms
 * aggregation puts the document in each bucket). An event missing a field (or holding only nulls) has
 * none: terms aggregations leave such documents out. No fields: one combination (one group).
 */
export function combinations(doc: Doc, fields: readonly FieldReader[]): Combination[] {
  let out: Scalar[][] = [[]];
  for (const read of fields) {
    const v = read(doc);
    const vals = (Array.isArray(v) ? v : [v]).filter((x) => x !== null);
    if (vals.length === 0) return [];
    const next: Scalar[][] = [];
    for (const prefix of out) {
      for (const x of vals) {
        if (next.length >= MAX_COMBINATIONS) break;
        next.push([...prefix, x]);
      }
    }
    out = next;
  }
  return out.map((values) => ({ key: keyText(values), values }));
}

/** A bucket key's values by field name, as text (the alert's `group`). */
export function groupObject(fields: readonly string[], values: readonly Scalar[]): Record<string, string | null> {
  const g: Record<string, string | null> = {};
  fields.forEach((f, i) => {
    g[f] = values[i] === null || values[i] === undefined ? null : String(values[i]);
  });
  return g;
}
