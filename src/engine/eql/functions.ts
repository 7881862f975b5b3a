/**
 * The functions of Elasticsearch's EQL, as a table: name (lower-case), arity, argument types checked
 * at analysis when an argument is a literal, and the implementation on scalars. `~` variants
 * (startsWith~ ...) set `insensitive`. Every function returns null when a needed argument is null.
 */
import { cidrContains, parseCidr, parseIp } from '../../util/cidr.js';
import { foldString } from '../case-fold.js';
import type { Scalar, Value } from './values.js';
import { toNumber, toText } from './values.js';

export type ArgType = 'string' | 'number' | 'any';

export interface FunctionSpec {
  /** Name as Elasticsearch documents it. */
  name: string;
  minArgs: number;
  /** Infinity for variadic functions. */
  maxArgs: number;
  /** Expected type of each argument (the last one repeats for variadic functions). */
  args: ArgType[];
  /** Has a `name~(...)` case-insensitive form. */
  insensitiveForm: boolean;
  returns: 'string' | 'number' | 'boolean';
  /** Arguments from this index on must be literals (cidrMatch's ranges). */
  literalFrom?: number;
  /** Arguments from this index on are regexes matched against the whole first argument (match). */
  regexFrom?: number;
  call(args: Scalar[], insensitive: boolean): Value;
}

const fold = (s: string, insensitive: boolean): string => (insensitive ? foldString(s) : s);

function arith(op: (a: number, b: number) => number | null) {
  return (args: Scalar[]): Value => {
    const a = toNumber(args[0]);
    const b = toNumber(args[1]);
    if (a === null || b === null) return null;
    const r = op(a, b);
    return r === null || !Number.isFinite(r) ? null : r;
  };
}

/** Integer division when both sides are whole numbers (Elasticsearch longs), else real division. */
export function divideValues(a: number, b: number, real: boolean): number | null {
  if (b === 0) return null;
  return !real && Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
}

export function moduloValues(a: number, b: number): number | null {
  if (b === 0) return null;
  return a % b;
}

/** Python-style slice bounds (negative counts from the end), as EQL's substring uses them. */
function sliceIndex(i: number, len: number): number {
  if (i < 0) return Math.max(len + i, 0);
  return Math.min(i, len);
}

