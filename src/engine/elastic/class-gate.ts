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

function refuted(r: Required, fields: ReadonlyMap<string, unknown>): boolean {
  const name = r.path.join('.');
  if (!fields.has(name)) return false;
  const v = fields.get(name);
  // Equalities, contains and field-has-a-value all need a value.
  if (v === null || v === undefined) return true;
  if (r.exists || r.contains) return false;
  const keys: string[] = [];
  valueKeys(v as Value, keys);
  return !keys.some((k) => r.keys.includes(k));
}
