/**
 * One detection item (`Field|mod1|mod2: value(s)`, or a keyword list) to a model Detection.
 * Modifiers are applied in the order written, as the spec says.
 */
import { type Detection, type Op, type Predicate, type PredicateFlags, type Scalar, and, not, or } from '../../model/index.js';
import { compileRegex } from '../../util/regex.js';
import { parseCidr } from '../../util/cidr.js';
import { base64, base64offset, utf16, windash } from './encodings.js';
import { SigmaError } from './errors.js';
import { COMPARISONS, MODIFIERS, TIME_PARTS } from './modifiers.js';
import {
  type Part, type SigmaString, hasPlaceholders, hasWildcards, parseSigmaString, plainText, toCanonicalGlob, withWildcardEnds,
} from './sigma-string.js';

export type Placeholders = Record<string, string[]>;

export interface ItemContext {
  placeholders?: Placeholders;
  /** Keep placeholders without values as literal `%name%` text (catalog use) instead of failing. */
  lenient?: boolean;
}

const MAX_EXPANSIONS = 4096;

export function compileItem(key: string | null, value: unknown, ctx: ItemContext): Detection {
  const [fieldPart, ...mods] = (key ?? '').split('|');
  const field = fieldPart === '' ? null : fieldPart;
  for (const [i, m] of mods.entries()) {
    const info = MODIFIERS[m];
    if (!info) throw new SigmaError('unknown-modifier', `unknown modifier '${m}' in '${key}'`);
    if (info.after && !mods.slice(0, i).includes(info.after)) {
      throw new SigmaError('unknown-modifier', `modifier '${m}' is only valid after '${info.after}' in '${key}'`);
    }
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw new SigmaError('invalid-value', `empty value list for '${key}'`);
  for (const v of values) {
    if (v !== null && typeof v === 'object') throw new SigmaError('invalid-value', `value of '${key}' is a nested ${Array.isArray(v) ? 'list' : 'map'}`);
  }
  const all = mods.includes('all');
  const neq = mods.includes('neq');
  const types = mods.filter((m) => MODIFIERS[m].kind === 'type');
  const timePart = TIME_PARTS.find((t) => types.includes(t));
  const comparison = COMPARISONS.find((c) => types.includes(c));
  const otherTypes = types.filter((t) => t !== timePart && t !== comparison);
  if (otherTypes.length > 1 || (otherTypes.length === 1 && (timePart || comparison))) {
    throw new SigmaError('modifier-conflict', `modifiers ${types.join(', ')} cannot be combined in '${key}'`);
  }
  const type = otherTypes[0];
  const flags: PredicateFlags = {};
  if (mods.includes('cased')) flags.cased = true;

  let groups: Detection[];
  if (type === 'exists') {
    if (values.length !== 1) throw new SigmaError('invalid-value', `'exists' takes one boolean in '${key}'`);
    const b = toBool(values[0]);
    if (b === undefined) throw new SigmaError('invalid-value', `'exists' needs true or false in '${key}'`);
    requireField(field, key);
    groups = [pred(field, 'exists', [b], {}, field)];
  } else if (type === 're') {
    const reFlags = mods.filter((m) => m === 'i' || m === 'm' || m === 's').join('');
    groups = values.map((v) => {
      const text = scalarText(v, key);
      const { error } = compileRegex(text, reFlags);
      if (error) throw new SigmaError('invalid-regex', `regex /${truncate(text)}/ in '${key}': ${error}`);
      return pred(field, 'regex_match', [text], reFlags ? { ...flags, regexFlags: reFlags } : flags, field);
    });
  } else if (type === 'cidr') {
    groups = values.map((v) => {
      const text = scalarText(v, key);
      if (!parseCidr(text)) throw new SigmaError('invalid-value', `'${text}' is not an IPv4 or IPv6 CIDR range in '${key}'`);
      return pred(field, 'cidr', [text], flags, field);
    });
  } else if (type === 'fieldref') {
    groups = values.map((v) => pred(field, neq ? 'ne' : 'eq', [scalarText(v, key)], { ...flags, fieldref: true }, field));
    return combine(groups, all);
  } else if (comparison || timePart) {
    groups = values.map((v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new SigmaError('invalid-value', `'${String(v)}' is not a number in '${key}'`);
      const f: PredicateFlags = timePart ? { ...flags, timePart } : flags;
      return pred(field, (comparison ?? 'eq') as Op, [n], f, field);
    });
  } else {
    groups = values.map((v) => stringGroup(field, key, mods, v, flags, ctx));
  }
  const combined = combine(groups, all);
  return neq ? negate(combined) : combined;
}

function negate(d: Detection): Detection {
  if (d.kind === 'pred' && d.op === 'eq') return { ...d, op: 'ne' };
  return not(d);
}

function requireField(field: string | null, key: string | null): asserts field is string {
  if (field === null) throw new SigmaError('invalid-value', `modifier in '${key}' needs a field`);
}

function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return undefined;
}

