/**
 * Can a rule concern an event of a class (its channel and code, see events/ecs/event-class.ts),
 * told from the fields the class decides alone? Each filter of the rule has a gate: its AND / OR
 * tree of needs (required-values.ts, the tests the rule index is built from); a filter is ruled out
 * when its tree fails, a need failing when it has every alternative on a decided field and none met
 * by the field's value, as the rule index would test it (same keys: valueKeys; a contains need when
 * no text of the value holds one of its literals, as the index's automaton would find them). A rule
 * is possible when one of its filters is not ruled out.
 */
import type { Value } from '../eql/values.js';
import type { Gate, Need, Required } from './required-values.js';
import { allOf, oneOf, valueKeys } from './required-values.js';

/**
 * Each filter's gate (required-values.ts: eqlGate, detectionGate) cut to what a class can rule out:
 * the needs whose every alternative (or its whole second need) is on a decided field; undefined when
 * some filter keeps nothing (the rule is possible for every class). classPossible answers the same
 * on the cut gates as on the whole ones, testing fewer needs.
 */
export function refutableFilters(filters: ReadonlyArray<Gate | undefined> | undefined, decided: ReadonlySet<string>): Gate[] | undefined {
  if (!filters) return undefined;
  const onDecided = (r: Required): boolean => decided.has(nameOf(r.path));
  const cut = (g: Gate): Gate | undefined => {
    if ('need' in g) {
      const n = g.need;
      return n.length > 0 && n.every((r) => onDecided(r) || (r.also !== undefined && r.also.length > 0 && r.also.every(onDecided))) ? g : undefined;
    }
    return 'all' in g ? allOf(g.all.map(cut)) : oneOf(g.any.map(cut));
  };
  const out: Gate[] = [];
  for (const g of filters) {
    const kept = g && cut(g);
    if (!kept) return undefined;
    out.push(kept);
  }
  return out;
}

/** Does some filter of the rule (filters: see Runnable.filters; undefined: unknown) survive the class's fields? */
export function classPossible(filters: ReadonlyArray<Gate | undefined> | undefined, fields: ReadonlyMap<string, unknown>): boolean {
  if (!filters) return true;
  // A filter without a gate requires nothing: possible.
  return filters.some((g) => g === undefined || gatePossible(g, fields));
}

/** Can the filter's tests hold on an event of the class: no need refuted where all must hold, one branch where one must. */
export function gatePossible(g: Gate, fields: ReadonlyMap<string, unknown>): boolean {
  if ('need' in g) return !needRefuted(g.need, fields);
  if ('all' in g) return g.all.every((p) => gatePossible(p, fields));
  return g.any.some((p) => gatePossible(p, fields));
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
  if (r.exists) return false;
  if (r.contains) return !mayContain(v as Value, r.keys);
  const keys: string[] = [];
  valueKeys(v as Value, keys);
  return !keys.some((k) => r.keys.includes(k));
}

/**
 * Can the value's text hold one of the literals (folded), as the rule index's automaton scans it
 * (each element's text; numbers and booleans as String gives them)? Decided only where the texts
 * and the literals are ASCII, where the automaton's case classes are plain lower-casing; any other
 * text may hold them (the class leaves the rule to the index).
 */
function mayContain(v: Value, keys: readonly string[]): boolean {
  if (v === null) return false;
  if (keys.some((k) => !isAscii(k) || k !== k.toLowerCase())) return true;
  for (const x of Array.isArray(v) ? v : [v]) {
    if (x === null) continue;
    const text = typeof x === 'string' ? x : String(x);
    if (!isAscii(text)) return true;
    const folded = text.toLowerCase();
    if (keys.some((k) => folded.includes(k))) return true;
  }
  return false;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}
