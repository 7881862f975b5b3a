/**
 * What every SQL printer of the model shares, whatever the dialect: when a list of literals
 * becomes one regex alternation, how a literal is written inside an RE2 pattern, which operators
 * go through the engine's literal automata, and CIDR values as numeric ranges.
 */
import { parseCidr } from '../../util/cidr.js';

/** From this many values on, substring tests are one regex alternation. */
export const MANY = 4;
/** Literals per alternation (bounds the size of one RE2 program). */
export const ALTERNATION = 256;
/** Operators the engine tests with its shared literal automata (a keyword is found in any value). */
export const LITERAL_OPS: ReadonlySet<string> = new Set(['eq', 'in', 'contains', 'starts_with', 'ends_with']);
/** Deepest condition a printer follows (rules are untrusted). */
export const MAX_DEPTH = 200;

export function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** A literal inside an RE2 pattern (NUL spelled \x00, so the pattern text never holds one). */
export function reLiteral(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&').replace(/\0/g, '\\x00');
}

export const hex = (n: bigint, width: number): string => n.toString(16).padStart(width, '0');

/** CIDR values (util/cidr.ts) as inclusive [first, last] ranges; a value that is not a range is ignored, as the engine does. */
export function cidrRanges(values: string[]): { v4: Array<[bigint, bigint]>; v6: Array<[bigint, bigint]> } {
  const v4: Array<[bigint, bigint]> = [];
  const v6: Array<[bigint, bigint]> = [];
  for (const v of values) {
    const c = parseCidr(v);
    if (!c) continue;
    const all = c.v6 ? (1n << 128n) - 1n : 0xffffffffn;
    (c.v6 ? v6 : v4).push([c.network, c.network | (~c.mask & all)]);
  }
  return { v4, v6 };
}

/** The first 24 hex digits of an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
export const MAPPED = '00000000000000000000ffff';