const str = (s: Scalar): string | null => (typeof s === 'string' ? s : s === null ? null : String(s));

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  add: { name: 'add', minArgs: 2, maxArgs: 2, args: ['number', 'number'], insensitiveForm: false, returns: 'number', call: arith((a, b) => a + b) },
  subtract: { name: 'subtract', minArgs: 2, maxArgs: 2, args: ['number', 'number'], insensitiveForm: false, returns: 'number', call: arith((a, b) => a - b) },
  multiply: { name: 'multiply', minArgs: 2, maxArgs: 2, args: ['number', 'number'], insensitiveForm: false, returns: 'number', call: arith((a, b) => a * b) },
  divide: { name: 'divide', minArgs: 2, maxArgs: 2, args: ['number', 'number'], insensitiveForm: false, returns: 'number', call: arith((a, b) => divideValues(a, b, false)) },
  modulo: { name: 'modulo', minArgs: 2, maxArgs: 2, args: ['number', 'number'], insensitiveForm: false, returns: 'number', call: arith(moduloValues) },
  between: {
    name: 'between', minArgs: 3, maxArgs: 4, args: ['string', 'string', 'string', 'any'], insensitiveForm: true, returns: 'string',
    call: ([source, left, right, greedy], insensitive) => {
      const s = str(source);
      const l = str(left);
      const r = str(right);
      if (s === null || l === null || r === null) return null;
      const hay = fold(s, insensitive);
      const start = hay.indexOf(fold(l, insensitive));
      if (start < 0) return '';
      const from = start + l.length;
      const rest = hay.slice(from);
      const needle = fold(r, insensitive);
      const end = greedy === true ? rest.lastIndexOf(needle) : rest.indexOf(needle);
      if (end < 0) return '';
      return s.slice(from, from + end);
    },
  },
  cidrmatch: {
    name: 'cidrMatch', minArgs: 2, maxArgs: Infinity, args: ['string', 'string'], insensitiveForm: false, returns: 'boolean', literalFrom: 1,
    call: ([ip, ...ranges]) => {
      const text = str(ip);
      if (text === null) return null;
      const addr = parseIp(text);
      if (!addr) return false;
      for (const r of ranges) {
        const c = typeof r === 'string' ? parseCidr(r) : undefined;
        if (c && cidrContains(c, addr)) return true;
      }
      return false;
    },
  },
  concat: {
    name: 'concat', minArgs: 1, maxArgs: Infinity, args: ['any'], insensitiveForm: false, returns: 'string',
    call: (args) => {
      let out = '';
      for (const a of args) {
        const t = toText(a);
        if (t === null) return null;
        out += t;
      }
      return out;
    },
  },
  endswith: {
    name: 'endsWith', minArgs: 2, maxArgs: 2, args: ['string', 'string'], insensitiveForm: true, returns: 'boolean',
    call: ([s, x], insensitive) => {
      const a = str(s);
      const b = str(x);
      return a === null || b === null ? null : fold(a, insensitive).endsWith(fold(b, insensitive));
    },
  },
  startswith: {
    name: 'startsWith', minArgs: 2, maxArgs: 2, args: ['string', 'string'], insensitiveForm: true, returns: 'boolean',
    call: ([s, x], insensitive) => {
      const a = str(s);
      const b = str(x);
      return a === null || b === null ? null : fold(a, insensitive).startsWith(fold(b, insensitive));
    },
  },
  stringcontains: {
    name: 'stringContains', minArgs: 2, maxArgs: 2, args: ['string', 'string'], insensitiveForm: true, returns: 'boolean',
    call: ([s, x], insensitive) => {
      const a = str(s);
      const b = str(x);
      return a === null || b === null ? null : fold(a, insensitive).includes(fold(b, insensitive));
    },
  },
  indexof: {
    name: 'indexOf', minArgs: 2, maxArgs: 3, args: ['string', 'string', 'number'], insensitiveForm: true, returns: 'number',
    call: ([s, x, start], insensitive) => {
      const a = str(s);
      const b = str(x);
      if (a === null || b === null) return null;
      const from = start === null || start === undefined ? 0 : toNumber(start);
      if (from === null) return null;
      const i = fold(a, insensitive).indexOf(fold(b, insensitive), Math.max(0, from));
      return i < 0 ? null : i;
    },
  },
  match: {
    name: 'match', minArgs: 2, maxArgs: Infinity, args: ['string', 'string'], insensitiveForm: true, returns: 'boolean', literalFrom: 1, regexFrom: 1,
    call: () => null, // compiled with its regexes (compile-expr.ts)
  },
  matchlite: {
    name: 'matchLite', minArgs: 2, maxArgs: Infinity, args: ['string', 'string'], insensitiveForm: true, returns: 'boolean', literalFrom: 1, regexFrom: 1,
    call: () => null,
  },
  length: {
    name: 'length', minArgs: 1, maxArgs: 1, args: ['string'], insensitiveForm: false, returns: 'number',
    call: ([s]) => {
      const a = str(s);
      return a === null ? null : a.length;
    },
  },
  number: {
    name: 'number', minArgs: 1, maxArgs: 2, args: ['string', 'number'], insensitiveForm: false, returns: 'number',
    call: ([s, base]) => {
      if (typeof s === 'number') return s;
      const a = str(s);
      if (a === null) return null;
      const radix = base === null || base === undefined ? 10 : toNumber(base);
      if (radix === null || !Number.isInteger(radix) || radix < 2 || radix > 36) return null;
      let text = a.trim();
      if (radix === 10) {
        const n = Number(text);
        return text === '' || Number.isNaN(n) ? null : n;
      }
      if (radix === 16 && /^[-+]?0x/i.test(text)) text = text.replace(/0x/i, '');
      const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
      const body = text.replace(/^[-+]/, '').toLowerCase();
      if (body === '' || [...body].some((c) => !digits.includes(c))) return null;
      const n = parseInt(text, radix);
      return Number.isNaN(n) ? null : n;
    },
  },
  string: {
    name: 'string', minArgs: 1, maxArgs: 1, args: ['any'], insensitiveForm: false, returns: 'string',
    call: ([s]) => toText(s),
  },
  substring: {
    name: 'substring', minArgs: 2, maxArgs: 3, args: ['string', 'number', 'number'], insensitiveForm: false, returns: 'string',
    call: ([s, start, end]) => {
      const a = str(s);
      if (a === null) return null;
      const b = toNumber(start);
      if (b === null) return null;
      const e = end === null || end === undefined ? a.length : toNumber(end);
      if (e === null) return null;
      const from = sliceIndex(Math.trunc(b), a.length);
      const to = sliceIndex(Math.trunc(e), a.length);
      return to > from ? a.slice(from, to) : '';
    },
  },
};

/** Python EQL (Endgame) functions the Elasticsearch dialect does not have: named in the error. */
export const ENDGAME_ONLY_FUNCTIONS = new Set(['arraycontains', 'arraycount', 'arraysearch', 'safe', 'wildcard']);
