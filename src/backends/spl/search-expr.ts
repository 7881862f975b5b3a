/**
 * Model -> SPL search-language text (the leading search). Case-insensitive tests are plain
 * `field=value`; case-sensitive ones use CASE(). Returns undefined for a subtree the search language
 * cannot say (regexes, CIDR, field-to-field, case-sensitive lists...): it goes to `| where`.
 */
import type { Detection, Predicate, Scalar } from '../../model/index.js';
import { searchField, splString } from './quote.js';
import { patternParts, searchValue } from './values.js';

export type FieldName = (p: Predicate) => string | null;

const RANGE: Readonly<Record<string, string>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

export function searchExpr(d: Detection, name: FieldName): string | undefined {
  switch (d.kind) {
    case 'pred':
      return searchPred(d, name);
    case 'and':
    case 'or': {
      const parts = d.children.map((c) => searchExpr(c, name));
      if (parts.some((p) => p === undefined)) return undefined;
      return `(${parts.join(d.kind === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not': {
      const inner = searchExpr(d.child, name);
      return inner === undefined ? undefined : `NOT ${wrap(inner)}`;
    }
    case 'const':
      return d.value ? '*' : undefined;
    case 'unknown':
      return undefined;
  }
}

/** Parenthesizes anything but a single test (a group or a call already is one). */
export function wrap(s: string): string {
  const bare = s.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  if (!/\s/.test(bare) || closesAtEnd(bare.replace(/^[\w.]*/, ''))) return s;
  return `(${s})`;
}

/** Does the `(` at the start close at the very end (one group, one call)? */
function closesAtEnd(s: string): boolean {
  if (!s.startsWith('(')) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i === s.length - 1;
  }
  return false;
}

function searchPred(p: Predicate, name: FieldName): string | undefined {
  const f = p.flags;
  if (f.fieldref || f.timePart || p.op === 'regex_match' || p.op === 'cidr' || p.op === 'in') return undefined;
  const field = name(p);
  if (field === null) return keyword(p);
  const w = searchField(field);
  if (w === undefined) return undefined;
  if (p.op === 'exists') return p.values[0] === false ? `NOT ${w}=*` : `${w}=*`;
  if (RANGE[p.op]) {
    // the search language compares ranges without a case flag; `| where` sets it (cased)
    if (p.values.length !== 1 || f.cased === true) return undefined;
    const v = p.values[0];
    if (typeof v === 'number') return `${w}${RANGE[p.op]}${v}`;
    return typeof v === 'string' && v !== '' && !/[\s"*]/.test(v) && !Number.isFinite(Number(v)) ? `${w}${RANGE[p.op]}${splString(v)}` : undefined;
  }
  const values = p.values.map((v) => value(p, v));
  if (!values.length || values.some((v) => v === undefined)) return undefined;
  const vs = values as string[];
  const cased = f.cased === true;
  if (p.op === 'ne') {
    const one = (v: string): string => `${w}!=${cased ? `CASE(${v})` : v}`;
    return vs.length === 1 ? one(vs[0]) : `(${vs.map(one).join(' AND ')})`;
  }
  if (cased) return vs.length === 1 ? `${w}=CASE(${vs[0]})` : `(${vs.map((v) => `${w}=CASE(${v})`).join(' OR ')})`;
  return vs.length === 1 ? `${w}=${vs[0]}` : `${w} IN (${vs.join(', ')})`;
}

/** One value in search syntax: numbers bare (they read back as numbers), strings quoted. */
function value(p: Predicate, v: Scalar): string | undefined {
  if (typeof v === 'number') return p.op === 'eq' || p.op === 'ne' ? (Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : undefined) : undefined;
  if (typeof v !== 'string') return undefined;
  return searchValue(patternParts(p.op === 'ne' ? 'eq' : p.op, v));
}

/** A field-less term: the raw event contains the text. */
function keyword(p: Predicate): string | undefined {
  if ((p.op !== 'contains' && p.op !== 'wildcard') || p.values.length === 0) return undefined;
  const parts = p.values.map((v) => (typeof v === 'string' ? searchValue(p.op === 'contains' ? patternParts('eq', v) : patternParts('wildcard', v)) : undefined));
  if (parts.some((v) => v === undefined)) return undefined;
  const terms = (parts as string[]).map((t) => (p.flags.cased ? `CASE(${t})` : t));
  return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
}
