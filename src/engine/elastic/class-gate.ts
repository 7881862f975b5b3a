/**
 * Can a rule concern an event of a class (its channel and code, see events/ecs/event-class.ts),
 * told from the fields the class decides alone? Each filter of the rule has needs that all hold
 * when it does (required-values.ts, the ones the rule index is built from); a filter is ruled out
 * when one of its needs has every alternative on a decided field and none met by the field's
 * value, as the rule index would test it (same keys: valueKeys). A rule is possible when one of
 * its filters is not ruled out. Contains needs are never used to rule out (left to the index).
 */
import type { Value } from '../eql/values.js';
import type { Need, Required } from './required-values.js';
import { valueKeys } from './required-values.js';

/**
 * The needs of each filter that a class can rule out (each alternative, or its whole second need,
 * on a decided field), or undefined when some filter has none (the rule is possible for every
 * class). classPossible answers the same on them as on all the needs, testing fewer.
 */
export function refutableFilters(filters: readonly Need[][] | undefined, decided: ReadonlySet<string>): Need[][] | undefined {
  if (!filters) return undefined;
  const onDecided = (r: Required): boolean => decided.has(nameOf(r.path));
  const out: Need[][] = [];
  for (const needs of filters) {
    const kept = needs.filter((n) => n.length > 0 && n.every((r) => onDecided(r) || (r.also !== undefined && r.also.length > 0 && r.also.every(onDecided))));
    if (kept.length === 0) return undefined;
    out.push(kept);
  }
  return out;
}

/** Does some filter of the rule (filters: see Runnable.filters; undefined: unknown) survive the class's fields? */
export function classPossible(filters: readonly Need[][] | undefined, fields: ReadonlyMap<string, unknown>): boolean {
  if (!filters) return true;
  return filters.some((needs) => !needs.some((n) => needRefuted(n, fields)));
}

/** A need is refuted when each of its alternatives is (an alternative with a second need also when all of that one's are). */
export function needRefuted(need: Need, fields: ReadonlyMap<string, unknown>): boolean {
  if (need.length === 0) return false;
  return need.every((r) => refuted(r, fields) || (r.also !== undefined && r.also.length > 0 && r.also.every((a) => refuted(a, fields))));
}

/** Dotted names of the needs' paths (each class tests every rule's). */
const names = new WeakMap<readonly string[], string>();

function nameOf(path: readonly string[]): string {
  let name = names.get(path);
  if (name === undefined) names.set(path, (name = path.join('.')));
  return name;
}

function refuted(r: Required, fields: ReadonlyMap<string, unknown>): boolean {
  const name = nameOf(r.path);
  if (!fields.has(name)) return false;
  const v = fields.get(name);
  // Equalities, contains and field-has-a-value all need a value.
  if (v === null || v === undefined) return true;
  if (r.exists || r.contains) return false;
  const keys: string[] = [];
  valueKeys(v as Value, keys);
  return !keys.some((k) => r.keys.includes(k));
}
