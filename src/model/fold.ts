import type { Detection } from './predicate.js';

/**
 * Constants folded away, by exact boolean identities: `and` drops true and is false with a false
 * child, `or` drops false and is true with a true child, `not` of a constant is the other constant,
 * an empty `and` is true and an empty `or` false. Unknown nodes stay (unknown is not a constant).
 */
export function foldConstants(d: Detection): Detection {
  switch (d.kind) {
    case 'and':
    case 'or': {
      const unit = d.kind === 'and';
      const kids: Detection[] = [];
      for (const c of d.children.map(foldConstants)) {
        if (c.kind === 'const') {
          if (c.value === unit) continue;
          return c;
        }
        kids.push(c);
      }
      if (kids.length === 0) return { kind: 'const', value: unit };
      return kids.length === 1 ? kids[0] : { kind: d.kind, children: kids };
    }
    case 'not': {
      const c = foldConstants(d.child);
      return c.kind === 'const' ? { kind: 'const', value: !c.value } : { kind: 'not', child: c };
    }
    default:
      return d;
  }
}
