import type { Detection, Scalar } from '../../model/index.js';
import { and, not, or, pred } from '../../model/index.js';
import type { LossLog } from '../elastic/losses.js';
import { luceneRegexValues } from '../elastic/lucene-regex.js';
import { classifyPattern, groupedPredicates } from '../elastic/pattern.js';
import type { OpValue } from '../elastic/pattern.js';
import type { LuceneNode, LuceneTerm } from './ast.js';

/**
 * Lowers Lucene to the model, like KQL: case-sensitive (keyword fields), terms with `*` / `?` are
 * patterns (prefix/suffix/infix -> starts_with/ends_with/contains, `*` -> exists), phrases are eq,
 * ranges are gte/gt/lte/lt pairs. `field:(a OR b)` of plain terms is one predicate with several
 * values. `/re/` matches the whole term: stored as anchored RE2 (elastic/lucene-regex.ts).
 * Conditions without a predicate form (a regex RE2 cannot express, a range with no field, a field
 * name with a wildcard) are unknown nodes, recorded in `log`.
 */
export function lowerLucene(n: LuceneNode, log: LossLog, field: string | null = null): Detection {
  switch (n.type) {
    case 'and':
      return and(n.children.map((c) => lowerLucene(c, log, field)));
    case 'or':
      if (field !== null && n.children.every((c) => c.type === 'term' && c.field === null && (c.term.kind === 'term' || c.term.kind === 'phrase') && !c.term.fuzzy)) {
        return groupedPredicates(field, n.children.map((c) => opValue((c as { term: LuceneTerm }).term)), { cased: true });
      }
      return or(n.children.map((c) => lowerLucene(c, log, field)));
    case 'not':
      return not(lowerLucene(n.child, log, field));
    case 'group':
      return lowerLucene(n.query, log, n.field);
    case 'term':
      return termPredicate(n.field ?? field, n.term, log);
  }
}

function opValue(t: LuceneTerm): OpValue {
  if (t.kind === 'phrase') return { op: 'eq', value: t.text };
  if (t.kind === 'term') return classifyPattern(t.parts);
  return { op: 'eq', value: '' };
}

const num = (s: string): Scalar => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);

function termPredicate(field: string | null, t: LuceneTerm, log: LossLog): Detection {
  if (field !== null && /[*?]/.test(field)) {
    return log.unknownAt(t.span.offset, t.span.end, 'field-wildcard', `a field name with a wildcard (${field}): the test applies to every matching field`);
  }
  if ((t.kind === 'term' || t.kind === 'phrase') && t.fuzzy) {
    return log.unknownAt(t.span.offset, t.span.end, 'fuzzy', 'a fuzzy term or a phrase with slop (~) matches more than the value');
  }
  if (t.kind === 'regex') {
    const r = luceneRegexValues([t.pattern], false);
    if (!r.ok) return log.unknownAt(t.span.offset, t.span.end, 'regex-syntax', r.reason);
    const d = pred(field, 'regex_match', r.values, { cased: true, ...(r.flags ? { regexFlags: r.flags } : {}) });
    d.authoredValues = [t.pattern];
    return d;
  }
  if (t.kind === 'range') {
    if (field === null) return log.unknownAt(t.span.offset, t.span.end, 'free-range', 'a range without a field');
    const parts: Detection[] = [];
    if (t.lower !== null) parts.push(pred(field, t.includeLower ? 'gte' : 'gt', [num(t.lower)]));
    if (t.upper !== null) parts.push(pred(field, t.includeUpper ? 'lte' : 'lt', [num(t.upper)]));
    return parts.length ? and(parts) : pred(field, 'exists', []);
  }
  const ov = opValue(t);
  // A bare `*` matches every document.
  if (field === null) return ov.op === 'exists' ? { kind: 'const', value: true } : pred(null, ov.op, [ov.value], { cased: false });
  return groupedPredicates(field, [ov], { cased: true });
}
