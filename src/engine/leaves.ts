/**
 * Tests of single predicates that do not go through the shared literal automata: case-sensitive
 * literals, globs, regexes, CIDR ranges, numbers, time parts, existence, nulls, field references.
 * Each returns a closure over the event's field map.
 */
import type { Predicate } from '../model/index.js';
import type { FieldValue, Fields } from '../events/normalize.js';
import { compileRegex } from '../util/regex.js';
import { cidrContains, parseCidr, parseIp } from '../util/cidr.js';
import { compileGlob, globMatch } from './glob.js';
import { foldString } from './case-fold.js';

export type Test = (f: Fields) => boolean;

export function anyOf(v: FieldValue | undefined, f: (s: string) => boolean): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return f(v);
  for (const s of v) if (f(s)) return true;
  return false;
}

/** Every string value of the event (keyword searches). */
export function anyValue(fields: Fields, f: (s: string) => boolean): boolean {
  for (const k in fields) if (anyOf(fields[k], f)) return true;
  return false;
}

type ValueTest = (s: string) => boolean;

export function valueTest(p: Predicate): ValueTest {
  const values = p.values.map((v) => String(v));
  const cased = !!p.flags.cased;
  const norm = cased ? (s: string) => s : foldString;
  const vs = values.map(norm);
  switch (p.op) {
    case 'eq':
    case 'in':
      return (s) => vs.includes(norm(s));
    case 'contains':
      return (s) => { const t = norm(s); return vs.some((v) => t.includes(v)); };
    case 'starts_with':
      return (s) => { const t = norm(s); return vs.some((v) => t.startsWith(v)); };
    case 'ends_with':
      return (s) => { const t = norm(s); return vs.some((v) => t.endsWith(v)); };
    case 'wildcard': {
      const globs = values.map((v) => compileGlob(v, cased));
      return (s) => globs.some((g) => globMatch(g, s));
    }
    case 'regex_match': {
      const lengthTests = values.map((v) => lengthRegex(v, p.flags.regexFlags ?? ''));
      if (lengthTests.every((t) => t !== undefined)) return (s) => lengthTests.some((t) => t!(s));
      const res = values.map((v) => {
        const { re, error } = compileRegex(v, p.flags.regexFlags ?? '');
        if (!re) throw new Error(`invalid regex: ${error}`);
        return re;
      });
      return (s) => {
        const buf = utf8Of(s);
        for (const re of res) if (re.test(buf)) return true;
        return false;
      };
    }
    case 'cidr': {
      const ranges = values.map((v) => parseCidr(v)).filter((c) => c !== undefined);
      return (s) => {
        const ip = parseIp(s);
        return ip !== undefined && ranges.some((c) => cidrContains(c, ip));
      };
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const limit = Number(values[0]);
      const part = p.flags.timePart;
      return (s) => {
        const n = part ? timePart(s, part) : toNumber(s);
        if (n === undefined) return false;
        return p.op === 'lt' ? n < limit : p.op === 'lte' ? n <= limit : p.op === 'gt' ? n > limit : n >= limit;
      };
    }
    default:
      throw new Error(`operator ${p.op} has no value test`);
  }
}

/**
 * `.{N,}`-style regexes (how rules say "a very long value") as a length check: a counted repeat is
 * the slowest thing for an automaton-based engine, and the answer only depends on line lengths.
 */
export function lengthRegex(src: string, flags: string): ((s: string) => boolean) | undefined {
  const m = /^(\^?)\.\{(\d+)(,?)(\d*)\}(\$?)$/.exec(src);
  if (!m || flags.includes('m')) return undefined;
  const min = Number(m[2]);
  const max = m[3] ? (m[4] ? Number(m[4]) : Infinity) : min;
  const anchored = m[1] === '^' && m[5] === '$';
  const dotAll = flags.includes('s');
  if (max < min) return undefined;
  if (anchored) {
    return (s) => s.length >= min && s.length <= max && (dotAll || !/[\n\r\u2028\u2029]/.test(s));
  }
  // Unanchored with an open or large upper bound: some run of `.` characters must reach `min`.
  if (max !== Infinity && (m[1] || m[5])) return undefined;
  if (dotAll) return (s) => s.length >= min;
  return (s) => {
    if (s.length < min) return false;
    let run = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) run = 0;
      else if (++run >= min) return true;
    }
    return false;
  };
}

