/**
 * One Elastic leaf (a predicate of a KQL, Lucene or EQL query's lowered tree) as a SQL condition,
 * whatever the dialect: the leaf semantics of engine/elastic/detection-eval.ts (eql/values.ts
 * equals and order: a number on either side compares as a number, a boolean as its lower-case
 * text, strings as strings), decided here once; each SQL printer (backends/duckdb/print.ts,
 * backends/clickhouse/print.ts) supplies the few expressions that differ (ElasticEmitter).
 * A leaf whose Elastic meaning the SQL does not reproduce exactly (`<`/`>` between two texts,
 * field references, keywords, a text JS reads as a number that is no plain decimal, such as
 * "0x10") filters nothing: true where it counts for a match (`positive`), false under a `not`.
 * The condition then holds for every event the rule matches (and maybe more): the caller runs the
 * rule's own evaluator on what the SQL selects.
 */
import type { Predicate } from '../../model/index.js';

export type ValueTest = (x: string) => string;

/** What a dialect prints; the walker decides which. */
export interface ElasticEmitter {
  bool(b: boolean): string;
  /** Negation of a condition (definite: a NULL inside reads as false before the NOT). */
  not(c: string): string;
  /** The field has a value (single or several). */
  present(field: string): string;
  /** Some value of the field passes the test. */
  anyOf(field: string, t: ValueTest): string;
  /** The Sigma printer's value test for this predicate (eq/in, contains, wildcard, regex, cidr...). */
  valueTest(p: Predicate): ValueTest;
  /** `test` on the number JS Number() reads from a plain decimal value; other texts with a digit pass when `positive`. */
  jsNumber(test: (n: string) => string, positive: boolean): ValueTest;
  /** A double literal. */
  double(n: number): string;
  /** A value's text as a double (NULL when not a number). */
  toDouble(x: string): string;
  /** A rule literal in lower case, as the evaluator folds it. */
  lowerLiteral(v: string): string;
  /** `lower()` of an ASCII value (booleans' text). */
  lowerAscii(x: string): string;
  /** Condition: the field holds numbers or booleans in this event; undefined when the store has no such column. */
  typed(field: string): string | undefined;
  /** if c then a else b. */
  choose(c: string, a: string, b: string): string;
}

export interface ElasticLeafOptions {
  /** Fields stored as numbers or booleans somewhere ('all' when unknown). */
  typedFields: ReadonlySet<string> | 'all';
}

/** eql/values.ts toNumber on a rule's text value. */
function jsToNumber(s: string): number | null {
  if (s.trim() === '') return null;
  const n = Number(s);
  return Number.isNaN(n) ? null : n;
}

/** engine/elastic/detection-eval.ts compilePredicate, leaf by leaf. */
export function elasticLeaf(e: ElasticEmitter, p: Predicate, opts: ElasticLeafOptions, positive: boolean): string {
  const open = e.bool(positive);
  if (p.field === null || p.flags.fieldref || p.flags.timePart || p.flags.encodings?.length || p.flags.anySeparator) return open;
  const field = p.field.replace(/^\?/, '');
  const q: Predicate = { ...p, field };
  if (p.op === 'exists') return p.values[0] === false ? e.not(e.present(field)) : e.present(field);
  if (p.op === 'ne') return e.not(elasticLeaf(e, { ...q, op: 'eq' }, opts, !positive));
  const isTyped = opts.typedFields === 'all' || opts.typedFields.has(field);
  const numbers = p.values.filter((v): v is number => typeof v === 'number');
  if (numbers.some((n) => !Number.isFinite(n))) return open;
  switch (p.op) {
    case 'eq':
    case 'in': {
      const parts: string[] = [];
      if (p.values.includes(null)) parts.push(e.not(e.present(field)));
      // A number: the value read as JS Number() reads it (a stored number's text is its String()).
      if (numbers.length) parts.push(e.anyOf(field, e.jsNumber((n) => `${n} IN (${numbers.map(e.double).join(', ')})`, positive)));
      // A boolean: a stored boolean's text, or a text that is the same in lower case.
      const bools = p.values.filter((v): v is boolean => typeof v === 'boolean');
      if (bools.length) parts.push(e.anyOf(field, (x) => `${e.lowerAscii(x)} IN (${bools.map((b) => `'${b}'`).join(', ')})`));
      const strings = p.values.filter((v): v is string => typeof v === 'string');
      if (strings.length) {
        const text = e.valueTest({ ...q, values: strings });
        const typed = isTyped ? e.typed(field) : undefined;
        if (!isTyped) parts.push(e.anyOf(field, text));
        else if (typed === undefined) return open;
        else {
          // Where the field holds a number or a boolean, the text compares as one.
          const nums = strings.map(jsToNumber).filter((n): n is number => n !== null && Number.isFinite(n));
          const lits = strings.map(e.lowerLiteral).join(', ');
          const asTyped = (x: string): string => `(${nums.length ? `${e.toDouble(x)} IN (${nums.map(e.double).join(', ')}) OR ` : ''}${e.lowerAscii(x)} IN (${lits}))`;
          parts.push(e.anyOf(field, (x) => e.choose(typed, asTyped(x), text(x))));
        }
      }
      return parts.length ? `(${parts.join(' OR ')})` : e.bool(false);
    }
    case 'contains':
    case 'starts_with':
    case 'ends_with':
    case 'wildcard': {
      const rest = p.values.filter((v) => v !== null);
      return rest.length ? e.anyOf(field, e.valueTest({ ...q, values: rest })) : e.bool(false);
    }
    case 'regex_match': {
      const flags = p.flags.regexFlags ?? (p.flags.cased ? '' : 'i');
      if (/[^ims]/.test(flags)) return open;
      return e.anyOf(field, e.valueTest({ ...q, flags: { ...q.flags, regexFlags: flags } }));
    }
    case 'cidr':
      return e.anyOf(field, e.valueTest(q));
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      // order(): a number and a text compare as numbers; two texts as texts (not printed).
      if (numbers.length !== p.values.length) return open;
      const cmp = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[p.op];
      return e.anyOf(field, e.jsNumber((n) => `(${numbers.map((y) => `${n} ${cmp} ${e.double(y)}`).join(' OR ')})`, positive));
    }
    default:
      return open;
  }
}
