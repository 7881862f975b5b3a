/**
 * Field maps of one shape per list of names: a constructor generated for the list stores each name
 * in order, so V8 gives every map of that list one hidden class with its values in place. Growing a
 * null-prototype dictionary name by name rebuilds its hash table as it grows: the 95,406 maps of the
 * 256 MiB bench file took 230-273 ms that way against 42-89 ms made (in one process, its 139 lists).
 * The stage split rebuilds every map on its matching thread, the slower stage
 * (engine/parallel/event-wire.ts).
 *
 * Names come from events (hostile input): they are only ever string literals in the generated code
 * (JSON.stringify escapes them), lists are bounded in number and length, and a list naming
 * `__proto__` or with code generation turned off (node --disallow-code-generation-from-strings)
 * gets no maker: the caller grows a dictionary (the same map).
 */
import type { FieldValue, Fields } from './normalize.js';

/** Makes the map of its list's names from their values in order (vals[i] is names[i]'s; not kept). */
export type FieldMaker = (vals: readonly FieldValue[]) => Fields;

/** Generated constructors per thread (each costs a compilation). */
export const MAX_MAKERS = 4_096;
/** Names in one list: V8 keeps up to about 250 properties in the object itself. */
export const MAX_MAKER_KEYS = 200;

/** The prototype of every shaped map: no members, so no name reads anything the event does not hold. */
const NO_MEMBERS = Object.create(null) as object;

/**
 * Makers by their list of names (JSON): a list met again (the next scan's wire decoder, in a
 * long-running server) gets the same maker, so its maps keep one shape and the bound is not spent twice.
 */
const makers = new Map<string, FieldMaker>();
let codegen = true;

/** A maker for these names, or undefined (the caller grows a dictionary). */
export function fieldMaker(keys: readonly string[]): FieldMaker | undefined {
  if (!codegen || keys.length === 0 || keys.length > MAX_MAKER_KEYS || keys.includes('__proto__')) return undefined;
  const id = JSON.stringify(keys);
  const known = makers.get(id);
  if (known !== undefined || makers.size >= MAX_MAKERS) return known;
  const body = keys.map((k, i) => `this[${JSON.stringify(k)}] = v[${i}];`).join('\n');
  let Ctor: { new (v: readonly FieldValue[]): Fields; prototype: object };
  try {
    Ctor = new Function('v', body) as unknown as typeof Ctor;
  } catch {
    codegen = false;
    return undefined;
  }
  Ctor.prototype = NO_MEMBERS;
  const make: FieldMaker = (v) => new Ctor(v);
  makers.set(id, make);
  return make;
}

/** The map of these names with these values as a null-prototype dictionary (what a maker's maps equal). */
export function growFields(keys: readonly string[], vals: readonly FieldValue[]): Fields {
  const fields = Object.create(null) as Fields;
  for (let i = 0; i < keys.length; i++) fields[keys[i]] = vals[i];
  return fields;
}

/** Makers generated so far on this thread (for tests). */
export function makerCount(): number {
  return makers.size;
}
