import type { Detection, Predicate } from '../../model/index.js';
import { not } from '../../model/index.js';
import { ECS_FIELDS } from '../../taxonomy/ecs-fields.js';
import { authoredOp } from '../../taxonomy/pipeline.js';

/**
 * A canonical tree back on ECS fields, for the Elastic backends. A predicate that came from an
 * Elastic rule goes back to its authored field, operator and values (process.name eq cmd.exe, not
 * Image ends_with \cmd.exe); a canonical field of another origin takes the ECS field that maps onto
 * it unchanged (Image -> process.executable), or stays as written.
 */
export function toEcsTree(d: Detection): Detection {
  switch (d.kind) {
    case 'pred':
      return toEcsPredicate(d);
    case 'and':
    case 'or':
      return { kind: d.kind, children: d.children.map(toEcsTree) };
    case 'not':
      // A derived `ne` (process.name != x -> not Image ends_with \x) is written back as the `ne`.
      if (d.child.kind === 'pred' && d.child.op !== 'ne' && authoredOp(d.child) === 'ne') return toEcsPredicate(d.child);
      return not(toEcsTree(d.child));
    default:
      return d;
  }
}

const SAME_AS: ReadonlyMap<string, string> = new Map(
  [...ECS_FIELDS].reverse().filter((r) => r.derive === 'same' && !r.when).map((r) => [r.canonical, r.vendor]),
);

/** The ECS name a canonical field is printed under (itself when ECS has no name for it). */
export function ecsNameOf(field: string): string {
  return SAME_AS.get(field) ?? field;
}

function toEcsPredicate(p: Predicate): Predicate {
  if (p.field === null) return p;
  if (p.authoredField === null || p.authoredField === p.field) {
    // Not renamed by the crosswalk (a Sigma field, or an ECS field with no canonical name).
    const ecs = SAME_AS.get(p.field);
    return ecs ? { ...p, field: ecs, authoredField: ecs } : p;
  }
  const field = p.authoredField;
  const op = authoredOp(p);
  if (p.op === 'regex_match') {
    // Derived basename regexes were re-anchored after a separator: back to the whole-value form.
    const values = p.values.map((v) => (typeof v === 'string' ? v.replace(/^(\(\?[a-z]+\))?\(\?:\^\|\[\\\\\/\]\)/, '$1^') : v));
    return { ...p, field, op, values };
  }
  const flags = { ...p.flags };
  delete flags.anySeparator;
  const values = op !== p.op || p.authoredValues ? (p.authoredValues ?? p.values) : p.values;
  const out: Predicate = { ...p, field, op, values, flags };
  delete out.authoredValues;
  return out;
}
