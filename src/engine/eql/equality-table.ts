/**
 * A list of literals (`x in ("a", "b", 4)`, a KQL `field: (a or b or c)`) as hash sets: `has(x)`
 * answers exactly what `values.some((y) => equals(x, y, insensitive))` answers (values.ts), in one
 * or two lookups instead of one comparison (and two foldings) per literal.
 *
 * equals, by the type of the event value x:
 * - a string: another string (folded when insensitive), a number by value (toNumber(x)), a boolean
 *   by lower-cased text ("TRUE" equals true);
 * - a number: a number, or a numeric string by value;
 * - a boolean: a boolean, or a string whose lower-cased text is its name;
 * - null: null only.
 */
import { foldString } from '../case-fold.js';
import { foldCached } from './fold-cache.js';
import { toNumber } from './values.js';
import type { Scalar } from './values.js';

export class EqualityTable {
  private hasNull = false;
  private readonly strings = new Set<string>();
  /** Number literals (a string value equals them by its number). */
  private readonly numbersOfStrings = new Set<number>();
  /** Number literals and the numbers of numeric string literals (a number value equals them). */
  private readonly numbers = new Set<number>();
  /** Boolean literals (a string value equals them by its lower-cased text). */
  private readonly booleans = new Set<string>();
  /** A boolean value's matches: a boolean literal, or a string literal spelling it. */
  private trueMatch = false;
  private falseMatch = false;

  constructor(values: readonly Scalar[], private readonly insensitive: boolean) {
    for (const y of values) {
      if (y === null) this.hasNull = true;
      else if (typeof y === 'string') {
        this.strings.add(insensitive ? foldString(y) : y);
        const n = toNumber(y);
        if (n !== null) this.numbers.add(n);
        const l = y.toLowerCase();
        if (l === 'true') this.trueMatch = true;
        if (l === 'false') this.falseMatch = true;
      } else if (typeof y === 'number') {
        // NaN equals nothing (a Set would find it).
        if (Number.isNaN(y)) continue;
        this.numbers.add(y);
        this.numbersOfStrings.add(y);
      } else {
        this.booleans.add(String(y));
        if (y) this.trueMatch = true;
        else this.falseMatch = true;
      }
    }
  }

  has(x: Scalar): boolean {
    if (x === null) return this.hasNull;
    if (typeof x === 'string') {
      if (this.strings.has(this.insensitive ? foldCached(x) : x)) return true;
      if (this.numbersOfStrings.size) {
        const n = toNumber(x);
        if (n !== null && this.numbersOfStrings.has(n)) return true;
      }
      return this.booleans.size > 0 && this.booleans.has(x.toLowerCase());
    }
    if (typeof x === 'number') return this.numbers.has(x);
    return x ? this.trueMatch : this.falseMatch;
  }
}
