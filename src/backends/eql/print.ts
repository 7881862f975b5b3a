import type { ComputedTest, Detection, Predicate, Scalar, ValueExpr } from '../../model/index.js';
import { re2ToLuceneRegex } from '../../formats/elastic/lucene-regex.js';
import { unknownLeaf } from '../elastic/boolean-print.js';
import { fail } from '../elastic/print-error.js';
import { globParts, quoted } from '../elastic/strings.js';

/**
 * Writes a predicate tree on ECS fields (see elastic/ecs-tree.ts) as an EQL condition, in forms our
 * EQL lowering reads back to the same predicates: `==` / `in` for cased equality, `:` / `in~` for
 * case-insensitive equality, `like` / `:` patterns for prefixes, suffixes, infixes and globs (the
 * function forms when a value holds a `*` or `?`, which EQL patterns cannot escape), `regex` /
 * `regex~` (anchored RE2 back to Lucene syntax), `cidrMatch`, `!= null` for exists. Unknown nodes
 * print their source text when `unknownText` (a round trip in the same language), else fail.
 * Throws PrintError for what EQL cannot say (a keyword search, a case-insensitive `!=`...).
 */
export interface EqlPrintOptions {
  unknownText?: boolean;
}

export function printEqlCondition(d: Detection, opts: EqlPrintOptions = {}): string {
  return new EqlPrinter(opts).expr(d, 0);
}

/** `category where condition`, taking the category from a leading cased event.category test. */
export function printEqlEvent(d: Detection, opts: EqlPrintOptions = {}): string {
  const p = new EqlPrinter(opts);
  if (d.kind === 'and') {
    const [first, ...rest] = d.children;
    const cat = categoryOf(first);
    if (cat) return `${cat} where ${rest.length ? p.expr(rest.length === 1 ? rest[0] : { kind: 'and', children: rest }, 0) : 'true'}`;
  }
  const cat = categoryOf(d);
  if (cat) return `${cat} where true`;
  return `any where ${p.expr(d, 0)}`;
}

function categoryOf(d: Detection | undefined): string | undefined {
  if (d?.kind !== 'pred' || d.field !== 'event.category' || d.op !== 'eq' || d.flags.cased !== true || d.values.length !== 1) return undefined;
  const v = d.values[0];
  return typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) && !['any', 'where', 'and', 'or', 'not', 'sequence', 'sample', 'join'].includes(v) ? v : undefined;
}

const IDENT = /^[A-Za-z_@][A-Za-z0-9_.@-]*$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like', 'regex', 'where', 'true', 'false', 'null', 'by', 'with', 'of', 'sequence', 'sample', 'join', 'until', 'any', 'maxspan', 'runs']);

export function eqlField(f: string): string {
  const ok = f.split('.').every((seg) => IDENT.test(seg) && !KEYWORDS.has(seg.toLowerCase()) && !seg.includes('-'));
  return ok ? f : `\`${f.replace(/`/g, '``')}\``;
}

function literal(v: Scalar): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quoted(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : fail('value', `number ${v}`);
  return String(v);
}

const hasPatternChars = (v: Scalar): boolean => typeof v === 'string' && /[*?]/.test(v);

class EqlPrinter {
  constructor(private readonly opts: EqlPrintOptions) {}

  /** prec: 0 top / or operand, 1 and operand, 2 not operand. */
  expr(d: Detection, prec: number): string {
    switch (d.kind) {
      case 'or': {
        const s = d.children.map((c) => this.expr(c, 0)).join(' or ');
        return prec > 0 ? `(${s})` : s;
      }
      case 'and': {
        const s = d.children.map((c) => this.expr(c, 1)).join(' and ');
        return prec > 1 ? `(${s})` : s;
      }
      case 'not':
        return `not ${this.expr(d.child, 2)}`;
      case 'const':
        return String(d.value);
      case 'unknown':
        return unknownLeaf(d, this.opts.unknownText);
      case 'computed':
        return computedTest(d);
      case 'pred': {
        const s = this.pred(d);
        return prec > 0 && / or /.test(s) ? `(${s})` : s;
      }
    }
  }

