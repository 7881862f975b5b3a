import type { Rule, Scalar } from '../../../src/model/index.js';
import { ruleTree, walkPredicates } from '../../../src/model/index.js';

/**
 * One predicate as a round-trip test sees it: [field, op, values, negated (under an odd number of
 * nots), case] where case is 's' (flags.cased true), 'i' (cased false) or '-' (no case flag).
 */
export type Tuple = [string | null, string, Scalar[], boolean, 's' | 'i' | '-'];

export function tuples(rule: Rule): Tuple[] {
  const out: Tuple[] = [];
  const tree = ruleTree(rule);
  if (tree) {
    walkPredicates(tree, (p, _path, negated) => {
      const c = p.flags.cased === true ? 's' : p.flags.cased === false ? 'i' : '-';
      out.push([p.field, p.op, p.values, negated, c]);
    });
  }
  return out;
}
