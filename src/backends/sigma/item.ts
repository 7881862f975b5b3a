/**
 * One model predicate as one Sigma detection item: `field|modifiers: value(s)`, or a keyword list
 * for a field-less search. `ne` is written as the negation of an equality item (the engine reads
 * `ne` exactly as `not eq`). What no modifier says (a case-sensitive keyword, a string range, a
 * field comparison other than equality...) is a SigmaPrintError.
 */
import type { Predicate, Scalar } from '../../model/index.js';
import { expandSeparators } from '../../taxonomy/separators.js';
import { compileItem } from '../../formats/sigma/detection-item.js';
import { compileRegex } from '../../util/regex.js';
import { sigmaFail } from './errors.js';
import { sigmaGlob, sigmaLiteral } from './strings.js';

export type YamlScalar = string | number | boolean | null;

export type SigmaItem =
  /** A map entry: key (field and modifiers) and value(s); `negated`: the item stands under a `not`. */
  | { kind: 'field'; key: string; value: YamlScalar | YamlScalar[]; negated: boolean }
  /** A field-less keyword list (any of the values, anywhere in the event). */
  | { kind: 'keywords'; values: string[] };

const one = (vs: YamlScalar[]): YamlScalar | YamlScalar[] => (vs.length === 1 ? vs[0] : vs);

const POSITION: Readonly<Record<string, string>> = { contains: 'contains', starts_with: 'startswith', ends_with: 'endswith' };

export function sigmaItem(input: Predicate): SigmaItem {
  // "either separator" is by definition the values with each separator written both ways
  const p = input.flags.anySeparator ? expandSeparators(input) : input;
  const f = p.flags;
  const shown = `${p.field ?? '(keyword)'} ${p.op} ${JSON.stringify(p.values).slice(0, 120)}`;
  if (p.field === null) return keywords(p, shown);
  if (p.field.includes('|')) sigmaFail('field', `the field name ${p.field} holds '|', which Sigma reads as a modifier`);
  if (p.values.length === 0 && p.op !== 'exists') sigmaFail('value', `${shown}: a test with no value`);
  const cased = f.cased === true ? ['cased'] : [];
  const key = (...mods: string[]): string => [p.field, ...mods].join('|');
  const field = (k: string, vs: YamlScalar[], negated = false): SigmaItem => ({ kind: 'field', key: k, value: one(vs), negated });
  if (f.fieldref) {
    if (p.op !== 'eq' && p.op !== 'ne') sigmaFail('fieldref', `${shown}: Sigma compares two fields for equality only`);
    return field(key('fieldref', ...cased), p.values.map(String), p.op === 'ne');
  }
  if (f.timePart) {
    const cmp = ['lt', 'lte', 'gt', 'gte'].includes(p.op) ? [p.op] : p.op === 'eq' || p.op === 'in' ? [] : sigmaFail('time', `${shown}: a time part with ${p.op}`);
    return field(key(f.timePart, ...cmp), p.values.map(numeric(shown)));
  }
  switch (p.op) {
    case 'exists':
      if (p.values.length > 1) sigmaFail('exists', `${shown}: several values`);
      // a value-less exists (EQL `!= null`, KQL `f: *`) says the field is present
      return field(key('exists'), [p.values[0] !== false]);
    case 'regex_match': {
      // the regex's own flags decide its case (the engine ignores `cased` on regexes)
      const flags = [...new Set((f.regexFlags ?? '').split(''))].filter((c) => 'ims'.includes(c)).sort();
      for (const v of p.values) {
        // Sigma regexes are RE2 here (util/regex.ts): one our Sigma reader would refuse is not written
        const { error } = compileRegex(String(v), flags.join(''));
        if (error) sigmaFail('regex', `${shown}: not an RE2 regex (${error})`);
      }
      return field(key('re', ...flags), p.values.map(String));
    }
    case 'cidr':
      return field(key('cidr'), p.values.map(String));
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return field(key(p.op), p.values.map(numeric(shown)));
    case 'eq':
    case 'in':
    case 'ne': {
      const encoded = encodedItem(p);
      if (encoded) return { ...encoded, negated: p.op === 'ne' };
      return field(key(...cased), p.values.map((v) => (typeof v === 'string' ? sigmaLiteral(v) : v)), p.op === 'ne');
    }
    case 'contains':
    case 'starts_with':
    case 'ends_with': {
      const encoded = encodedItem(p);
      if (encoded) return encoded;
      if (p.values.some((v) => v === '')) sigmaFail('value', `${shown}: an empty ${p.op} value (Sigma reads it as a bare '*')`);
      return field(key(POSITION[p.op], ...cased), p.values.map((v) => sigmaLiteral(text(v, shown))));
    }
    case 'wildcard':
      return field(key(...cased), p.values.map((v) => sigmaGlob(text(v, shown))));
  }
}

function text(v: Scalar, shown: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return sigmaFail('value', `${shown}: null in a string test`);
}

const numeric = (shown: string) => (v: Scalar): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : sigmaFail('range', `${shown}: Sigma compares numbers only`);
};

function keywords(p: Predicate, shown: string): SigmaItem {
  if (p.flags.cased || p.flags.fieldref || p.flags.timePart) sigmaFail('keyword', `${shown}: a keyword search with modifiers`);
  const vs = p.values.map((v) => text(v, shown));
  switch (p.op) {
    // the engine searches keywords anywhere in a value: eq, prefix and suffix keywords are searched as infixes
    case 'eq':
    case 'in':
    case 'contains':
    case 'starts_with':
    case 'ends_with':
      return { kind: 'keywords', values: vs.map((v) => sigmaLiteral(v)) };
    case 'wildcard':
      return { kind: 'keywords', values: vs.map(sigmaGlob) };
    default:
      return sigmaFail('keyword', `${shown}: a keyword search with ${p.op}`);
  }
}

/**
 * A predicate read from Sigma encoding modifiers (base64offset, wide, windash...) written with them
 * again, when reading the item back gives exactly the predicate's values; else undefined (the
 * encoded values are then written as they are: the same test).
 */
function encodedItem(p: Predicate): Extract<SigmaItem, { kind: 'field' }> | undefined {
  const enc = p.flags.encodings?.filter((e) => e !== 'expand') ?? [];
  if (!enc.length || !p.authoredValues?.length || p.authoredValues.some((v) => typeof v !== 'string')) return undefined;
  const pos = p.op === 'eq' || p.op === 'ne' || p.op === 'in' ? [] : [POSITION[p.op] ?? ''];
  const key = [p.field, ...enc, ...pos, ...(p.flags.cased ? ['cased'] : [])].join('|');
  const value = one(p.authoredValues.map((v) => sigmaLiteral(String(v))));
  try {
    const back = compileItem(key, value, {});
    if (back.kind !== 'pred' || back.op !== (p.op === 'ne' ? 'eq' : p.op)) return undefined;
    if (JSON.stringify([...back.values].sort()) !== JSON.stringify([...p.values].sort())) return undefined;
  } catch {
    return undefined;
  }
  return { kind: 'field', key, value, negated: false };
}
