/**
 * The and/or/not skeleton shared by the kuery and ES|QL printers: lower-case keywords, `or` binds
 * loosest, then `and`, then `not`; parentheses only where precedence needs them. Leaves (predicates,
 * constants) are printed by the caller; an unknown node prints its source text when `unknownText`
 * (a round trip of the rule's own language), else it cannot be printed.
 */
import type { ComputedTest, Detection, Predicate } from '../../model/index.js';
import { fail } from './print-error.js';

export interface BooleanLeaves {
  pred: (p: Predicate) => string;
  constant: (value: boolean) => string;
  unknownText?: boolean;
  /** Tests of computed values, for a language that can say them (else they cannot be printed). */
  computed?: (c: ComputedTest) => string;
}

export function printBoolean(d: Detection, leaves: BooleanLeaves, prec = 0): string {
  switch (d.kind) {
    case 'or': {
      const s = d.children.map((c) => printBoolean(c, leaves, 0)).join(' or ');
      return prec > 0 ? `(${s})` : s;
    }
    case 'and': {
      const s = d.children.map((c) => printBoolean(c, leaves, 1)).join(' and ');
      return prec > 1 ? `(${s})` : s;
    }
    case 'not':
      return `not ${printBoolean(d.child, leaves, 2)}`;
    case 'const':
      return leaves.constant(d.value);
    case 'unknown':
      return unknownLeaf(d, leaves.unknownText);
    case 'computed':
      return leaves.computed ? leaves.computed(d) : fail('computed', `a test of a computed value${d.name ? ` (${d.name})` : ''}`);
    case 'pred':
      return leaves.pred(d);
  }
}

/** An unknown node: its source text in parentheses when asked, else a print error. */
export function unknownLeaf(d: Extract<Detection, { kind: 'unknown' }>, unknownText: boolean | undefined): string {
  return unknownText ? `(${d.text})` : fail('unknown', `an unknown condition: ${d.reason}`);
}
