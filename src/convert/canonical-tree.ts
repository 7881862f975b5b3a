/**
 * The tree a backend of another vendor prints: the rule on canonical fields (taxonomy), its
 * predicates no longer tied to the vendor's own spelling (authored field and values dropped, so a
 * printer that goes back to authored fields takes the canonical one), and a predicate that matches
 * either path separator written with both (the backends of other languages have no such flag), and
 * the record of how values were encoded dropped (the encoded values themselves are printed).
 */
import type { Detection, Predicate, Rule } from '../model/index.js';
import { canonicalize } from '../taxonomy/pipeline.js';
import { expandSeparators } from '../taxonomy/separators.js';

export function canonicalTree(rule: Rule): Detection {
  return plain(canonicalize(rule).detection!);
}

function plain(d: Detection): Detection {
  switch (d.kind) {
    case 'pred': {
      const p: Predicate = { ...expandSeparators(d), authoredField: d.field };
      delete p.authoredValues;
      // how the values were authored (Sigma encodings, placeholders) is provenance: the values are what is matched
      if (p.flags.encodings || p.flags.expanded) {
        p.flags = { ...p.flags };
        delete p.flags.encodings;
        delete p.flags.expanded;
      }
      return p;
    }
    case 'and':
    case 'or':
      return { kind: d.kind, children: d.children.map(plain) };
    case 'not':
      return { kind: 'not', child: plain(d.child) };
    default:
      return d;
  }
}
