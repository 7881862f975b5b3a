import type { ComputedTest } from './computed.js';

/**
 * The vendor-neutral predicate: one (field, operator, values) test. Every rule language is parsed
 * into trees of these; the catalog counts them, the engine compiles them, backends print them.
 */

/** The catalog's operator vocabulary (also shown to users). */
export type Op =
  | 'eq'
  | 'ne'
  | 'in'
  | 'contains'
  | 'starts_with'
  | 'ends_with'
  | 'wildcard'
  | 'regex_match'
  | 'cidr'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'exists';

export const OPS: readonly Op[] = [
  'eq', 'ne', 'in', 'contains', 'starts_with', 'ends_with', 'wildcard',
  'regex_match', 'cidr', 'lt', 'lte', 'gt', 'gte', 'exists',
];

export type Scalar = string | number | boolean | null;

/** Time parts a Sigma time modifier extracts from a date field before comparing. */
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export interface PredicateFlags {
  /** Compare case-sensitively (Sigma `cased`, EQL `==` on strings, ...). Default: insensitive. */
  cased?: boolean;
  /** Regex flags for regex_match: any of "i", "m", "s". */
  regexFlags?: string;
  /** The value names another field of the same event (Sigma `fieldref`). */
  fieldref?: boolean;
  /** Encodings and expansions applied to the authored value, in order (base64offset, wide, windash...). */
  encodings?: string[];
  /** Compare this part of a date field instead of the field itself (Sigma time modifiers). */
  timePart?: TimePart;
  /** The authored value came from a placeholder expansion (Sigma `expand`). */
  expanded?: string;
  /**
   * Path separators in the values match `\` or `/`: the predicate stands for the values with every
   * separator written either way (a basename derived from a cross-platform rule's process.name;
   * see taxonomy/separators.ts). One predicate, one indicator per value.
   */
  anySeparator?: boolean;
}

/**
 * A single test. `values` are alternatives (any of them matches). Wildcard values are written in the
 * canonical glob form: `*` and `?` are wildcards, `\*`, `\?` and `\\` are literal characters, and no
 * other backslash escapes exist. For every other op the values are plain literals.
 */
export interface Predicate {
  kind: 'pred';
  /** Canonical field (taxonomy); null for a keyword (field-less) search over the whole event. */
  field: string | null;
  /** The field as written in the rule (vendor's own name, with modifiers stripped). */
  authoredField: string | null;
  op: Op;
  values: Scalar[];
  /** The values as written in the rule before encodings or expansions (when they differ). */
  authoredValues?: Scalar[];
  flags: PredicateFlags;
}

export type Detection =
  | Predicate
  | { kind: 'and'; children: Detection[] }
  | { kind: 'or'; children: Detection[] }
  | { kind: 'not'; child: Detection }
  | { kind: 'const'; value: boolean }
  | Unknown
  | ComputedTest;

/**
 * A condition the lowering could not read (a computed comparison, a subsearch, ...). Unknown is not
 * true: statistics skip it, engines refuse a rule that has one, and the rule is marked partial with
 * the same text and reason in its losses.
 */
export interface Unknown {
  kind: 'unknown';
  /** The condition as written in the raw query. */
  text: string;
  /** Why it could not be lowered, in words. */
  reason: string;
}

export const unknown = (text: string, reason: string): Unknown => ({ kind: 'unknown', text, reason });

/** Does the tree hold an unknown node anywhere? */
export function hasUnknown(d: Detection): boolean {
  switch (d.kind) {
    case 'unknown':
      return true;
    case 'and':
    case 'or':
      return d.children.some(hasUnknown);
    case 'not':
      return hasUnknown(d.child);
    default:
      return false;
  }
}

export const and = (children: Detection[]): Detection =>
  children.length === 1 ? children[0] : { kind: 'and', children };
export const or = (children: Detection[]): Detection =>
  children.length === 1 ? children[0] : { kind: 'or', children };
export const not = (child: Detection): Detection => ({ kind: 'not', child });

export function pred(field: string | null, op: Op, values: Scalar[], flags: PredicateFlags = {}, authoredField: string | null = field): Predicate {
  return { kind: 'pred', field, authoredField, op, values, flags };
}

/** The tree with every predicate replaced by `f(predicate)`; and/or/not kept, other leaves untouched. */
export function mapPredicates(d: Detection, f: (p: Predicate) => Detection): Detection {
  switch (d.kind) {
    case 'pred':
      return f(d);
    case 'and':
    case 'or':
      return { kind: d.kind, children: d.children.map((c) => mapPredicates(c, f)) };
    case 'not':
      return not(mapPredicates(d.child, f));
    default:
      return d;
  }
}

/** Visit every predicate with its path in the tree and whether it sits under a negation. */
export function walkPredicates(
  d: Detection,
  visit: (p: Predicate, path: string, negated: boolean) => void,
  path = '0',
  negated = false,
): void {
  switch (d.kind) {
    case 'pred':
      visit(d, path, negated);
      return;
    case 'and':
    case 'or':
      d.children.forEach((c, i) => walkPredicates(c, visit, `${path}.${i}`, negated));
      return;
    case 'not':
      walkPredicates(d.child, visit, `${path}.0`, !negated);
      return;
    case 'const':
    case 'unknown':
    case 'computed': // a computed value is no event field: statistics do not count its tests
      return;
  }
}
