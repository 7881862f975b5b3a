import type { Detection, Predicate, Scalar } from '../../model/index.js';
import { re2ToLuceneRegex } from '../../formats/elastic/lucene-regex.js';
import { unknownLeaf } from '../elastic/boolean-print.js';
import { fail } from '../elastic/print-error.js';
import { globParts } from '../elastic/strings.js';

/**
 * Writes a predicate tree on ECS fields as a Lucene query_string query that our Lucene lowering
 * reads back to the same predicates: phrases for equality, `*` / `?` patterns, `/regex/` (whole
 * value), `[a TO b]` ranges, `f:*` for exists, AND / OR / NOT. Case-sensitive only.
 */
export function printLucene(d: Detection, opts: { unknownText?: boolean } = {}): string {
  return expr(d, 0, opts);
}

function expr(d: Detection, prec: number, opts: { unknownText?: boolean }): string {
  switch (d.kind) {
    case 'or': {
      const s = d.children.map((c) => expr(c, 1, opts)).join(' OR ');
      return prec > 0 ? `(${s})` : s;
    }
    case 'and': {
      const s = d.children.map((c) => expr(c, 1, opts)).join(' AND ');
      return prec > 0 ? `(${s})` : s;
    }
    case 'not':
      return `NOT ${expr(d.child, 1, opts)}`;
    case 'const':
      return d.value ? '*' : fail('const', 'Lucene has no literal false');
    case 'unknown':
      return unknownLeaf(d, opts.unknownText);
    case 'computed':
      return fail('computed', 'Lucene cannot test a computed value');
    case 'pred':
      return pred(d);
  }
}

const phrase = (v: string): string => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const term = (v: string): string => v.replace(/[\s+\-=&|><!(){}[\]^"~*?:\\/]/g, (c) => `\\${c}`);
const field = (f: string): string => f.replace(/[\s+\-=&|><!(){}[\]^"~*?:\\/]/g, (c) => `\\${c}`);

function value(op: Predicate['op'], v: Scalar): string {
  if (typeof v !== 'string') return String(v);
  switch (op) {
    case 'eq':
    case 'in':
      return phrase(v);
    case 'starts_with':
      return `${term(v)}*`;
    case 'ends_with':
      return `*${term(v)}`;
    case 'contains':
      return `*${term(v)}*`;
    case 'wildcard':
      return globParts(v).map((x) => ('wild' in x ? x.wild : term(x.lit))).join('');
    case 'regex_match': {
      const re = re2ToLuceneRegex(v) ?? fail('regex', `a regex Lucene cannot say whole-value: ${v}`);
      return `/${re.replace(/\//g, '\\/')}/`;
    }
    default:
      return fail('op', `Lucene cannot say ${op}`);
  }
}

function pred(p: Predicate): string {
  if (p.flags.fieldref || p.flags.encodings?.length || p.flags.timePart || p.flags.anySeparator) return fail('flags', `Lucene cannot express the flags ${JSON.stringify(p.flags)}`);
  if (p.field === null) return fail('keyword', 'keyword searches are not printed');
  const f = field(p.field);
  const vs = p.values;
  if (p.op === 'exists') return p.values[0] === false ? `(NOT ${f}:*)` : `${f}:*`;
  if (['lt', 'lte', 'gt', 'gte'].includes(p.op)) {
    const v = String(vs[0]);
    return p.op === 'lt' ? `${f}:{* TO ${v}}` : p.op === 'lte' ? `${f}:[* TO ${v}]` : p.op === 'gt' ? `${f}:{${v} TO *}` : `${f}:[${v} TO *]`;
  }
  if (vs.some((v) => typeof v === 'string') && p.flags.cased !== true) return fail('case', 'Lucene term queries are case-sensitive');
  if ((p.flags.regexFlags ?? '').includes('i')) return fail('regex', 'a case-insensitive regex');
  const texts = vs.map((v) => value(p.op, v));
  return texts.length === 1 ? `${f}:${texts[0]}` : `${f}:(${texts.join(' OR ')})`;
}