function scalarText(v: unknown, key: string | null): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new SigmaError('invalid-value', `null is not allowed with the modifiers of '${key}'`);
}

function truncate(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

function pred(field: string | null, op: Op, values: Scalar[], flags: PredicateFlags, authoredField: string | null): Predicate {
  return { kind: 'pred', field, authoredField, op, values, flags };
}

/** A plain (string-typed) value through its transformations into one Detection (an OR of its forms). */
function stringGroup(field: string | null, key: string | null, mods: string[], v: unknown, flags: PredicateFlags, ctx: ItemContext): Detection {
  const transforms = mods.filter((m) => MODIFIERS[m].kind === 'transform' || MODIFIERS[m].kind === 'position');
  if (v === null) {
    if (transforms.length) throw new SigmaError('invalid-value', `null cannot take the modifiers of '${key}'`);
    if (field === null) throw new SigmaError('invalid-value', 'a keyword cannot be null');
    return pred(field, 'eq', [null], flags, field);
  }
  if (transforms.length === 0 && !mods.includes('expand') && (typeof v === 'number' || typeof v === 'boolean')) {
    return pred(field, 'eq', [v], flags, field);
  }
  const authored = String(v);
  let forms: SigmaString[] = [parseSigmaString(authored, mods.includes('expand'))];
  const encodings: string[] = [];
  for (const m of transforms) {
    forms = forms.flatMap((s) => applyTransform(m, s, key));
    if (MODIFIERS[m].kind === 'transform') encodings.push(m);
    if (forms.length > MAX_EXPANSIONS) throw new SigmaError('too-large', `'${key}' expands to more than ${MAX_EXPANSIONS} values`);
  }
  if (forms.some(hasPlaceholders)) forms = forms.flatMap((s) => expandPlaceholders(s, key, ctx));
  if (mods.includes('expand') && !encodings.includes('expand')) encodings.push('expand');
  const f: PredicateFlags = encodings.length ? { ...flags, encodings } : flags;
  const preds = forms.map((s) => {
    const [op, value] = classify(s.parts);
    const p = pred(field, op, [value], f, field);
    if (value !== authored || encodings.length) p.authoredValues = [authored];
    return p;
  });
  return mergeAlternatives(preds);
}

function applyTransform(m: string, s: SigmaString, key: string | null): SigmaString[] {
  try {
    switch (m) {
      case 'contains': return [withWildcardEnds(s, true, true)];
      case 'startswith': return [withWildcardEnds(s, false, true)];
      case 'endswith': return [withWildcardEnds(s, true, false)];
      case 'windash': return windash(s);
      case 'base64': return [base64(s)];
      case 'base64offset': return base64offset(s);
      case 'utf16le':
      case 'wide': return [utf16(s, 'le')];
      case 'utf16be': return [utf16(s, 'be')];
      case 'utf16': return [utf16(s, 'bom')];
    }
  } catch (e) {
    throw new SigmaError('invalid-value', `modifier '${m}' in '${key}': ${e instanceof Error ? e.message : String(e)}`);
  }
  return [s];
}

function expandPlaceholders(s: SigmaString, key: string | null, ctx: ItemContext): SigmaString[] {
  let results: Part[][] = [[]];
  for (const p of s.parts) {
    if (p.t !== 'ph') {
      results = results.map((r) => [...r, p]);
      continue;
    }
    const values = ctx.placeholders?.[p.name] ?? (ctx.lenient ? [`%${p.name}%`.replace(/[*?\\]/g, '\\$&')] : undefined);
    if (!values) {
      throw new SigmaError('placeholder', `placeholder %${p.name}% in '${key}' has no values (give them with --placeholders FILE)`);
    }
    results = results.flatMap((r) => values.map((v) => [...r, ...parseSigmaString(v).parts]));
    if (results.length > MAX_EXPANSIONS) throw new SigmaError('too-large', `placeholders in '${key}' expand to too many values`);
  }
  return results.map((parts) => ({ parts }));
}

/** The simplest operator for a wildcard pattern: a literal, a prefix, a suffix, an infix, or a glob. */
export function classify(parts: Part[]): [Op, string] {
  const lead = parts[0]?.t === 'any';
  const trail = parts.length > 1 && parts[parts.length - 1]?.t === 'any';
  const inner = parts.slice(lead ? 1 : 0, trail ? -1 : undefined);
  const text = plainText({ parts: inner });
  if (text === undefined || (text === '' && (lead || trail))) return ['wildcard', toCanonicalGlob(parts)];
  if (lead && trail) return ['contains', text];
  if (lead) return ['ends_with', text];
  if (trail) return ['starts_with', text];
  return hasWildcards({ parts }) ? ['wildcard', toCanonicalGlob(parts)] : ['eq', text];
}

/**
 * OR-ed single-value predicates with the same field, op and flags become one any-of predicate.
 * Linear in the values: groups are found by key, and a group's authored values grow in a Set (a
 * rule listing thousands of values, or a modifier expanding each into many, was quadratic).
 */
function mergeAlternatives(preds: Predicate[]): Detection {
  // One value (most items): nothing to merge.
  if (preds.length === 1) return { ...preds[0], values: [...preds[0].values] };
  const out: Predicate[] = [];
  const groups = new Map<string, Predicate>();
  const authored = new Map<Predicate, Set<Scalar>>();
  for (const p of preds) {
    const key = alternativeKey(p);
    const same = groups.get(key);
    if (same) {
      for (const v of p.values) same.values.push(v);
      let set = authored.get(same);
      if (p.authoredValues || same.authoredValues || set) {
        if (!set) authored.set(same, (set = new Set(same.authoredValues ?? [])));
        for (const v of p.authoredValues ?? p.values) set.add(v);
      }
    } else {
      const q = { ...p, values: [...p.values] };
      groups.set(key, q);
      out.push(q);
    }
  }
  for (const [q, set] of authored) q.authoredValues = [...set];
  return or(out);
}

/**
 * Predicates with the same key have the same field, op and flags (as JSON: flags written in another
 * order are other flags). The parts cannot run into each other: JSON text has no raw NUL, an op has
 * none, and the field comes last, marked as null or as a string.
 */
export function alternativeKey(p: Predicate): string {
  return `${JSON.stringify(p.flags)}\0${p.op}\0${p.field === null ? 'n' : `s${p.field}`}`;
}

function combine(groups: Detection[], all: boolean): Detection {
  if (all) return and(groups);
  const preds = groups.filter((g): g is Predicate => g.kind === 'pred');
  const rest = groups.filter((g) => g.kind !== 'pred');
  const merged = preds.length ? mergeAlternatives(preds) : undefined;
  const parts = merged ? (merged.kind === 'or' ? [...merged.children, ...rest] : [merged, ...rest]) : rest;
  return or(parts);
}