/**
 * RE2 matches UTF-8: converting the same value once for all the regexes that read it saves most
 * of the cost of a test. A small cache keyed by the string itself (values are compared by identity).
 */
const utf8Cache = new Map<string, Buffer>();
function utf8Of(s: string): Buffer {
  let b = utf8Cache.get(s);
  if (!b) {
    if (utf8Cache.size >= 64) utf8Cache.clear();
    b = Buffer.from(s, 'utf8');
    utf8Cache.set(s, b);
  }
  return b;
}

export function toNumber(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A part of a date value ("2025-11-27 07:40:10.132", ISO with or without zone; UTC assumed). */
export function timePart(s: string, part: string): number | undefined {
  let t = s.trim().replace(' ', 'T');
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(t)) t += 'Z';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return undefined;
  switch (part) {
    case 'minute': return d.getUTCMinutes();
    case 'hour': return d.getUTCHours();
    case 'day': return d.getUTCDate();
    case 'month': return d.getUTCMonth() + 1;
    case 'year': return d.getUTCFullYear();
    case 'week': {
      // ISO-8601 week: the week (Monday first) that holds this week's Thursday.
      const day = (d.getUTCDay() + 6) % 7;
      const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
      const yearStart = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
      return 1 + Math.floor((thursday - yearStart) / 604_800_000);
    }
  }
  return undefined;
}

/** A predicate tested directly on its field (no shared automaton). */
export function directTest(p: Predicate): Test {
  const field = p.field;
  if (p.op === 'exists') {
    // no value is "present" (EQL `!= null`, KQL `f: *`), as the model says; only `false` tests absence
    const want = p.values[0] !== false;
    if (field === null) return () => false;
    return (f) => (field in f) === want;
  }
  if (p.flags.fieldref) {
    const other = String(p.values[0]);
    const cased = !!p.flags.cased;
    const eq = (a: FieldValue | undefined, b: FieldValue | undefined): boolean => {
      if (a === undefined || b === undefined || a === null || b === null) return false;
      const as = typeof a === 'string' ? [a] : a;
      const bs = typeof b === 'string' ? [b] : b;
      return as.some((x) => bs.some((y) => (cased ? x === y : foldString(x) === foldString(y))));
    };
    if (field === null) return () => false;
    return p.op === 'ne' ? (f) => !eq(f[field], f[other]) : (f) => eq(f[field], f[other]);
  }
  if ((p.op === 'eq' || p.op === 'in') && p.flags.timePart) {
    const part = p.flags.timePart;
    const nums = p.values.map(Number);
    if (field === null) return () => false;
    return (f) => anyOf(f[field], (s) => { const n = timePart(s, part); return n !== undefined && nums.includes(n); });
  }
  if (p.op === 'ne') {
    const inner = directTest({ ...p, op: 'eq' });
    return (f) => !inner(f);
  }
  if ((p.op === 'eq' || p.op === 'in') && p.values.some((v) => v === null || v === '')) {
    // null: the field is absent or empty; '': the field is present and empty (EVTX renders empty as null).
    const rest = p.values.filter((v) => v !== null && v !== '');
    const wantNull = p.values.includes(null);
    const wantEmpty = p.values.includes('');
    const restTest = rest.length ? directTest({ ...p, values: rest }) : undefined;
    if (field === null) return () => false;
    return (f) => {
      const v = f[field];
      if (wantNull && (v === undefined || v === null || v === '')) return true;
      if (wantEmpty && (v === null || v === '')) return true;
      return restTest ? restTest(f) : false;
    };
  }
  const vt = valueTest(p);
  if (field === null) {
    // Keyword search: anywhere in any value.
    const kw = keywordTest(p);
    return (f) => anyValue(f, kw);
  }
  return (f) => anyOf(f[field], vt);
}

/** Keywords match anywhere in a value: plain values and globs are searched as substrings. */
function keywordTest(p: Predicate): ValueTest {
  switch (p.op) {
    case 'eq':
    case 'starts_with':
    case 'ends_with':
      return valueTest({ ...p, op: 'contains' });
    case 'wildcard':
      return valueTest({ ...p, values: p.values.map((v) => `*${String(v)}*`) });
    default:
      return valueTest(p);
  }
}
