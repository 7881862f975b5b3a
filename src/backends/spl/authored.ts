/**
 * A canonicalized tree back on the rule's own vendor fields. The taxonomy rewrites a test on a
 * derived vendor field onto the canonical field (Splunk `process_name eq x` -> `Image ends_with
 * '\x'`), keeping the authored field and values on the predicate; this undoes the operator change
 * so that the vendor's query can be printed again. The authored operator is the one the taxonomy
 * remembers (in memory), else the inverse of the derivation's operator.
 */
import type { Detection, Op, Predicate, Vendor } from '../../model/index.js';
import { authoredOp, lookupField } from '../../taxonomy/pipeline.js';
import type { Derivation } from '../../taxonomy/types.js';

/** Derived operator -> authored operator, per derivation (derive.ts, read backwards). */
const INVERSE: Readonly<Record<string, Partial<Record<Op, Op>>>> = {
  basename: { ends_with: 'eq', contains: 'starts_with' },
  extension: { ends_with: 'eq' },
  directory: { starts_with: 'eq', contains: 'ends_with' },
  hash: { contains: 'eq' },
};

export function authoredTree(d: Detection, vendor: Vendor): Detection {
  switch (d.kind) {
    case 'pred':
      return authoredPred(d, vendor);
    case 'and':
    case 'or':
      return { kind: d.kind, children: d.children.map((c) => authoredTree(c, vendor)) };
    case 'not': {
      // `ne x` was derived as not(ends_with '\x'): the remembered operator says so
      if (d.child.kind === 'pred' && authoredOp(d.child) === 'ne' && d.child.op !== 'ne') return { ...authoredPred(d.child, vendor), op: 'ne' };
      return { kind: 'not', child: authoredTree(d.child, vendor) };
    }
    default:
      return d;
  }
}

function authoredPred(p: Predicate, vendor: Vendor): Predicate {
  const field = p.authoredField ?? p.field;
  if (field === null || field === p.field) return p;
  const values = p.authoredValues ?? p.values;
  if (p.flags.fieldref) return { ...p, field, values };
  const derive: Derivation | undefined = lookupField(vendor, field).mapping?.derive;
  if (!derive || derive === 'same') return { ...p, field };
  // a derivation that changed the test rewrote the values; unchanged values: the operator is as authored
  const rewritten = p.authoredValues !== undefined && JSON.stringify(p.authoredValues) !== JSON.stringify(p.values);
  if (!rewritten) return { ...p, field };
  const remembered = authoredOp(p);
  const op = remembered !== p.op ? remembered : INVERSE[derive.startsWith('hash:') ? 'hash' : derive]?.[p.op] ?? p.op;
  return { ...p, field, op, values };
}
