/**
 * Regex values: a leading inline `(?i)` becomes the predicate's regexFlags "i" (case-insensitive,
 * flags.cased false) so the same pattern authored with or without it lands on the same value.
 */
import type { PredicateFlags } from '../../model/index.js';

export function regexValue(pattern: string, folded = false): { value: string; flags: PredicateFlags } {
  const ci = /^\(\?i\)/.test(pattern);
  const value = ci ? pattern.slice(4) : pattern;
  return { value, flags: ci || folded ? { cased: false, regexFlags: 'i' } : { cased: true } };
}