  private pred(p: Predicate): string {
    if (p.field === null) return fail('keyword', 'EQL has no keyword (field-less) search');
    if (p.flags.encodings?.length || p.flags.timePart || p.flags.anySeparator) return fail('flags', `EQL cannot express the flags ${JSON.stringify(p.flags)}`);
    const f = eqlField(p.field);
    const cased = p.flags.cased === true;
    const vs = p.values;
    const tilde = cased ? '' : '~';
    if (p.flags.fieldref) {
      const g = eqlField(String(vs[0]));
      switch (p.op) {
        case 'eq': return cased ? `${f} == ${g}` : `${f} : ${g}`;
        case 'ne': return cased ? `${f} != ${g}` : fail('fieldref', 'a case-insensitive field comparison');
        case 'lt': return `${f} < ${g}`;
        case 'lte': return `${f} <= ${g}`;
        case 'gt': return `${f} > ${g}`;
        case 'gte': return `${f} >= ${g}`;
        case 'starts_with': return `startsWith${tilde}(${f}, ${g})`;
        case 'ends_with': return `endsWith${tilde}(${f}, ${g})`;
        case 'contains': return `stringContains${tilde}(${f}, ${g})`;
        default: return fail('fieldref', `a field comparison with ${p.op}`);
      }
    }
    const strings = vs.some((v) => typeof v === 'string');
    switch (p.op) {
      case 'eq':
      case 'in': {
        if (vs.some((v) => v === null)) return fail('value', 'an equality with null');
        if (!strings || cased) return vs.length === 1 ? `${f} == ${literal(vs[0])}` : `${f} in (${vs.map(literal).join(', ')})`;
        if (vs.some(hasPatternChars)) return `${f} in~ (${vs.map(literal).join(', ')})`;
        return vs.length === 1 ? `${f} : ${literal(vs[0])}` : `${f} : (${vs.map(literal).join(', ')})`;
      }
      case 'ne':
        if (vs.length !== 1) return fail('ne', 'a != with several values');
        if (strings && !cased) return fail('ne', 'a case-insensitive !=');
        return `${f} != ${literal(vs[0])}`;
      case 'starts_with':
      case 'ends_with':
      case 'contains': {
        const str = vs.map((v) => (typeof v === 'string' ? v : fail('value', `${p.op} with a non-string value`)));
        if (str.some((v) => v === '' || /[*?]/.test(v))) {
          const fn = p.op === 'starts_with' ? 'startsWith' : p.op === 'ends_with' ? 'endsWith' : 'stringContains';
          return `${fn}${tilde}(${f}, ${str.map(quoted).join(', ')})`;
        }
        const pat = str.map((v) => quoted(p.op === 'starts_with' ? `${v}*` : p.op === 'ends_with' ? `*${v}` : `*${v}*`));
        return this.patterns(f, cased, pat);
      }
      case 'wildcard': {
        const pats = vs.map((v) => {
          const parts = globParts(String(v));
          if (parts.some((x) => 'lit' in x && /[*?]/.test(x.lit))) return fail('wildcard', 'EQL patterns cannot escape a literal * or ?');
          return quoted(parts.map((x) => ('lit' in x ? x.lit : x.wild)).join(''));
        });
        return this.patterns(f, cased, pats);
      }
      case 'regex_match': {
        const res = vs.map((v) => re2ToLuceneRegex(String(v)) ?? fail('regex', `a regex EQL cannot say whole-value: ${String(v)}`));
        const insensitive = (p.flags.regexFlags ?? '').includes('i');
        if (insensitive === cased) return fail('regex', 'a regex whose case flag and case-sensitivity disagree');
        const list = res.length === 1 ? quoted(res[0]) : `(${res.map(quoted).join(', ')})`;
        return `${f} regex${insensitive ? '~' : ''} ${list}`;
      }
      case 'exists':
        return p.values[0] === false ? `${f} == null` : `${f} != null`;
      case 'cidr':
        return `cidrMatch(${f}, ${vs.map(literal).join(', ')})`;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        if (vs.length !== 1) return fail('range', 'a comparison with several values');
        if (typeof vs[0] === 'string' && !cased) return fail('range', 'a case-insensitive order comparison');
        const op = p.op === 'lt' ? '<' : p.op === 'lte' ? '<=' : p.op === 'gt' ? '>' : '>=';
        return `${f} ${op} ${literal(vs[0])}`;
      }
    }
  }

  private patterns(f: string, cased: boolean, pats: string[]): string {
    const list = pats.length === 1 ? pats[0] : `(${pats.join(', ')})`;
    return cased ? `${f} like ${list}` : `${f} : ${list}`;
  }
}

const INFIX = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=']);

/** A computed value as an EQL expression: fields, literals, function calls, arithmetic. */
export function printEqlValue(v: ValueExpr): string {
  switch (v.kind) {
    case 'field':
      return eqlField(v.field);
    case 'literal':
      return literal(v.value);
    case 'call': {
      const args = v.args.map(printEqlValue);
      if (INFIX.has(v.fn) && args.length === 2) return `(${args[0]} ${v.fn} ${args[1]})`;
      if (v.fn === '-' && args.length === 1) return `-(${args[0]})`;
      if (!/^[a-z_][a-z0-9_]*~?$/i.test(v.fn)) return fail('function', `no EQL form for the function ${v.fn}`);
      return `${v.fn}(${args.join(', ')})`;
    }
    default:
      return fail('computed', `EQL has no ${v.kind} values`);
  }
}

function computedTest(c: ComputedTest): string {
  const left = printEqlValue(c.value);
  if (c.op === 'eq' && c.values.length === 1 && c.values[0] === true && c.value.kind === 'call') return left;
  const sym: Partial<Record<string, string>> = { eq: '==', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };
  const s = sym[c.op];
  if (!s || c.values.length !== 1 || c.flags.cased === false || c.flags.fieldref) return fail('computed', `a ${c.op} test of a computed value`);
  return `${left} ${s} ${literal(c.values[0])}`;
}
