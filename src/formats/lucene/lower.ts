import type { Detection, Scalar } from '../../model/index.js';
import { and, not, or, pred } from '../../model/index.js';
import { classifyPattern, groupedPredicates } from '../elastic/pattern.js';
import type { OpValue } from '../elastic/pattern.js';
import type { LuceneNode, LuceneTerm } from './ast.js';

/**
 * Lowers Lucene to the model, like KQL: case-sensitive (keyword fields), terms with `*` / `?` are
 * patterns (prefix/suffix/infix -> starts_with/ends_with/contains, `*` -> exists), phrases are eq,
 * `/re/` is regex_match, ranges are gte/gt/lte/lt pairs. `field:(a OR b)` of plain terms is one
 * predicate with several values.
 */
export function lowerLucene(n: LuceneNode, field: string | null = null): Detection {
  switch (n.type) {
    case 'and':
      return and(n.children.map((c) => lowerLucene(c, field)));
    case 'or':
      if (field !== null && n.children.every((c) => c.type === 'term' && c.field === null && c.term.kind !== 'range' && c.term.kind !== 'regex')) {
        return groupedPredicates(field, n.children.map((c) => opValue((c as { term: LuceneTerm }).term)), { cased: true });
      }
      return or(n.children.map((c) => lowerLucene(c, field)));
    case 'not':
      return not(lowerLucene(n.child, field));
    case 'group':
      return lowerLucene(n.query, n.field);
    case 'term':
      return termPredicate(n.field ?? field, n.term);
  }
}

function opValue(t: LuceneTerm): OpValue {
  if (t.kind === 'phrase') return { op: 'eq', value: t.text };
  if (t.kind === 'term') return classifyPattern(t.parts);
  return { op: 'eq', value: '' };
}

const num = (s: string): Scalar => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);

function termPredicate(field: string | null, t: LuceneTerm): Detection {
  if (t.kind === 'regex') return pred(field, 'regex_match', [t.pattern], { cased: true });
  if (t.kind === 'range') {
    const parts: Detection[] = [];
    if (t.lower !== null) parts.push(pred(field, t.includeLower ? 'gte' : 'gt', [num(t.lower)]));
    if (t.upper !== null) parts.push(pred(field, t.includeUpper ? 'lte' : 'lt', [num(t.upper)]));
    return parts.length ? and(parts) : field === null ? { kind: 'const', value: true } : pred(field, 'exists', []);
  }
  const ov = opValue(t);
  if (field === null) return ov.op === 'exists' ? { kind: 'const', value: true } : pred(null, ov.op, [ov.value], { cased: false });
  return groupedPredicates(field, [ov], { cased: true });
}
