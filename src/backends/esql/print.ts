import type { Detection, Predicate, Scalar } from '../../model/index.js';
import { re2ToLuceneRegex } from '../../formats/elastic/lucene-regex.js';
import { printBoolean } from '../elastic/boolean-print.js';
import { fail } from '../elastic/print-error.js';
import { globParts, quoted } from '../elastic/strings.js';

/**
 * Writes a predicate tree on ECS fields as an ES|QL WHERE condition our ES|QL lowering reads back
 * to the same predicates: `==` / `in` / `!=`, `like` patterns (backslash escapes), `rlike` (whole
 * value), `is not null`, `cidr_match`, comparisons, field-to-field tests; case-insensitive tests go
 * through to_lower() (values without capitals) or to_upper() (values without small letters).
 */
export function printEsqlCondition(d: Detection, opts: { unknownText?: boolean } = {}): string {
  return printBoolean(d, { pred: (p) => `(${pred(p)})`, constant: String, unknownText: opts.unknownText });
}

export function esqlField(f: string): string {
  return f.split('.').every((s) => /^[A-Za-z_@][A-Za-z0-9_@]*$/.test(s)) ? f : `\`${f.replace(/`/g, '``')}\``;
}

function literal(v: Scalar): string {
  if (v === null) return 'null';
  return typeof v === 'string' ? quoted(v) : String(v);
}

const likeEscape = (s: string): string => s.replace(/[\\*?]/g, (c) => `\\${c}`);

function pred(p: Predicate): string {
  if (p.field === null) return fail('keyword', 'ES|QL WHERE has no keyword search');
  if (p.flags.encodings?.length || p.flags.timePart || p.flags.anySeparator) return fail('flags', `ES|QL cannot express the flags ${JSON.stringify(p.flags)}`);
  const vs = p.values;
  const strings = vs.filter((v): v is string => typeof v === 'string');
  const folded = strings.length > 0 && p.flags.cased === false;
  // A case-insensitive test is a test of the folded field: to_lower when the values have no capitals, else to_upper.
  const letters = (p.op === 'regex_match' ? strings.map((v) => (re2ToLuceneRegex(v) ?? v).replace(/\\./g, '')) : strings);
  const fold = p.flags.fieldref || letters.every((v) => v === v.toLowerCase()) ? 'to_lower' : letters.every((v) => v === v.toUpperCase()) ? 'to_upper' : undefined;
  const lower = (x: string): string => (folded ? `${fold ?? fail('case', 'a case-insensitive test of values with both cases')}(${esqlField(x)})` : esqlField(x));
  if (p.flags.fieldref) {
    const f = lower(p.field);
    const g = lower(String(vs[0]));
    const ops: Record<string, string> = { eq: '==', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };
    if (ops[p.op]) return `${f} ${ops[p.op]} ${g}`;
    if (p.op === 'starts_with' || p.op === 'ends_with' || p.op === 'contains') return `${p.op}(${f}, ${g})`;
    return fail('fieldref', `a field comparison with ${p.op}`);
  }
  const f = lower(p.field);
  switch (p.op) {
    case 'eq':
    case 'in':
      return vs.length === 1 ? `${f} == ${literal(vs[0])}` : `${f} in (${vs.map(literal).join(', ')})`;
    case 'ne':
      return vs.length === 1 ? `${f} != ${literal(vs[0])}` : fail('ne', 'a != with several values');
    case 'starts_with':
    case 'ends_with':
    case 'contains': {
      const pats = strings.map((v) => quoted(p.op === 'starts_with' ? `${likeEscape(v)}*` : p.op === 'ends_with' ? `*${likeEscape(v)}` : `*${likeEscape(v)}*`));
      return pats.length === 1 ? `${f} like ${pats[0]}` : `${f} like (${pats.join(', ')})`;
    }
    case 'wildcard': {
      const pats = strings.map((v) => quoted(globParts(v).map((x) => ('wild' in x ? x.wild : likeEscape(x.lit))).join('')));
      return pats.length === 1 ? `${f} like ${pats[0]}` : `${f} like (${pats.join(', ')})`;
    }
    case 'regex_match': {
      const res = strings.map((v) => re2ToLuceneRegex(v) ?? fail('regex', `a regex ES|QL cannot say whole-value: ${v}`));
      if (folded !== (p.flags.regexFlags ?? '').includes('i')) return fail('regex', 'a regex whose case flag and case-sensitivity disagree');
      return res.length === 1 ? `${f} rlike ${quoted(res[0])}` : `${f} rlike (${res.map(quoted).join(', ')})`;
    }
    case 'exists':
      return `${esqlField(p.field)} is not null`;
    case 'cidr':
      return `cidr_match(${esqlField(p.field)}, ${vs.map(literal).join(', ')})`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const op = p.op === 'lt' ? '<' : p.op === 'lte' ? '<=' : p.op === 'gt' ? '>' : '>=';
      return `${f} ${op} ${literal(vs[0])}`;
    }
  }
}
