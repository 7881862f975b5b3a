import type { Detection, Predicate } from '../model/index.js';

export interface PlacedPredicate {
  pred: Predicate;
  /** Position in the tree: "0", "0.1", "0.1.0" (children indexes; a `not` has one child, 0). */
  path: string;
  /** Under an odd number of `not`s. */
  negated: boolean;
  /** Under a top-level `not`: one reached from the root through `and` nodes only (Sigma `and not filter`). */
  exclusion: boolean;
}

/**
 * Every predicate of a detection with its tree path, negation and exclusion marks. For a sequence
 * (EQL `sequence [..] [..]`, an `or` of its stages in the model) each stage is top-level.
 */
export function placePredicates(d: Detection, sequence = false): PlacedPredicate[] {
  const out: PlacedPredicate[] = [];
  const visit = (n: Detection, path: string, negated: boolean, topLevel: boolean, exclusion: boolean): void => {
    switch (n.kind) {
      case 'pred':
        out.push({ pred: n, path, negated, exclusion });
        return;
      case 'and':
        n.children.forEach((c, i) => visit(c, `${path}.${i}`, negated, topLevel, exclusion));
        return;
      case 'or':
        n.children.forEach((c, i) => visit(c, `${path}.${i}`, negated, false, exclusion));
        return;
      case 'not':
        visit(n.child, `${path}.0`, !negated, false, exclusion || topLevel);
        return;
      case 'const':
      case 'unknown':
      case 'computed':
        return;
    }
  };
  if (sequence && d.kind === 'or') d.children.forEach((c, i) => visit(c, `0.${i}`, false, true, false));
  else visit(d, '0', false, true, false);
  return out;
}
